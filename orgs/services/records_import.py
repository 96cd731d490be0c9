"""Importing organisations and advocates from an editor's file: read, preview, commit.

A file holds rows of the eight columns of EPIM 2019 Annex 2 (person name, email/website,
organisation, form, location, advocacy scope, focus, target groups), in one of three layouts:
CSV or XLSX with a header row (EPIM's titles or our short names) and a `country` column, or a
tab-separated table laid out like the annex itself (a country header line above each block).

Each row is read through the fixture build's own EPIM readings (`seeding.epim.AnnexReadings`):
a cell the editors' tables map reads as they decided, any other cell is read automatically
(`seeding.cells`). The preview says row by row what will be created, what merged into an
existing record (an organisation or an advocate by name or alias, in the row's country;
within one file the same name, or the same table key, is one record) and what is rejected and
why. The commit re-reads the file and saves all of it in one transaction, or nothing when any
row is rejected; everything it writes cites the Source the editor chose.

Why custom parts: django-import-export imports one model row per file row, matched on an id
column; a row here makes an advocate, its organisations, affiliations and leadership claims,
matched by name within a country, so the flow is our own. CSV is read with the `csv` module
because tablib pads a short row silently and fails the whole file on a long one, and the
preview must name the row of the wrong width; XLSX goes through tablib (openpyxl). The EPIM
layout (country header lines, continuation lines, footnotes) is a layout no library knows.
"""

import csv
import hashlib
import io
import logging
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import tablib
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django_countries import countries

from orgs import caching
from orgs.choices import LED_BY_MIGRANTS, Leadership
from orgs.links import is_web_url, other_scheme_addresses
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
from orgs.seeding.cells import AutomaticReading
from orgs.seeding.epim import AnnexReadings, Named, annex_lines, value, website_and_email
from orgs.services import history, leadership
from orgs.slugs import slug_for

logger = logging.getLogger(__name__)

EPIM_FOLDER = Path(settings.BASE_DIR) / "fixtures" / "source" / "epim-2019"
COLUMNS = [
    "name", "email_website", "organisation", "form", "location", "scope", "focus",
    "target_groups",
]  # fmt: skip
COUNTRY = "country"
TITLES = {
    "name": "Name",
    "email_website": "Email/Website",
    "organisation": "Name of the Organisation (if applicable)",
    "form": "Form of the Organisation (if applicable)",
    "location": "Location",
    "scope": "Advocacy Scope",
    "focus": "Area(s) of focus",
    "target_groups": "Target group(s)",
    "country": "Country",
}
NAME_LENGTH = 300
URL_LENGTH = 500
FORMULA_STARTS = ("=", "+", "@")


class Format(models.TextChoices):
    CSV = "csv", "CSV (header row, country column)"
    XLSX = "xlsx", "Excel XLSX (header row, country column)"
    EPIM = "epim", "Tab-separated table laid out like EPIM Annex 2"


EXTENSIONS = {".csv": Format.CSV, ".xlsx": Format.XLSX, ".tsv": Format.EPIM, ".txt": Format.EPIM}


def format_for(filename: str) -> str:
    """The format a file's extension names ("" when it names none)."""
    return EXTENSIONS.get(Path(filename).suffix.lower(), "")


# Reading files into rows.


@dataclass
class Row:
    """One row of a file: its cells by column, where it is, and why it cannot be read."""

    number: int
    cells: dict[str, str]
    locator: str
    problem: str = ""


def title_key(title) -> str:
    """A column title reduced to letters, so that "Form of the Organisation ‡ (if applicable)"
    and "form_of_the_organisation" compare equal."""
    text = str(title or "").lower().replace("(if applicable)", "")
    return re.sub(r"[^a-z]", "", text)


COLUMN_TITLES = {title_key(title): column for column, title in TITLES.items()}
COLUMN_TITLES.update({title_key(column): column for column in TITLES})


def header_columns(titles: list) -> tuple[list[str], str]:
    """The columns a header row names, in order, or a problem that stops the file."""
    titles = list(titles)
    while titles and not str(titles[-1] or "").strip():
        titles.pop()
    columns = [COLUMN_TITLES.get(title_key(title), "") for title in titles]
    unknown = [str(title) for title, column in zip(titles, columns, strict=True) if not column]
    if unknown:
        return columns, f"unknown columns {unknown}"
    missing = [column for column in COLUMNS if column not in columns]
    if missing:
        return columns, f"the header lacks the columns {missing}"
    if len(set(columns)) != len(columns):
        return columns, "the header names a column twice"
    return columns, ""


def cell_text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    text = str(cell)
    # An exported cell that a spreadsheet would have run as a formula starts with "'".
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        text = text[1:]
    return text


def table_rows(records: list[list], width_known: bool = True) -> list[Row]:
    """Rows of a table whose first record is the header row (spreadsheet row 1)."""
    if not records:
        return [Row(1, {}, "Row 1", "the file is empty")]
    columns, problem = header_columns(records[0])
    if problem:
        return [Row(1, {}, "Row 1", problem)]
    rows = []
    for number, record in enumerate(records[1:], start=2):
        cells = [cell_text(cell) for cell in record]
        if not any(cell.strip() for cell in cells):
            continue
        extra = cells[len(columns) :]
        row = Row(number, dict(zip(columns, cells, strict=False)), f"Row {number}")
        if len(cells) < len(columns) or any(cell.strip() for cell in extra):
            row.problem = f"the row has {len(cells)} cells, the header {len(columns)}"
        rows.append(row)
    return rows


def read_csv(data: bytes) -> list[Row]:
    text = data.decode("utf-8-sig")
    return table_rows(list(csv.reader(io.StringIO(text, newline=""))))


def read_xlsx(data: bytes) -> list[Row]:
    try:
        dataset = tablib.Dataset().load(data, format="xlsx", headers=False)
    except tablib.InvalidDimensions:
        return [Row(1, {}, "Row 1", "a row is wider than the header row")]
    except Exception as error:  # openpyxl's many errors for a file that is not XLSX
        return [Row(1, {}, "Row 1", f"not an XLSX file ({type(error).__name__})")]
    return table_rows([list(record) for record in dataset])


def read_epim_layout(data: bytes, first_line: int = 1) -> list[Row]:
    """Rows of a table laid out like EPIM Annex 2, numbered as lines from `first_line`.

    Lines before the header line are the annex's introduction; after it, a line without a tab
    is a note or footnote, a line with a country in the first cell only starts a country block,
    and a line whose first five cells are empty continues the row above (its cells are joined
    to that row's with one space).
    """
    text = data.decode("utf-8-sig")
    rows: list[Row] = []
    header_seen, block = False, ""
    width = len(COLUMNS)
    for number, line in enumerate(text.splitlines(), start=first_line):
        if "\t" not in line:
            continue
        cells = line.split("\t")
        if not header_seen:
            columns, problem = header_columns(cells)
            if problem or columns != COLUMNS:
                return [Row(number, {}, f"line {number}", problem or "not the annex's columns")]
            header_seen = True
            continue
        if len(cells) != width:
            problem = f"the line has {len(cells)} cells, the table {width}"
            rows.append(Row(number, {}, locator(block, number), problem))
        elif cells[0].strip() and not any(cell.strip() for cell in cells[1:]):
            block = cells[0].strip()
        elif not any(cell.strip() for cell in cells[:5]):
            if not rows or rows[-1].problem:
                rows.append(Row(number, {}, locator(block, number), "continues no row"))
                continue
            for column, cell in zip(COLUMNS, cells, strict=True):
                if cell:
                    above = rows[-1].cells[column]
                    rows[-1].cells[column] = f"{above} {cell}" if above else cell
            # The row's citation covers the lines its cells continue on.
            rows[-1].locator = locator(block, rows[-1].number, number)
        else:
            cells_by_column = dict(zip(COLUMNS, cells, strict=True))
            rows.append(Row(number, {**cells_by_column, COUNTRY: block}, locator(block, number)))
    if not header_seen:
        return [Row(first_line, {}, f"line {first_line}", "no header line with the columns")]
    return rows


def locator(block: str, number: int, last: int | None = None) -> str:
    lines = annex_lines(number, last)
    return f"{block}, {lines}" if block else lines


def read_rows(data: bytes, format: str, first_line: int = 1) -> list[Row]:
    try:
        if format == Format.CSV:
            return read_csv(data)
        if format == Format.XLSX:
            return read_xlsx(data)
        if format == Format.EPIM:
            return read_epim_layout(data, first_line)
    except UnicodeDecodeError as error:
        return [Row(1, {}, "Row 1", f"not UTF-8 text (byte {error.start + 1}): save it as UTF-8")]
    except csv.Error as error:
        return [Row(1, {}, "Row 1", f"not a readable CSV file ({error})")]
    raise ValueError(f"unknown format {format!r}")


# Reading rows: what each says, through the fixture build's EPIM readings.


def annex_readings() -> AnnexReadings:
    automatic = AutomaticReading(
        terms={
            "focus_areas": dict(FocusArea.objects.values_list("name", "slug")),
            "target_groups": dict(TargetGroup.objects.values_list("name", "slug")),
        }
    )
    return AnnexReadings.from_folder(EPIM_FOLDER, automatic)


@dataclass
class Reading:
    """What one row says, read; `problems` are why it is rejected."""

    row: Row
    person: str = ""
    named: list[Named] = field(default_factory=list)
    former: bool = False
    country: str = ""
    cities: list[str] = field(default_factory=list)
    levels: list[str] = field(default_factory=list)
    focus_areas: list[str] = field(default_factory=list)
    target_groups: list[str] = field(default_factory=list)
    form: str = LegalForm.UNKNOWN
    leadership: str = Leadership.UNKNOWN
    leadership_raw: str = ""
    websites: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def invalid_emails(cell: str) -> list[str]:
    """The words of an "Email/Website" cell that look like email addresses and are none."""
    invalid = []
    for word in cell.split():
        if "@" not in word:
            continue
        address = word.strip("<>()[],;:\"'").removeprefix("mailto:")
        try:
            validate_email(address)
        except ValidationError:
            invalid.append(word)
    return invalid


def read_row(row: Row, readings: AnnexReadings) -> Reading:
    reading = Reading(row)
    if row.problem:
        reading.problems.append(row.problem)
        return reading
    cells = {column: row.cells.get(column, "") or "" for column in [*COLUMNS, COUNTRY]}
    where = row.locator
    reading.person = readings.person_name(cells["name"])
    reading.named, reading.former = readings.named_organisations(cells["organisation"], where)
    if not reading.person and not reading.named:
        reading.problems.append("no name and no organisation")
    for name in [reading.person, *(entry.name for entry in reading.named)]:
        if len(name) > NAME_LENGTH:
            reading.problems.append(f"a name longer than {NAME_LENGTH} characters")
    if value(cells["location"]):
        reading.country, reading.cities = readings.place(cells["location"], where)
    named_country = value(cells[COUNTRY])
    if named_country:
        code = readings.automatic.country(named_country)
        if not code:
            reading.problems.append(f"unknown country {named_country!r}")
        elif reading.country and reading.country != code:
            reading.problems.append(
                f"the location is in {reading.country}, the country column says {code}"
            )
        else:
            reading.country = code
    reading.levels = readings.levels(cells["scope"], where)
    reading.focus_areas = readings.focus_areas(cells["focus"], where)
    reading.target_groups = readings.target_groups(cells["target_groups"], where)
    if value(cells["form"]):
        reading.form, reading.leadership, reading.leadership_raw = readings.form(
            cells["form"], where
        )
    reading.websites, reading.emails = website_and_email(cells["email_website"])
    for website in reading.websites:
        if len(website) > URL_LENGTH:
            reading.problems.append(f"a website address longer than {URL_LENGTH} characters")
        elif not is_web_url(website):
            reading.problems.append(f"{website} is not an http:// or https:// address")
    for address in other_scheme_addresses(cells["email_website"]):
        reading.problems.append(f"{address} is not an http:// or https:// address")
    for word in invalid_emails(cells["email_website"]):
        reading.problems.append(f"invalid email {word!r}")
    return reading


# The preview: which record each row creates or merges into.


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
    first_row: int = 0


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
    """Finds the record a row names: one planned earlier in the file, or an existing one."""

    def __init__(self):
        self.planned: dict[tuple, Planned] = {}
        self.existing = {
            "organisation": self.index(
                Organisation.objects.values_list("pk", "name", "countries__code"),
                OrganisationAlias.objects.values_list(
                    "organisation_id", "name", "organisation__countries__code"
                ),
            ),
            "advocate": self.index(
                Advocate.objects.values_list("pk", "name", "countries__code"),
                AdvocateAlias.objects.values_list(
                    "advocate_id", "name", "advocate__countries__code"
                ),
            ),
        }
        self.taken_slugs = {
            "organisation": set(Organisation.objects.values_list("slug", flat=True)),
            "advocate": set(Advocate.objects.values_list("slug", flat=True)),
        }

    @staticmethod
    def index(*rows_of_names) -> dict[tuple[str, str], int]:
        found = {}
        for rows in rows_of_names:
            for pk, name, code in rows:
                found.setdefault((code or "", spelling(name)), pk)
        return found

    def find(self, kind, names: list[str], country: str, key: str, row: int):
        """(the planned record, whether this row creates it, why it merges)."""
        spellings = [spelling(name) for name in names if name.strip()]
        identities = ([(kind, "key", key)] if key else []) + [(kind, s) for s in spellings]
        for identity in identities:
            if identity in self.planned:
                planned = self.planned[identity]
                for other in identities:
                    self.planned.setdefault(other, planned)
                return planned, False, f"also named on row {planned.first_row}"
        model = Organisation if kind == "organisation" else Advocate
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
            planned.existing = model.objects.get(pk=pk)
            planned.name = planned.existing.name
            reason = f"matches {planned.existing.name!r} in {where or 'no country'}"
        else:
            planned.slug = self.free_slug(kind, key or slug_for(names[0]), country)
            reason = ""
        for identity in identities:
            self.planned[identity] = planned
        return planned, planned.existing is None, reason

    def free_slug(self, kind: str, slug: str, country: str) -> str:
        slug = (slug or kind)[:190]
        taken = self.taken_slugs[kind]
        candidates = [slug, f"{slug}-{country.lower()}"] + [f"{slug}-{n}" for n in range(2, 1000)]
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
            planned, created, reason = matcher.find(
                "organisation", names, reading.country, key, row.number
            )
            organisations.append(planned)
            action = "create" if created else "merge"
            preview.entries.append(
                Entry(row.number, row.locator, action, "organisation", planned.name, reason)
            )
        advocate = None
        if reading.person:
            advocate, created, reason = matcher.find(
                "advocate", [reading.person], reading.country, "", row.number
            )
            action = "create" if created else "merge"
            preview.entries.append(
                Entry(row.number, row.locator, action, "advocate", advocate.name, reason)
            )
        preview.readings.append(reading)
        preview.plans.append((advocate, organisations))
    return preview


def preview_import(data: bytes, format: str, first_line: int = 1, progress=iter) -> Preview:
    """What importing the file would do, row by row; writes nothing."""
    return preview_rows(read_rows(data, format, first_line), progress)


# The commit.


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


# Exporting records as rows the importer reads back.


def country_places(record, code: str) -> str:
    """A "Location" cell: the record's cities in the country, then the country's name."""
    cities = [city.name for city in record.cities.all() if city.country.code == code]
    return ", ".join(
        part for part in ["/".join(cities), countries.name(code) if code else ""] if part
    )


def form_cell(organisation: Organisation) -> str:
    """The form, and a self-described leadership: what a self-description would say."""
    parts = []
    if organisation.form not in (LegalForm.UNKNOWN, LegalForm.OTHER):
        parts.append(organisation.get_form_display())
    if organisation.leadership_evidence == LeadershipEvidence.SELF_DESCRIBED:
        if organisation.leadership in LED_BY_MIGRANTS:
            parts.append(organisation.get_leadership_display())
        elif organisation.leadership == "not-migrant-led":
            parts.append("Not migrant-led")
    return ", ".join(parts)


def profile_cells(record) -> dict[str, str]:
    return {
        "scope": ", ".join(level.slug for level in record.levels.all()),
        "focus": ", ".join(term.slug for term in record.focus_areas.all()),
        "target_groups": ", ".join(term.slug for term in record.target_groups.all()),
    }


def organisation_rows(organisation: Organisation) -> list[dict[str, str]]:
    addresses = [organisation.website, *organisation.other_websites, organisation.email]
    codes = [country.code for country in organisation.countries.all()] or [""]
    return [
        {
            "name": "",
            "email_website": " ".join(address for address in addresses if address),
            "organisation": organisation.name,
            "form": form_cell(organisation),
            "location": country_places(organisation, code),
            **profile_cells(organisation),
            COUNTRY: code,
        }
        for code in codes
    ]


def advocate_rows(advocate: Advocate) -> list[dict[str, str]]:
    """One row per organisation (the personal address stays out of every file), and one
    for each further country the advocate works in."""
    codes = [country.code for country in advocate.countries.all()]
    rows, placed = [], set()
    for organisation in advocate.organisations.all() or [None]:
        shared = [c.code for c in organisation.countries.all()] if organisation else []
        code = next((code for code in codes if code in shared), codes[0] if codes else "")
        placed.add(code)
        rows.append((organisation.name if organisation else "", code))
    rows += [("", code) for code in codes if code not in placed]
    return [
        {
            "name": advocate.name,
            "email_website": "",
            "organisation": name,
            "form": "",
            "location": country_places(advocate, code),
            **profile_cells(advocate),
            COUNTRY: code,
        }
        for name, code in rows
    ]


def export_rows(records) -> list[dict[str, str]]:
    """Rows of the import's columns for organisations or advocates (a queryset of either)."""
    rows_of = organisation_rows if records.model is Organisation else advocate_rows
    records = records.prefetch_related(
        "countries", "cities", "levels", "focus_areas", "target_groups"
    )
    if records.model is Advocate:
        records = records.prefetch_related("organisations__countries")
    return [row for record in records for row in rows_of(record)]


def guarded(text: str) -> str:
    """A cell a spreadsheet would run as a formula gets a leading apostrophe (read back)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def write_file(rows: list[dict[str, str]], format: str) -> bytes:
    if format == Format.EPIM:
        return write_epim_layout(rows)
    header = [*COLUMNS, COUNTRY]
    table = [[guarded(row[column]) for column in header] for row in rows]
    if format == Format.XLSX:
        return tablib.Dataset(*table, headers=header).export("xlsx")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(table)
    return out.getvalue().encode("utf-8")


def write_epim_layout(rows: list[dict[str, str]]) -> bytes:
    """The annex's layout: its titles, then the rows under a header line per country."""
    lines = ["\t".join(TITLES[column] for column in COLUMNS)]
    block = None
    for row in sorted(rows, key=lambda row: countries.name(row[COUNTRY]) if row[COUNTRY] else ""):
        name = countries.name(row[COUNTRY]) if row[COUNTRY] else ""
        if name != block and name:
            lines.append("\t".join([name] + [""] * (len(COLUMNS) - 1)))
        block = name
        cells = [" ".join(row[column].split()) for column in COLUMNS]
        # "-" says "no organisation", so that a row is never read as a country header line.
        cells[2] = cells[2] or "-"
        lines.append("\t".join(cells))
    return ("\n".join(lines) + "\n").encode("utf-8")
