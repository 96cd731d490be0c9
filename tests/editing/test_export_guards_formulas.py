"""The admin's export writes no cell a spreadsheet would run as a formula, and reads back."""

import csv
import io

import pytest
import tablib
from django.urls import reverse

from orgs.models import Country, Organisation
from orgs.services.records_import.preview import preview_import
from orgs.services.records_import.reading import read_rows
from orgs.spreadsheet_cells import safe_cell, unguarded

pytestmark = pytest.mark.django_db

# Names a spreadsheet would run: = + - @ start a formula, a tab or a return pads one.
NAMES = ['=HYPERLINK("http://x")', "+31 Collective", "-1 Collective", "@Home Aid", "\tTab Aid"]


@pytest.mark.parametrize(
    "value, cell",
    [
        ("=1+1", "'=1+1"),
        ("+31", "'+31"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tpadded", "'\tpadded"),
        ("\rreturn", "'\rreturn"),
        ("Velos Youth", "Velos Youth"),
        (None, ""),
    ],
)
def test_one_rule_guards_a_cell_and_reads_it_back(value, cell):
    assert safe_cell(value) == cell
    assert unguarded(cell) == ("" if value is None else value)


@pytest.fixture
def hostile_organisations(viewer):
    """Organisations whose names start a formula, and a viewer (who may export) signed in."""
    greece = Country.objects.get(code="GR")
    organisations = []
    for number, name in enumerate(NAMES):
        organisation = Organisation.objects.create(name=name, slug=f"hostile-{number}")
        organisation.countries.add(greece)
        organisations.append(organisation)
    return organisations


def export(client, format: str, organisations) -> bytes:
    """What a viewer (who may export, not edit) downloads for the selected records."""
    response = client.post(
        reverse("admin:orgs_organisation_changelist"),
        {"action": f"export_{format}", "_selected_action": [o.pk for o in organisations]},
    )
    assert response.status_code == 200
    return response.content


def test_the_csv_export_guards_dash_and_tab_cells(client, hostile_organisations):
    data = export(client, "csv", hostile_organisations)
    records = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    assert sorted(record["organisation"] for record in records) == sorted(
        "'" + name for name in NAMES
    )


def test_the_xlsx_export_guards_dash_and_tab_cells(client, hostile_organisations):
    data = export(client, "xlsx", hostile_organisations)
    sheet = tablib.Dataset().load(data, format="xlsx")
    assert sorted(sheet["organisation"]) == sorted("'" + name for name in NAMES)


def test_the_epim_layout_export_guards_cells_that_start_a_formula(client, hostile_organisations):
    data = export(client, "epim", hostile_organisations)
    lines = data.decode("utf-8").splitlines()
    organisations = sorted(line.split("\t")[2] for line in lines[2:])
    # The layout joins a cell's words with one space: the tab before "Tab Aid" is gone.
    assert organisations == sorted("'" + " ".join(name.split()) for name in NAMES[:4]) + ["Tab Aid"]


@pytest.mark.parametrize("format", ["csv", "xlsx", "epim"])
def test_guarded_cells_read_back_as_the_names_they_were(client, hostile_organisations, format):
    data = export(client, format, hostile_organisations)
    names = {" ".join(name.split()) for name in NAMES}
    assert {" ".join(row.cells["organisation"].split()) for row in read_rows(data, format)} == (
        names
    )
    preview = preview_import(data, format)
    assert preview.counts == {"create": 0, "merge": len(NAMES), "reject": 0}
