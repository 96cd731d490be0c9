"""Every spreadsheet the directory writes guards a cell that would run as a formula (a leading
=, +, -, @, tab or carriage return) with the one rule, `orgs.spreadsheet_cells.safe_cell`: a
test per writer (the admin's exports: tests/editing/test_export_guards_formulas.py)."""

import pytest

from orgs.models import Organisation, Source
from tests.responses import csv_rows

pytestmark = pytest.mark.django_db

NAMES = ["-1 Collective", "\tTab Aid", "\rReturn Aid", "+31 Aid", "@Home Aid", "=1+1 Aid"]


@pytest.fixture
def hostile_organisations():
    return [
        Organisation.objects.create(name=name, slug=f"hostile-{number}")
        for number, name in enumerate(NAMES)
    ]


def test_the_list_csv_guards_every_formula_start(client, hostile_organisations):
    """The records' fast writer (`orgs.api.csv_rows`), behind the API and the pages."""
    rows = csv_rows(client.get("/api/v1/organisations/", {"format": "csv"}))
    names = {row["name"] for row in rows if row["slug"].startswith("hostile-")}
    assert names == {"'" + name for name in NAMES}


def test_one_records_csv_guards_its_cells(client, hostile_organisations):
    """The CSV renderer (`orgs.api.renderers`), for a single record."""
    for organisation in hostile_organisations:
        url = f"/api/v1/organisations/{organisation.slug}/"
        [row] = csv_rows(client.get(url, {"format": "csv"}))
        assert row["name"] == "'" + organisation.name


def test_the_serialized_csv_guards_its_cells(client):
    """The serializers' streaming writer (`orgs.api.csv_files`), for the other lists."""
    for number, title in enumerate(NAMES):
        Source.objects.create(key=f"hostile-{number}", title=title, short_title=title, year=2026)
    rows = csv_rows(client.get("/api/v1/sources/", {"format": "csv"}))
    titles = {row["title"] for row in rows if row["key"].startswith("hostile-")}
    assert titles == {"'" + title for title in NAMES}
