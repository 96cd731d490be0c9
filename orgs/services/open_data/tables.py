"""A table of the open data: its columns with their Table Schema types, its keys, and its rows.

Both packages (`package`, `hsds_tables`) describe their tables so; `building` writes each as a
CSV file and its description as a resource of the package's `datapackage.json`. Cells are
written as Table Schema reads them back: an empty cell is null, dates and times in ISO 8601,
booleans `true`/`false`, arrays as JSON; text goes through `safe_cell`, as in every file the
directory writes.
"""

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from orgs.spreadsheet_cells import safe_cell


@dataclass(frozen=True)
class Column:
    name: str
    type: str = "string"  # a Table Schema type
    format: str = ""
    description: str = ""


@dataclass(frozen=True)
class ForeignKey:
    columns: tuple[str, ...]
    table: str
    their_columns: tuple[str, ...]


@dataclass
class Table:
    """One CSV file: `rows` gives its rows as tuples of values, in the columns' order."""

    name: str
    title: str
    columns: list[Column]
    rows: Callable[[], Iterable[tuple]]
    primary_key: tuple[str, ...]
    foreign_keys: list[ForeignKey] = field(default_factory=list)
    description: str = ""
    path: str = ""  # in the zip; `data/<name>.csv` unless given

    @property
    def file(self) -> str:
        return self.path or f"data/{self.name}.csv"

    def resource(self, rows: int) -> dict:
        """The table as a tabular data resource of `datapackage.json`."""
        schema = {
            "fields": [column_descriptor(column) for column in self.columns],
            "primaryKey": list(self.primary_key),
            "missingValues": [""],
        }
        if self.foreign_keys:
            schema["foreignKeys"] = [
                {
                    "fields": list(key.columns),
                    "reference": {"resource": key.table, "fields": list(key.their_columns)},
                }
                for key in self.foreign_keys
            ]
        resource = {
            "name": self.name,
            "title": self.title,
            "path": self.file,
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "schema": schema,
            "rows": rows,
        }
        if self.description:
            resource["description"] = self.description
        return resource

    def lines(self) -> Iterable[list[str]]:
        """The header, then each row as the CSV's cells."""
        yield [column.name for column in self.columns]
        writers = [CELLS[column.type] for column in self.columns]
        for row in self.rows():
            yield [write(value) for write, value in zip(writers, row, strict=True)]


def column_descriptor(column: Column) -> dict:
    described = {"name": column.name, "type": column.type}
    if column.format:
        described["format"] = column.format
    if column.description:
        described["description"] = column.description
    return described


def text(value) -> str:
    return safe_cell(value)


def number(value) -> str:
    return "" if value is None else str(value)


def boolean(value) -> str:
    return "" if value is None else ("true" if value else "false")


def day(value: date | str | None) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else value.isoformat()


def moment(value: datetime | None) -> str:
    """In UTC, to the second: `2026-12-07T23:10:00Z`."""
    if value is None:
        return ""
    return value.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def array(value) -> str:
    return json.dumps(value or [], ensure_ascii=False)


CELLS = {
    "string": text,
    "integer": number,
    "number": number,
    "boolean": boolean,
    "date": day,
    "datetime": moment,
    "array": array,
}
