"""Reading an import file: its rows, and what each row says.

`read_rows` turns a CSV, XLSX or EPIM-layout file into `Row`s (cells by column, where the row
is, and why it cannot be read); `read_row` reads a row's cells into a `Reading` (the person,
the organisations named, places, vocabulary terms, form and leadership, addresses) through the
fixture build's EPIM readings (`orgs.seeding.epim.AnnexReadings`): a cell the editors' tables
map reads as they decided, any other is read automatically. A reading's `problems` are why the
preview rejects its row.
"""

import csv
import io
import re
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models

from orgs.choices import Leadership
from orgs.links import is_web_url, other_scheme_addresses
from orgs.models import FocusArea, LegalForm, TargetGroup
from orgs.seeding.cells import AutomaticReading
from orgs.seeding.epim import (
    READINGS_FILE,
    AnnexReadings,
    Named,
    annex_lines,
    value,
    website_and_email,
)
from orgs.spreadsheet_cells import unguarded

# The EPIM tables as the fixture build wrote them (never the build's own source files).
EPIM_READINGS = Path(settings.BASE_DIR) / "fixtures" / READINGS_FILE
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


class Format(models.TextChoices):
    CSV = "csv", "CSV (header row, country column)"
    XLSX = "xlsx", "Excel XLSX (header row, country column)"
    EPIM = "epim", "Tab-separated table laid out like EPIM Annex 2"


@dataclass(frozen=True)
class FileType:
    """How a format's files are named and served: the import knows a file's format by its
    extension, and an export is named with the first and sent as `content_type`."""

    extensions: tuple[str, ...]
    content_type: str


FILE_TYPES = {
    Format.CSV: FileType((".csv",), "text/csv; charset=utf-8"),
    Format.XLSX: FileType(
        (".xlsx",), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ),
    Format.EPIM: FileType((".tsv", ".txt"), "text/tab-separated-values; charset=utf-8"),
}


def format_for(filename: str) -> str:
    """The format a file's extension names ("" when it names none)."""
    suffix = Path(filename).suffix.lower()
    return next((format for format, file in FILE_TYPES.items() if suffix in file.extensions), "")


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
    # An exported cell that a spreadsheet would have run as a formula starts with "'".
    return unguarded(str(cell))


def too_many_rows(number: int) -> Row:
    limit = settings.IMPORT_MAX_ROWS
    return Row(
        number,
        {},
        f"Row {number}",
        f"the file has more than {limit:,} rows, the most one import reads: split it into "
        f"files of at most {limit:,} rows",
    )


def table_rows(records: Iterable[Sequence]) -> list[Row]:
    """Rows of a table whose first record is the header row (spreadsheet row 1), read one
    record at a time and no further than `IMPORT_MAX_ROWS` rows that hold something."""
    records = iter(records)
    header = next(records, None)
    if header is None:
        return [Row(1, {}, "Row 1", "the file is empty")]
    columns, problem = header_columns(header)
    if problem:
        return [Row(1, {}, "Row 1", problem)]
    rows = []
    for number, record in enumerate(records, start=2):
        cells = [cell_text(cell) for cell in record]
        if not any(cell.strip() for cell in cells):
            continue
        if len(rows) == settings.IMPORT_MAX_ROWS:
            return [too_many_rows(number)]
        extra = cells[len(columns) :]
        row = Row(number, dict(zip(columns, cells, strict=False)), f"Row {number}")
        if len(cells) < len(columns) or any(cell.strip() for cell in extra):
            row.problem = f"the row has {len(cells)} cells, the header {len(columns)}"
        rows.append(row)
    return rows


def read_csv(data: bytes) -> list[Row]:
    text = data.decode("utf-8-sig")
    # A file the csv module cannot read says so before anything else (a wrong header): one
    # pass that keeps nothing, then the rows.
    deque(csv.reader(io.StringIO(text, newline="")), maxlen=0)
    return table_rows(csv.reader(io.StringIO(text, newline="")))


def read_xlsx(data: bytes) -> list[Row]:
    """The first sheet's rows, streamed (openpyxl's read-only mode): a small file can hold a
    million rows, and reading stops at the limit instead of holding them all."""
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl's and zipfile's many errors for a file not XLSX
        return [Row(1, {}, "Row 1", f"not an XLSX file ({type(error).__name__})")]
    try:
        return table_rows(workbook.worksheets[0].iter_rows(values_only=True))
    finally:
        workbook.close()


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
        # An exported cell that a spreadsheet would have run as a formula starts with "'".
        cells = [unguarded(cell) for cell in line.split("\t")]
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
        elif len(rows) == settings.IMPORT_MAX_ROWS:
            return [too_many_rows(number)]
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
    """The editors' EPIM tables (as the fixture build wrote them), falling back for a cell they
    do not map to an automatic reading that knows the database's vocabularies."""
    automatic = AutomaticReading(
        terms={
            "focus_areas": dict(FocusArea.objects.values_list("name", "slug")),
            "target_groups": dict(TargetGroup.objects.values_list("name", "slug")),
        }
    )
    return AnnexReadings.from_built(EPIM_READINGS, automatic)


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
