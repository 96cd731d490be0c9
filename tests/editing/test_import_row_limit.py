"""A file holds at most IMPORT_MAX_ROWS rows: reading stops there, and says so."""

import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from orgs.services.records_import.preview import preview_import
from orgs.services.records_import.reading import read_rows
from tests.editing.test_importing import SHORT_HEADER, a_source, csv_file

pytestmark = pytest.mark.django_db

LIMIT = 20


@pytest.fixture(autouse=True)
def small_limit(settings):
    settings.IMPORT_MAX_ROWS = LIMIT


def organisation_rows(count: int) -> list[list[str]]:
    return [["", "", f"Row Aid {n}", "", "Ghent, Belgium", "", "", "", "BE"] for n in range(count)]


def xlsx_file(rows: list[list[str]]) -> bytes:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(SHORT_HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.mark.parametrize("write", [xlsx_file, csv_file])
def test_a_file_at_the_limit_reads_whole(write):
    rows = read_rows(write(organisation_rows(LIMIT)), "xlsx" if write is xlsx_file else "csv")
    assert [row.problem for row in rows] == [""] * LIMIT


@pytest.mark.parametrize("write", [xlsx_file, csv_file])
def test_one_row_over_the_limit_rejects_the_file_and_says_why(write):
    format = "xlsx" if write is xlsx_file else "csv"
    preview = preview_import(write(organisation_rows(LIMIT + 1)), format)
    assert [(entry.where, entry.reason) for entry in preview.rejected] == [
        (
            f"Row {LIMIT + 2}",
            f"the file has more than {LIMIT} rows, the most one import reads: split it into "
            f"files of at most {LIMIT} rows",
        )
    ]


def test_empty_rows_do_not_count(settings):
    rows = organisation_rows(LIMIT)
    padded = [row for pair in zip(rows, [[""] * 9] * LIMIT, strict=True) for row in pair]
    assert len(read_rows(xlsx_file(padded), "xlsx")) == LIMIT


def test_the_command_says_the_file_is_too_long(tmp_path):
    path = tmp_path / "long.xlsx"
    path.write_bytes(xlsx_file(organisation_rows(LIMIT + 5)))
    a_source()
    with pytest.raises(CommandError, match="Nothing saved: 1 rejected rows"):
        call_command("import_table", str(path), "--source", "city-survey-2026", "--commit")
    out = io.StringIO()
    call_command("import_table", str(path), "--source", "city-survey-2026", stdout=out)
    assert f"the file has more than {LIMIT} rows" in out.getvalue()
