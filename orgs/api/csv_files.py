"""CSV downloads: one writer for the web pages and the API.

Rows stream as they are written (constant memory however long the list); the file starts with
a UTF-8 byte-order mark so that spreadsheets read accents; and a cell a spreadsheet would run as
a formula is neutralised with a leading apostrophe.
"""

import csv
from collections.abc import Iterable, Iterator

from django.http import StreamingHttpResponse

from orgs.spreadsheet_cells import safe_cell

BOM = "\ufeff"
LIST_SEPARATOR = " | "
# Rows per chunk, each chunk one query per relation: larger chunks make fewer queries per row
# (a 100,000-row CSV took 18 s at 500, 16 s at 2,000, no less at 5,000); memory stays bounded.
CHUNK_SIZE = 2000


def flat(value) -> str:
    """A JSON value as one cell: lists joined, nested records by their name or place."""
    if isinstance(value, list):
        return LIST_SEPARATOR.join(flat(item) for item in value)
    if isinstance(value, dict):
        if "locator" in value:
            return ", ".join(str(value[key]) for key in ("report", "locator") if value.get(key))
        for key in ("name", "slug", "code", "value"):
            if value.get(key) not in (None, ""):
                return str(value[key])
        return "; ".join(f"{key}: {flat(item)}" for key, item in value.items())
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else str(value)


class Echo:
    """A file-like object whose write returns the line, for csv.writer to stream through."""

    def write(self, value):
        return value


def cells(columns: list[str], data: dict) -> list[str]:
    """A JSON record as a row of cells."""
    return [safe_cell(flat(data.get(column))) for column in columns]


def header_line(columns: list[str]) -> str:
    """The file's first line: the byte-order mark and the columns' names."""
    return BOM + csv.writer(Echo()).writerow(columns)


def csv_lines(columns: list[str], rows: Iterable[list[str]]) -> Iterator[str]:
    """The header, then one line per row of cells."""
    writer = csv.writer(Echo())
    yield header_line(columns)
    for row in rows:
        yield writer.writerow(row)


def lines_response(lines: Iterable[str], filename: str) -> StreamingHttpResponse:
    """A CSV file of finished lines, the header first, streamed."""
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(
    columns: list[str], rows: Iterable[list[str]], filename: str
) -> StreamingHttpResponse:
    return lines_response(csv_lines(columns, rows), filename)


def chunks(records: Iterable, size: int) -> Iterator[list]:
    """Lists of up to `size` items, in order."""
    chunk = []
    for record in records:
        chunk.append(record)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def serialized_csv(serializer_class, records, context: dict, filename: str):
    """Records as CSV with the fields (and the flattened values) of their API serializer.

    The API's lists of terms (short, cached lists) are written so. Organisations, advocates and
    networks are written by `csv_sql` (on PostgreSQL) or `csv_rows`, faster, with the same
    bytes; a queryset given here is how the tests write the reference those bytes are compared
    with. It is read in chunks (the
    iterator prefetches each relation once per chunk, and memory holds one chunk), and each
    chunk goes through one list serializer.
    """
    columns = list(serializer_class(context=context).fields)
    records = records.iterator(chunk_size=CHUNK_SIZE) if hasattr(records, "iterator") else records
    rows = (
        cells(columns, row)
        for chunk in chunks(records, CHUNK_SIZE)
        for row in serializer_class(chunk, many=True, context=context).data
    )
    return csv_response(columns, rows, filename)
