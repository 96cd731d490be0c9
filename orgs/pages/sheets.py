"""Someone's list for "Match my list": read from their CSV or XLSX, carried between the page's
steps in the form itself, and written back with the directory's columns added.

Nothing of an upload is kept on the server. The file is small enough (MAX_BYTES) that Django
holds it in memory, never in a temporary file; its cells travel from one step to the next in a
signed, compressed hidden field of the page (signed so that nobody can slip other cells in,
with an age limit), and the download is written from that field. No database row, cache entry
or file holds it at any time.
"""

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import tablib
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from orgs.services.records_import.reading import FILE_TYPES, Format, cell_text, format_for
from orgs.spreadsheet_cells import safe_cell

MAX_BYTES = 200 * 1024  # of an upload: below the request body limit, so held in memory
MAX_ROWS = 100  # under the header row: each row is matched while the page waits
MAX_COLUMNS = 50
MAX_RECORDS = 10 * MAX_ROWS  # rows read, blank ones included
MAX_AGE = 2 * 60 * 60  # seconds a page's sheet stays valid, for someone who takes their time
SALT = "orgs.pages.sheets"
FORMATS = (Format.CSV, Format.XLSX)


class SheetError(ValueError):
    """Why a file or a page's sheet cannot be read, said to the person who sent it."""


@dataclass
class Sheet:
    """The header row and the rows under it, each as long as the widest; the file's name and
    format, for the download."""

    name: str
    format: str
    header: list[str]
    rows: list[list[str]]

    def column_titles(self) -> list[str]:
        """Each column's title, or "Column 3" for one without."""
        return [
            title.strip() or _("Column %(number)s") % {"number": number}
            for number, title in enumerate(self.header, start=1)
        ]

    def packed(self) -> str:
        """The sheet, signed, for the page's hidden field."""
        data = {"n": self.name, "f": self.format, "h": self.header, "r": self.rows}
        packed = signing.dumps(data, salt=SALT, compress=True)
        # The next step sends it back as a form field, which the request limit bounds.
        if len(packed) > settings.REQUEST_BODY_MAX_BYTES - 16 * 1024:
            raise SheetError(_("The list holds too much text: send fewer rows or columns."))
        return packed

    def download_name(self) -> str:
        stem = Path(self.name).stem or "list"
        return f"{stem}-matched{FILE_TYPES[self.format].extensions[0]}"

    def written(self, added_header: list[str], added: list[list[str]]) -> bytes:
        """The file as uploaded, in its format, with the added columns after its own; every cell
        guarded against running as a formula."""
        header = [safe_cell(cell) for cell in self.header + added_header]
        rows = [
            [safe_cell(cell) for cell in row + extra]
            for row, extra in zip(self.rows, added, strict=True)
        ]
        if self.format == Format.XLSX:
            return tablib.Dataset(*rows, headers=header).export("xlsx")
        output = io.StringIO(newline="")
        writer = csv.writer(output)
        writer.writerow(header)
        writer.writerows(rows)
        # With a byte order mark, as the directory's other CSV files: Excel then reads UTF-8.
        return ("\ufeff" + output.getvalue()).encode()


def unpacked(value: str) -> Sheet:
    """The sheet of a page's hidden field."""
    try:
        data = signing.loads(value, salt=SALT, max_age=MAX_AGE)
    except signing.SignatureExpired as error:
        raise SheetError(_("This page is too old: please upload your list again.")) from error
    except signing.BadSignature as error:
        message = _("Your list was not sent back intact: please upload it again.")
        raise SheetError(message) from error
    return Sheet(data["n"], data["f"], data["h"], data["r"])


def read_upload(upload) -> Sheet:
    """The sheet of an uploaded file, or a SheetError saying why it cannot be read."""
    format = format_for(upload.name)
    if format not in FORMATS:
        raise SheetError(_("Upload a CSV file (.csv) or an Excel workbook (.xlsx)."))
    if upload.size > MAX_BYTES:
        raise SheetError(
            _("The file is larger than %(size)s KB: split your list.") % {"size": MAX_BYTES // 1024}
        )
    data = upload.read()
    records = read_csv(data) if format == Format.CSV else read_xlsx(data)
    return table(Path(upload.name).name, format, records)


def read_csv(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SheetError(_("The file is not UTF-8 text: save it as CSV UTF-8.")) from error
    try:
        return limited(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise SheetError(_("The file is not a CSV file that can be read.")) from error


def read_xlsx(data: bytes) -> list[list[str]]:
    """The first sheet's rows, streamed, so that reading stops at the limit."""
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl's and zipfile's many errors for a file not XLSX
        raise SheetError(_("The file is not an Excel workbook that can be read.")) from error
    try:
        sheet = workbook.worksheets[0]
        # The size a file says it has is the uploader's to write: read what is there, one
        # column past the columns a list may have (a row reaching it is refused as too wide;
        # cells further right are not read).
        sheet.reset_dimensions()
        return limited(sheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True))
    except SheetError:
        raise
    except Exception as error:  # a damaged part of the workbook, found while streaming
        raise SheetError(_("The file is not an Excel workbook that can be read.")) from error
    finally:
        workbook.close()


def limited(records) -> list[list[str]]:
    """The records that hold something, as text; no more than the header and MAX_ROWS."""
    kept = []
    for number, record in enumerate(records):
        if number > MAX_RECORDS:  # blank ones too: a file of blank rows is not worth reading
            raise SheetError(too_many_rows())
        cells = [cell_text(cell).strip() for cell in record]
        if not any(cells):
            continue
        if len(kept) > MAX_ROWS:
            raise SheetError(too_many_rows())
        kept.append(cells)
    return kept


def too_many_rows() -> str:
    return ngettext(
        "The list has more than %(count)s row: split it.",
        "The list has more than %(count)s rows: split it.",
        MAX_ROWS,
    ) % {"count": MAX_ROWS}


def table(name: str, format: str, records: list[list[str]]) -> Sheet:
    if not records:
        raise SheetError(_("The file is empty."))
    if len(records) == 1:
        raise SheetError(_("The file has a header row and nothing under it."))
    width = max(len(record) for record in records)
    while width and not any(len(record) >= width and record[width - 1] for record in records):
        width -= 1  # columns empty to the right of the last filled one
    if width > MAX_COLUMNS:
        raise SheetError(
            _("The list has more than %(count)s columns: keep the ones that name organisations.")
            % {"count": MAX_COLUMNS}
        )
    padded = [(record + [""] * width)[:width] for record in records]
    return Sheet(name, format, padded[0], padded[1:])
