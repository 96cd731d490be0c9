"""The date the listed confirmed a record in the API, its CSV and HSDS, and the filter
"confirmed by the listed" (`confirmed=true|false`) on every list."""

import json
from datetime import date

import pytest
from jsonschema import Draft202012Validator

from orgs.models import Advocate, Network, Organisation
from tests.outside_files import required
from tests.responses import csv_rows

pytestmark = pytest.mark.django_db

API = "/api/v1/"


@pytest.fixture
def confirmed():
    """One organisation, advocate and network the listed confirmed on 5 March 2026."""
    Organisation.objects.filter(slug="refugee-radio-network").update(confirmed_on=date(2026, 3, 5))
    Advocate.objects.filter(slug="larry-macaulay").update(confirmed_on=date(2026, 3, 5))
    Network.objects.filter(slug="iq-netzwerk-sachsen-anhalt").update(confirmed_on=date(2026, 3, 5))


@pytest.mark.parametrize(
    "path",
    [
        "organisations/refugee-radio-network/",
        "advocates/larry-macaulay/",
        "networks/iq-netzwerk-sachsen-anhalt/",
    ],
)
def test_a_confirmed_record_carries_its_date(client, confirmed, path):
    assert client.get(API + path).json()["confirmed_on"] == "2026-03-05"


def test_a_record_nobody_confirmed_has_null(client, confirmed):
    item = client.get(API + "organisations/diaspora-network-alliance/").json()
    assert item["confirmed_on"] is None


@pytest.mark.parametrize(
    "collection, slug",
    [
        ("organisations", "refugee-radio-network"),
        ("advocates", "larry-macaulay"),
        ("networks", "iq-netzwerk-sachsen-anhalt"),
    ],
)
def test_the_filter_selects_the_confirmed_and_the_rest(client, confirmed, collection, slug):
    whole = client.get(API + collection + "/").json()["count"]
    yes = client.get(API + collection + "/", {"confirmed": "true"}).json()
    no = client.get(API + collection + "/", {"confirmed": "false"}).json()
    assert [item["slug"] for item in yes["results"]] == [slug]
    assert no["count"] == whole - 1
    assert slug not in [item["slug"] for item in no["results"]]


@pytest.mark.parametrize("value", ["maybe", "True", "1", "yes"])
def test_a_wrong_value_of_the_filter_is_a_400_naming_it(client, value):
    response = client.get(API + "organisations/", {"confirmed": value})
    assert response.status_code == 400
    assert response.json() == {
        "confirmed": [f"Select a valid choice. {value} is not one of the available choices."]
    }


def test_the_filter_given_twice_is_a_400(client):
    response = client.get(API + "advocates/", {"confirmed": ["true", "false"]})
    assert response.status_code == 400
    assert response.json() == {"confirmed": ["Given more than once: give one value."]}


def test_the_counts_take_the_filter(client, confirmed):
    response = client.get(
        API + "stats/organisations/", {"group_by": "country", "confirmed": "true"}
    )
    assert response.json()["total"] == 1


def test_the_csv_has_a_confirmed_on_column(client, confirmed):
    rows = csv_rows(client.get(API + "organisations/", {"format": "csv", "country": "DE"}))
    dates = {row["slug"]: row["confirmed_on"] for row in rows}
    assert dates["refugee-radio-network"] == "2026-03-05"
    assert dates["diaspora-network-alliance"] == ""


def test_the_pages_csv_download_takes_the_filter(client, confirmed):
    rows = csv_rows(client.get("/networks/export.csv", {"confirmed": "true"}))
    assert [(row["slug"], row["confirmed_on"]) for row in rows] == [
        ("iq-netzwerk-sachsen-anhalt", "2026-03-05")
    ]


def hsds_metadata(client, slug: str) -> list[dict]:
    organisation = Organisation.objects.get(slug=slug)
    return client.get(f"/api/hsds/organizations/{organisation.uuid}/").json()


def test_hsds_dates_the_organisations_confirmation_in_its_metadata(client, confirmed):
    body = hsds_metadata(client, "refugee-radio-network")
    actions = [
        (entry["last_action_type"], entry["last_action_date"], entry["updated_by"])
        for entry in body["metadata"]
    ]
    assert actions[1:] == [("confirmed", "2026-03-05", "the organisation")]
    schema = json.loads(
        required("STANDARDS_DIR", "hsds-3.0", "organization.json").read_text("utf-8")
    )
    Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER).validate(body)


def test_hsds_says_nothing_of_a_confirmation_nobody_gave(client, confirmed):
    body = hsds_metadata(client, "diaspora-network-alliance")
    assert [entry["last_action_type"] for entry in body["metadata"]] == ["update"]
