"""CSV that opens cleanly in a spreadsheet: one streaming writer for the pages and the API."""

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from orgs import caching
from orgs.api import csv_files
from orgs.api.csv_files import BOM
from orgs.models import Country, FocusArea, Organisation, organisation_uuid
from orgs.spreadsheet_cells import safe_cell
from tests.responses import body, csv_rows

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "value, cell",
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+31 20 123", "'+31 20 123"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tpadded", "'\tpadded"),
        ("\rreturn", "'\rreturn"),
        ("Velos Youth", "Velos Youth"),
        ("", ""),
        (None, ""),
    ],
)
def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_neutralised(value, cell):
    assert safe_cell(value) == cell


def test_the_api_gives_csv_for_format_csv_and_for_accept_text_csv(client):
    by_format = client.get("/api/v1/organisations/", {"format": "csv", "country": "GR"})
    by_accept = client.get("/api/v1/organisations/", {"country": "GR"}, HTTP_ACCEPT="text/csv")
    for response in (by_format, by_accept):
        assert response.status_code == 200
        assert response.streaming
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert 'filename="organisations.csv"' in response["Content-Disposition"]
    text = body(by_format)
    assert text == body(by_accept)
    rows = csv_rows(client.get("/api/v1/organisations/", {"format": "csv", "country": "GR"}))
    assert len(rows) == 7  # every filtered organisation, not one page
    velos = next(row for row in rows if row["name"] == "Velos Youth")
    assert velos["countries"] == "GR" and velos["leadership"] == "refugee-led"
    assert "Annex 2, Greece, lines 696-698" in velos["sources"]


def test_a_csv_starts_with_a_byte_order_mark_and_keeps_accents(client):
    response = client.get("/api/v1/organisations/", {"format": "csv", "country": "DE"})
    raw = b"".join(response.streaming_content)
    assert raw.startswith(BOM.encode("utf-8"))
    assert "Kölner Flüchtlingsrat" in raw.decode("utf-8")


def test_the_columns_are_the_json_fields(client):
    item = client.get("/api/v1/organisations/syrbanism/").json()
    rows = csv_rows(client.get("/api/v1/organisations/", {"format": "csv", "q": "Syrbanism"}))
    assert list(rows[0]) == list(item)


def test_the_pages_downloads_are_the_apis_csv(client):
    for page, api in [
        ("/organisations/export.csv", "/api/v1/organisations/"),
        ("/advocates/export.csv", "/api/v1/advocates/"),
        ("/networks/export.csv", "/api/v1/networks/"),
    ]:
        assert body(client.get(page, {"country": "IE"})) == body(
            client.get(api, {"country": "IE", "format": "csv"})
        ), page


def test_a_list_pages_download_link_gives_the_apis_csv_of_that_list(client):
    """The link carries the page's own parameters (`show`), which the download ignores."""
    page = client.get("/organisations/", {"country": "IE", "show": "focus"}).content.decode()
    link = re.search(r'<a href="([^"]*export\.csv[^"]*)" download>', page).group(1)
    assert "show=focus" in link
    download = client.get(html.unescape(link))
    assert download.status_code == 200
    api = client.get("/api/v1/organisations/", {"country": "IE", "format": "csv"})
    assert body(download) == body(api)


def test_a_pages_download_and_the_apis_csv_refuse_a_wrong_filter_alike(client):
    page = client.get("/networks/export.csv", {"country": "XX"})
    api = client.get("/api/v1/networks/", {"country": "XX", "format": "csv"})
    assert page.status_code == api.status_code == 400
    assert page["Content-Type"] == api["Content-Type"] == "application/json"
    assert page.json() == api.json() and list(page.json()) == ["country"]


def test_a_surveys_responses_download_has_a_column_per_public_question(client):
    rows = csv_rows(client.get("/surveys/epim-2019-mapping/responses.csv"))
    assert len(rows) == 125
    assert "email_website" not in rows[0]
    assert rows[0]["key"] == "row-622" and rows[0]["scope"] == "Local, National, EU"
    api = client.get("/api/v1/surveys/epim-2019-mapping/responses/", {"format": "csv"})
    assert body(api) == body(client.get("/surveys/epim-2019-mapping/responses.csv"))


def test_a_formula_in_the_data_is_neutralised_in_every_download(client):
    Organisation.objects.create(slug="formula", name="=1+1", description="@cmd")
    rows = csv_rows(client.get("/organisations/export.csv", {"q": "=1+1"}))
    assert (rows[0]["name"], rows[0]["description"]) == ("'=1+1", "'@cmd")


def test_a_ten_thousand_row_export_streams_every_row(client):
    Organisation.objects.bulk_create(
        Organisation(
            slug=f"synthetic-{n}", name=f"Synthetic {n:05}", uuid=organisation_uuid(f"s{n}")
        )
        for n in range(10_000)
    )
    response = client.get("/api/v1/organisations/", {"format": "csv", "q": "Synthetic"})
    assert response.streaming
    chunks = iter(response.streaming_content)
    header = next(chunks)
    assert header.startswith(BOM.encode()) and b"name" in header
    assert sum(1 for _ in chunks) == 10_000


def organisations_with_relations(count: int, start: int = 0):
    """`count` organisations in Greece working on health, like the rows of a real export."""
    greece = Country.objects.get(code="GR")
    health = FocusArea.objects.get(slug="health")
    created = Organisation.objects.bulk_create(
        Organisation(slug=f"bulk-{n}", name=f"Bulk {n:05}", uuid=organisation_uuid(f"b{n}"))
        for n in range(start, start + count)
    )
    Organisation.countries.through.objects.bulk_create(
        Organisation.countries.through(organisation=record, country=greece) for record in created
    )
    Organisation.focus_areas.through.objects.bulk_create(
        Organisation.focus_areas.through(organisation=record, focusarea=health)
        for record in created
    )
    caching.changed()  # as every bulk write does: bulk_create sends no signal


def csv_queries(client, path: str) -> tuple[int, int]:
    """Rows and queries of one whole download of the organisations named "Bulk"."""
    parameters = {"q": "Bulk", **({"format": "csv"} if path.startswith("/api/") else {})}
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, parameters)
        rows = sum(1 for _ in response.streaming_content) - 1
    return rows, len(queries)


# The queries of a whole download besides its rows (the request's own: its filters and its
# search), then its rows': on PostgreSQL the ids in the list's order and one query for every
# line (`csv_sql`), with 3 around it (its transaction, in a test's a savepoint and its
# release, and `SET LOCAL jit = off`); elsewhere the main rows and one query per relation,
# per chunk (`csv_rows`).
BESIDES_ROWS = 7
RELATIONS = 10
ROWS = 2 + 3 if connection.vendor == "postgresql" else 1 + RELATIONS


@pytest.mark.parametrize("path", ["/api/v1/organisations/", "/organisations/export.csv"])
def test_the_query_count_of_a_csv_does_not_grow_with_its_rows(client, path):
    organisations_with_relations(150)
    assert csv_queries(client, path) == (150, BESIDES_ROWS + ROWS)
    organisations_with_relations(300, start=150)
    assert csv_queries(client, path) == (450, BESIDES_ROWS + ROWS)


@pytest.mark.skipif(connection.vendor == "postgresql", reason="one query for every line there")
def test_a_csv_reads_its_relations_once_per_chunk(client, monkeypatch):
    monkeypatch.setattr(csv_files, "CHUNK_SIZE", 100)
    organisations_with_relations(150)
    assert csv_queries(client, "/api/v1/organisations/") == (150, BESIDES_ROWS + 1 + 2 * RELATIONS)
    organisations_with_relations(300, start=150)
    assert csv_queries(client, "/api/v1/organisations/") == (450, BESIDES_ROWS + 1 + 5 * RELATIONS)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL writes every line")
def test_a_csv_on_postgresql_reads_every_line_in_one_query_whatever_its_chunks(client, monkeypatch):
    monkeypatch.setattr(csv_files, "CHUNK_SIZE", 100)
    organisations_with_relations(150)
    assert csv_queries(client, "/api/v1/organisations/") == (150, BESIDES_ROWS + ROWS)
    organisations_with_relations(300, start=150)
    assert csv_queries(client, "/api/v1/organisations/") == (450, BESIDES_ROWS + ROWS)
