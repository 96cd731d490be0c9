"""Wrong input gets a clear 4xx answer, never a server error, on SQLite and PostgreSQL alike.

A property-based fuzz run (hypothesis) sends every list random mixes of its own parameters,
valid values, near misses, NUL bytes, dates no database can store and long repeated lists.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orgs.selectors.filters import (
    AdvocateFilterSet,
    NetworkFilterSet,
    OrganisationFilterSet,
)

pytestmark = pytest.mark.django_db

LISTS = {
    "/organisations/": OrganisationFilterSet,
    "/organisations/export.csv": OrganisationFilterSet,
    "/advocates/": AdvocateFilterSet,
    "/networks/": NetworkFilterSet,
}
VALID = ["DE", "gr", "de-berlin", "integration", "refugees", "refugee-led", "network", "eu"]
VALID += ["grupp-39", "epim-2019", "informal-group", "formal", "-country", "name", "updated"]
ODD_DATES = [
    "0001-01-01T00:00:00+01:00",
    "9999-12-31T23:59:59-01:00",
    "0000-01-01T00:00:00Z",
    "99999-01-01T00:00:00Z",
    "2020-02-30T00:00:00Z",
    "2020-01-01T25:00:00Z",
    "2020-01-01",
    "2020-01-01T00:00:00Z",
]
NUL = "\x00"
# Any text a browser can put in a URL (no lone surrogates), NUL bytes included.
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
VALUE = st.one_of(
    TEXT,
    st.sampled_from(VALID + ODD_DATES),
    st.sampled_from(VALID).map(lambda value: value + NUL),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
)


def parameters(filterset_class):
    names = list(filterset_class.base_filters) + ["page", "drop", "other_countries", "unknown"]
    return st.dictionaries(
        st.sampled_from(names),
        st.one_of(VALUE, st.lists(VALUE, max_size=5), st.lists(VALUE, min_size=51, max_size=60)),
        max_size=6,
    )


@pytest.mark.parametrize("url", LISTS)
def test_no_mix_of_parameters_gets_a_server_error(client, url):
    @settings(
        max_examples=60,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(query=parameters(LISTS[url]))
    def check(query):
        response = client.get(url, query)
        assert response.status_code < 500, (url, query)

    check()


def filter_names(filterset_class):
    return list(filterset_class.base_filters)


@pytest.mark.parametrize(
    "url, name",
    [(url, name) for url, filterset in LISTS.items() for name in filter_names(filterset)],
)
def test_a_nul_byte_in_any_filter_is_a_400_that_names_the_filter(client, url, name):
    response = client.get(url, {name: f"de{NUL}"})
    assert response.status_code == 400
    assert name.encode() in response.content


@pytest.mark.parametrize("value", ODD_DATES[:5])
def test_a_date_no_database_can_store_is_a_400_with_the_reason(client, value):
    response = client.get("/organisations/", {"modified_after": value})
    assert response.status_code == 400
    assert b"Enter a" in response.content


def test_hundreds_of_repeated_values_are_a_400_with_the_limit(client):
    response = client.get("/organisations/", {"country": ["DE"] * 300})
    assert response.status_code == 400
    assert b"Choose at most 50 values (got 300)" in response.content


def test_a_thousand_repeated_values_make_an_address_too_long_to_read(client):
    """11,000 bytes: past settings.MAX_ADDRESS_LENGTH (and any web server's request line)."""
    response = client.get("/organisations/", {"country": ["DE"] * 1000})
    assert response.status_code == 414


def test_fifty_values_of_one_filter_are_taken_and_fifty_one_are_not(client):
    assert client.get("/organisations/", {"country": ["DE"] * 50}).status_code == 200
    response = client.get("/organisations/", {"country": ["DE"] * 51})
    assert response.status_code == 400
    assert b"Choose at most 50 values (got 51)" in response.content
    answer = client.get("/api/v1/organisations/", {"country": ["DE"] * 51})
    assert answer.status_code == 400
    assert answer.json()["country"] == ["Choose at most 50 values (got 51)."]


def test_more_parameters_than_a_request_may_carry_are_a_400(client):
    # 1001 parameters in an address short enough to be read (2,000 bytes).
    response = client.get("/organisations/?" + "&".join(["x"] * 1001))
    assert response.status_code == 400


def test_the_csv_export_names_the_filter_it_cannot_use_as_the_api_does(client):
    response = client.get("/organisations/export.csv", {"modified_after": ODD_DATES[0]})
    api = client.get("/api/v1/organisations/", {"modified_after": ODD_DATES[0], "format": "csv"})
    assert response.status_code == api.status_code == 400
    assert response["Content-Type"] == api["Content-Type"] == "application/json"
    assert response.json() == api.json()
    assert list(response.json()) == ["modified_after"]


@pytest.mark.parametrize(
    "url",
    [
        "/countries/%00/",
        "/organisations/%00/",
        "/organisations/syrbanism/?other_countries=%00",
        "/organisations/?page=%00",
        "/organisations/?drop=%00",
        "/surveys/%00/",
    ],
)
def test_a_nul_byte_anywhere_else_is_never_a_server_error(client, url):
    assert client.get(url).status_code < 500


@pytest.mark.parametrize("offset", ["-21:58", "+23:59"])
def test_a_time_zone_offset_any_database_can_compare_is_accepted(client, offset):
    response = client.get("/api/v1/networks/", {"modified_after": f"0176-10-22T06:35:05{offset}"})
    assert response.status_code == 200
    assert response.json()["count"] == 23
