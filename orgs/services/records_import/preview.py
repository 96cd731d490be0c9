"""The preview of an import: which record each row creates, and which it merges into.

`Matcher.merge_or_create` decides, for each organisation and advocate a row names, whether it
merges into a record: one planned on an earlier row of the file (the same name, or the same
EPIM table key) or an existing one (the same name or alias, accents and case aside, in the
row's country or without a country); otherwise the row creates it, with a free slug. The
`Preview` lists every decision and every rejected row for the editor; nothing is written.
"""

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import chain, count

from django.db import models

from orgs.models import Advocate, AdvocateAlias, Organisation, OrganisationAlias
from orgs.seeding.epim import AnnexReadings
from orgs.services.records_import.reading import (
    Reading,
    Row,
    annex_readings,
    read_row,
    read_rows,
)
from orgs.slugs import slug_for


def spelling(text: str) -> str:
    """A name as compared: without accents, case or doubled spaces ("Kolner fluchtlingsrat")."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(plain.casefold().split())


@dataclass
class Planned:
    """A record the import will create, or an existing one it will merge into."""

    kind: str  # "organisation" or "advocate"
    name: str
    slug: str = ""
    existing: models.Model | None = None
    existing_pk: int | None = None
    first_row: int = 0


def load_existing(plans: list[tuple["Planned | None", list["Planned"]]]) -> None:
    """Reads the existing records the rows merge into, one query per kind of record."""
    for kind, model in (("organisation", Organisation), ("advocate", Advocate)):
        matched = [
            planned
            for advocate, organisations in plans
            for planned in [advocate, *organisations]
            if planned is not None and planned.kind == kind and planned.existing_pk is not None
        ]
        found = model.objects.in_bulk({planned.existing_pk for planned in matched})
        for planned in matched:
            planned.existing = found[planned.existing_pk]


@dataclass
class Entry:
    """One line of the preview."""

    row: int
    where: str  # "Row 12", "Austria, line 622"
    action: str  # create, merge or reject
    kind: str
    record: str
    reason: str = ""


@dataclass
class Preview:
    rows: int = 0
    annex: AnnexReadings | None = None
    entries: list[Entry] = field(default_factory=list)
    readings: list[Reading] = field(default_factory=list)
    # For each reading: its advocate, if any, and its organisations, as planned.
    plans: list[tuple[Planned | None, list[Planned]]] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for entry in self.entries if entry.action == action)

    @property
    def counts(self) -> dict[str, int]:
        return {action: self.count(action) for action in ("create", "merge", "reject")}

    @property
    def rejected(self) -> list[Entry]:
        return [entry for entry in self.entries if entry.action == "reject"]

    def summary(self) -> str:
        counts = self.counts
        return (
            f"{self.rows} rows: {counts['create']} to create, {counts['merge']} to merge, "
            f"{counts['reject']} rejected."
        )


class Matcher:
    """Decides which record a row names: one planned earlier in the file, an existing one (the
    row merges into it), or a new one."""

    def __init__(self):
        self.planned: dict[tuple, Planned] = {}
        self.names: dict[str, dict[int, str]] = {"organisation": {}, "advocate": {}}
        self.existing = {
            "organisation": self.index(
                self.named("organisation", Organisation.objects),
                OrganisationAlias.objects.values_list(
                    "organisation_id", "name", "organisation__countries__code"
                ),
            ),
            "advocate": self.index(
                self.named("advocate", Advocate.objects),
                AdvocateAlias.objects.values_list(
                    "advocate_id", "name", "advocate__countries__code"
                ),
            ),
        }
        self.taken_slugs = {
            "organisation": set(Organisation.objects.values_list("slug", flat=True)),
            "advocate": set(Advocate.objects.values_list("slug", flat=True)),
        }

    def named(self, kind: str, records) -> list[tuple]:
        """(pk, name, country) of every record, noting each record's name by pk."""
        rows = list(records.values_list("pk", "name", "countries__code"))
        self.names[kind].update((pk, name) for pk, name, _ in rows)
        return rows

    @staticmethod
    def index(*rows_of_names) -> dict[tuple[str, str], int]:
        found = {}
        for rows in rows_of_names:
            for pk, name, code in rows:
                found.setdefault((code or "", spelling(name)), pk)
        return found

    def merge_or_create(self, kind, names: list[str], country: str, key: str, row: int):
        """Whether the record a row names merges into one planned earlier in the file or into
        an existing one, or is created: (the planned record, whether this row creates it, why
        it merges).

        An earlier row's record is the same when any of the names (or the EPIM table key) is
        the same; an existing record when a name is its name or an alias, spelled alike
        (`spelling`), in the row's country or in none (a Europe-wide or global record)."""
        spellings = [spelling(name) for name in names if name.strip()]
        identities = ([(kind, "key", key)] if key else []) + [(kind, s) for s in spellings]
        for identity in identities:
            if identity in self.planned:
                planned = self.planned[identity]
                for other in identities:
                    self.planned.setdefault(other, planned)
                return planned, False, f"also named on row {planned.first_row}"
        planned = Planned(kind, names[0], first_row=row)
        # In the row's country, or a Europe-wide or global record (one without a country).
        found = [
            (pk, where)
            for where in dict.fromkeys([country, ""])
            for name in names
            if (pk := self.existing[kind].get((where, spelling(name)))) is not None
        ]
        if found:
            pk, where = found[0]
            # The record itself is read with every other one matched, once (`load_existing`).
            planned.existing_pk = pk
            planned.name = self.names[kind][pk]
            reason = f"matches {planned.name!r} in {where or 'no country'}"
        else:
            planned.slug = self.free_slug(kind, key or slug_for(names[0]), country)
            reason = ""
        for identity in identities:
            self.planned[identity] = planned
        return planned, planned.existing_pk is None, reason

    def free_slug(self, kind: str, slug: str, country: str) -> str:
        slug = (slug or kind)[:190]
        taken = self.taken_slugs[kind]
        candidates = chain([slug, f"{slug}-{country.lower()}"], (f"{slug}-{n}" for n in count(2)))
        free = next(candidate for candidate in candidates if candidate not in taken)
        taken.add(free)
        return free


def preview_rows(rows: list[Row], progress: Callable = iter) -> Preview:
    readings = annex_readings()
    matcher = Matcher()
    preview = Preview(rows=len(rows), annex=readings)
    for row in progress(rows):
        reading = read_row(row, readings)
        if reading.problems:
            label = reading.person or ", ".join(entry.name for entry in reading.named)
            preview.entries.append(
                Entry(row.number, row.locator, "reject", "", label, "; ".join(reading.problems))
            )
            continue
        organisations = []
        cell = row.cells.get("organisation", "").strip()
        for entry in reading.named:
            names = [entry.name, *([cell] if len(reading.named) == 1 else []), *entry.aliases]
            key = entry.key if entry.mapped else ""
            planned, created, reason = matcher.merge_or_create(
                "organisation", names, reading.country, key, row.number
            )
            organisations.append(planned)
            action = "create" if created else "merge"
            preview.entries.append(
                Entry(row.number, row.locator, action, "organisation", planned.name, reason)
            )
        advocate = None
        if reading.person:
            advocate, created, reason = matcher.merge_or_create(
                "advocate", [reading.person], reading.country, "", row.number
            )
            action = "create" if created else "merge"
            preview.entries.append(
                Entry(row.number, row.locator, action, "advocate", advocate.name, reason)
            )
        preview.readings.append(reading)
        preview.plans.append((advocate, organisations))
    load_existing(preview.plans)
    return preview


def preview_import(data: bytes, format: str, first_line: int = 1, progress=iter) -> Preview:
    """What importing the file would do, row by row; writes nothing."""
    return preview_rows(read_rows(data, format, first_line), progress)
