"""On PostgreSQL the organisations' and advocates' CSV is written by the database, one query for
the ids and one for every line, and its cells are the serializers' cells: the whole list, a
search, another order, times in winter and summer, the rows only Python can write, and the
benchmark's COPY of the same cells."""

import csv
import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from orgs.api import csv_sql
from orgs.api.serializers import AdvocateSerializer, NetworkSerializer, OrganisationSerializer
from orgs.models import Advocate, Affiliation, Organisation
from tests.api.test_csv_rows import awkward_records, both_ways, raw

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL writes it"
)


# The ids in the list's order, then every line: 2 queries, and 3 around the lines (in a test's
# transaction their own is a savepoint and its release; `SET LOCAL jit = off`).
QUERIES = 2 + 3


def cells(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def assert_same_cells(client, monkeypatch, url: str, params: dict) -> list[list[str]]:
    fast, reference = both_ways(client, monkeypatch, url, params)
    fast_cells, reference_cells = cells(fast), cells(reference)
    assert len(fast_cells) == len(reference_cells)
    for number, (row, expected) in enumerate(zip(fast_cells, reference_cells, strict=True)):
        assert row == expected, (url, params, number)
    assert fast == reference  # quoting and line ends too
    return fast_cells


def download_queries(client, url: str, params: dict) -> tuple[list[list[str]], int]:
    with CaptureQueriesContext(connection) as queries:
        content = raw(client.get(url, params))
    return cells(content), len(queries)


@postgresql_only
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": "refugee"},
        {"q": "refugee", "country": "DE"},
        {"country": "GR", "sort": "-name"},
        {"sort": "country"},
        {"sort": "-updated"},
    ],
)
@pytest.mark.parametrize("kind", ["organisations", "advocates"])
def test_postgresql_writes_the_lists_cell_for_cell_as_the_serializers(
    client, monkeypatch, kind, params
):
    rows = assert_same_cells(client, monkeypatch, f"/api/v1/{kind}/", {**params, "format": "csv"})
    assert len(rows) > 3
    client.get(f"/api/v1/{kind}/")  # the filters' choices, cached from then on
    written, queries = download_queries(client, f"/api/v1/{kind}/", {**params, "format": "csv"})
    assert written == rows
    assert queries == QUERIES


@postgresql_only
def test_the_whole_directory_in_another_language_links_to_its_pages(client, monkeypatch):
    rows = assert_same_cells(client, monkeypatch, "/fr/organisations/export.csv", {})
    web_url = rows[0].index("web_url")
    assert all(row[web_url].startswith("http://testserver/fr/organisations/") for row in rows[1:])


@postgresql_only
def test_times_are_the_apis_in_winter_in_summer_and_to_the_microsecond(client, monkeypatch):
    brussels = ZoneInfo("Europe/Brussels")
    times = [
        datetime.datetime(2024, 1, 15, 23, 30, tzinfo=brussels),
        datetime.datetime(2024, 7, 1, 0, 15, 5, 120, tzinfo=brussels),
        datetime.datetime(2023, 3, 26, 3, 0, tzinfo=brussels),  # the hour the clocks go on
        datetime.datetime(2020, 12, 31, 23, 59, 59, 999999, tzinfo=datetime.UTC),
    ]
    chosen = list(Organisation.objects.published().order_by("pk")[: len(times)])
    for organisation, time in zip(chosen, times, strict=True):
        Organisation.objects.filter(pk=organisation.pk).update(
            updated_at=time, confirmed_on=time.date()
        )
    rows = assert_same_cells(client, monkeypatch, "/api/v1/organisations/", {"format": "csv"})
    updated = {row[rows[0].index("slug")]: row[rows[0].index("updated_at")] for row in rows[1:]}
    assert updated[chosen[0].slug] == "2024-01-15T23:30:00+01:00"
    assert updated[chosen[1].slug] == "2024-07-01T00:15:05.000120+02:00"
    assert updated[chosen[3].slug] == "2021-01-01T00:59:59.999999+01:00"


@postgresql_only
def test_rows_only_python_can_write_are_written_by_python(client, monkeypatch, token):
    """Websites that are not all texts: that row is `csv_rows`'s, the others PostgreSQL's
    (a nameless person affiliated is written by their slug)."""
    awkward_records()  # websites holding a dictionary, a number, nothing and yes
    listed = Organisation.objects.create(slug="listed", name="Listed", other_websites=["a", "b"])
    person = Advocate.objects.create(slug="person", name="")
    Affiliation.objects.create(advocate=person, organisation=listed, role="=chair")
    rows = assert_same_cells(client, monkeypatch, "/api/v1/organisations/", {"format": "csv"})
    header = rows[0]
    by_slug = {row[header.index("slug")]: row for row in rows[1:]}
    assert by_slug["listed"][header.index("advocates")] == "person"
    assert by_slug["listed"][header.index("other_websites")] == "a | b"
    assert by_slug["formula-looking"][header.index("other_websites")] == (
        "https://a.example.org | @b | nested | 7 |  | yes"
    )
    client.get("/api/v1/organisations/")
    _, queries = download_queries(client, "/api/v1/organisations/", {"format": "csv"})
    assert queries == QUERIES + 1 + 10  # and the row's own values and its ten relations


def test_columns_postgresql_cannot_write_leave_the_whole_file_to_python(token):
    """A network's type, a personal address: such files are `csv_rows`'s."""
    anonymous = RequestFactory().get("/")
    holder = RequestFactory().get("/")
    holder.auth = token
    for serializer_class, request in [
        (OrganisationSerializer, anonymous),
        (OrganisationSerializer, holder),
        (AdvocateSerializer, anonymous),
    ]:
        plan = csv_sql.plan(connection, serializer_class(context={"request": request}))
        assert plan.names == list(serializer_class(context={"request": request}).fields)
    for serializer_class, request, column in [
        (AdvocateSerializer, holder, "personal_email"),
        (NetworkSerializer, anonymous, "type"),
    ]:
        with pytest.raises(csv_sql.Unwritable, match=column):
            csv_sql.plan(connection, serializer_class(context={"request": request}))


@postgresql_only
def test_a_list_nothing_matches_is_its_header_alone(client, monkeypatch):
    params = {"format": "csv", "q": "xqzvkwjj"}
    rows = assert_same_cells(client, monkeypatch, "/api/v1/organisations/", params)
    assert len(rows) == 1 and rows[0][:3] == ["id", "uuid", "slug"]
