"""The commit of an import: the one write, every row of the file or none.

`commit_import` previews the file again (the database may have changed since the editor read
the preview), refuses it whole when any row is rejected (`ImportRejected`), and otherwise saves
it in one transaction: the `Writer` creates the planned records or adds to the existing ones,
with names, places, terms, addresses, affiliations and leadership claims, each citing the
Source the editor chose, and each history entry naming the editor and the file.
"""

import hashlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import models, transaction
from django_countries import countries

from orgs import caching
from orgs.choices import Leadership
from orgs.models import (
    Advocate,
    AdvocateAlias,
    AdvocateCitation,
    Affiliation,
    AffiliationCitation,
    City,
    Country,
    FocusArea,
    LeadershipClaim,
    LeadershipEvidence,
    LegalForm,
    Organisation,
    OrganisationAlias,
    OrganisationCitation,
    PersonalAddress,
    Source,
    TargetGroup,
    WorkLevel,
)
from orgs.seeding.epim import AnnexReadings, value
from orgs.services import history, leadership
from orgs.services.records_import.preview import Planned, Preview, preview_import
from orgs.services.records_import.reading import NAME_LENGTH, Reading
from orgs.slugs import slug_for

logger = logging.getLogger(__name__)


class ImportRejected(Exception):
    def __init__(self, preview: Preview):
        super().__init__(preview.summary())
        self.preview = preview


class Writer:
    """Saves planned records and what each row says about them, citing one source."""

    def __init__(self, source: Source, annex: AnnexReadings):
        self.source = source
        self.annex = annex
        self.saved: dict[int, models.Model] = {}  # by id(Planned)
        self.levels = {level.slug: level for level in WorkLevel.objects.all()}
        self.focus = {term.slug: term for term in FocusArea.objects.all()}
        self.targets = {term.slug: term for term in TargetGroup.objects.all()}
        self.leadership_changed: dict[int, Organisation] = {}

    def record(self, planned: Planned) -> models.Model:
        if id(planned) not in self.saved:
            if planned.existing is not None:
                record = planned.existing
            elif planned.kind == "organisation":
                record = Organisation.objects.create(name=planned.name, slug=planned.slug)
            else:
                record = Advocate.objects.create(name=planned.name, slug=planned.slug)
            self.saved[id(planned)] = record
        return self.saved[id(planned)]

    def place(self, record, reading: Reading):
        code = reading.country
        country, _ = Country.objects.get_or_create(
            code=code, defaults={"name": countries.name(code)}
        )
        record.countries.add(country)
        for name in reading.cities:
            city, _ = City.objects.get_or_create(
                slug=f"{code.lower()}-{slug_for(name)}"[:200],
                defaults={"name": name[:NAME_LENGTH], "country": code},
            )
            record.cities.add(city)

    def profile(self, record, reading: Reading):
        """Scope, focus and target groups, and the cells they were read from."""
        record.levels.add(*[self.levels[s] for s in reading.levels if s in self.levels])
        record.focus_areas.add(*[self.focus[s] for s in reading.focus_areas if s in self.focus])
        record.target_groups.add(
            *[self.targets[s] for s in reading.target_groups if s in self.targets]
        )
        cells = reading.row.cells
        for name, column in (
            ("location_raw", "location"),
            ("levels_raw", "scope"),
            ("focus_raw", "focus"),
            ("target_groups_raw", "target_groups"),
        ):
            add_line(record, name, cells.get(column, ""))

    def organisation(self, planned: Planned, reading: Reading, position: int):
        organisation = self.record(planned)
        locator = reading.row.locator
        first = position == 0
        OrganisationCitation.objects.get_or_create(
            organisation=organisation, source=self.source, locator=locator
        )
        # The row's spellings of a record named otherwise become its aliases.
        entry = reading.named[position]
        spellings = [entry.name, *entry.aliases]
        if len(reading.named) == 1:
            spellings.append(reading.row.cells.get("organisation", ""))
        for name in spellings:
            name = " ".join(name.split())
            if name and name != organisation.name:
                OrganisationAlias.objects.get_or_create(
                    organisation=organisation, name=name, defaults={"source": self.source}
                )
        if planned.existing is None or organisation.countries.exists():
            # A Europe-wide or global record (no country) stays so.
            self.place(organisation, reading)
        if first:
            self.profile(organisation, reading)
            if organisation.form == LegalForm.UNKNOWN and reading.form != LegalForm.UNKNOWN:
                organisation.form = reading.form
            add_line(organisation, "form_raw", reading.row.cells.get("form", ""))
            if reading.leadership != Leadership.UNKNOWN:
                LeadershipClaim.objects.get_or_create(
                    organisation=organisation,
                    source=self.source,
                    locator=locator,
                    defaults={
                        "leadership": reading.leadership,
                        "evidence": LeadershipEvidence.SELF_DESCRIBED,
                        "quote": reading.leadership_raw,
                    },
                )
                self.leadership_changed[organisation.pk] = organisation
            if not reading.person:
                self.addresses(organisation, reading)
        if reading.person:
            # A person's row may give the organisation's own mailbox rather than the person's.
            for email in reading.emails:
                if self.mailbox(email, reading) == entry.key and not organisation.email:
                    organisation.email = email
        organisation.save()
        return organisation

    def addresses(self, organisation: Organisation, reading: Reading):
        """An organisation-only row's addresses are the organisation's public ones."""
        for website in reading.websites:
            if not organisation.website:
                organisation.website = website
            elif website != organisation.website and website not in organisation.other_websites:
                organisation.other_websites = [*organisation.other_websites, website]
        public = [email for email in reading.emails if not self.annex.is_personal(email)]
        if public and not organisation.email:
            organisation.email = public[0]

    def mailbox(self, email: str, reading: Reading) -> str | None:
        """The key of the row's organisation whose own mailbox `email` is, if it is one."""
        keys = [entry.key for entry in reading.named]
        return self.annex.mailbox_of(email, keys, reading.row.locator)

    def advocate(self, planned: Planned, reading: Reading, organisations, former: bool):
        advocate = self.record(planned)
        locator = reading.row.locator
        spelled = " ".join(reading.person.split())
        if spelled and spelled != advocate.name:
            AdvocateAlias.objects.get_or_create(
                advocate=advocate, name=spelled, defaults={"source": self.source}
            )
        AdvocateCitation.objects.get_or_create(
            advocate=advocate, source=self.source, locator=locator
        )
        self.place(advocate, reading)
        self.profile(advocate, reading)
        advocate.save()
        own = [email for email in reading.emails if self.mailbox(email, reading) is None]
        if own and not PersonalAddress.objects.filter(advocate=advocate).exists():
            PersonalAddress.objects.create(
                advocate=advocate, email=own[0], source=self.source, locator=locator
            )
        for organisation in organisations:
            affiliation, _ = Affiliation.objects.get_or_create(
                advocate=advocate, organisation=organisation, defaults={"is_current": not former}
            )
            AffiliationCitation.objects.get_or_create(
                affiliation=affiliation, source=self.source, locator=locator
            )


def add_line(record, name: str, text: str):
    """Adds a cell's text to a *_raw field as a line of its own, unless it is there already."""
    text = (text or "").strip()
    lines = [line for line in getattr(record, name).split("\n") if line]
    if value(text) and text not in lines:
        setattr(record, name, "\n".join([*lines, text]))


@dataclass
class ImportResult:
    preview: Preview
    source: Source
    file_name: str = ""
    digest: str = ""

    def lines(self) -> list[str]:
        counts = self.preview.counts
        return [
            f"Imported {self.file_name or 'the file'} (sha256 {self.digest[:12]}) citing "
            f"{self.source.key}: {self.preview.rows} rows, {counts['create']} records created, "
            f"{counts['merge']} merged into existing or earlier rows' records.",
        ]


def commit_import(
    data: bytes,
    format: str,
    source: Source,
    first_line: int = 1,
    file_name: str = "",
    progress: Callable[[Iterable], Iterable] = iter,
    by=None,
) -> ImportResult:
    """Saves every row of the file, or nothing (`ImportRejected`) when any row is rejected.

    A new (unsaved) `source` is created with the rows, and not when they are rejected. Every
    history entry it writes names `by` and the file."""
    reason = f"Imported from {file_name or 'a file'}, citing {source.key}"
    with transaction.atomic(), history.recorded(by, reason):
        if source.pk is None:
            source.full_clean()
            source.save()
        preview = preview_import(data, format, first_line)
        if preview.rejected:
            raise ImportRejected(preview)
        writer = Writer(source, preview.annex)
        for reading, (advocate, organisations) in progress(
            list(zip(preview.readings, preview.plans, strict=True))
        ):
            saved = [
                writer.organisation(planned, reading, position)
                for position, planned in enumerate(organisations)
            ]
            if advocate is not None:
                writer.advocate(advocate, reading, saved, reading.former)
        for organisation in writer.leadership_changed.values():
            leadership.refresh_leadership(organisation)
        caching.changed()
    result = ImportResult(preview, source, file_name, hashlib.sha256(data).hexdigest())
    for line in result.lines():
        logger.info(line)
    return result
