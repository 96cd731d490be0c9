"""The HSDS 3.0 view validates against the published Open Referral schemas."""

import json

import pytest
from jsonschema import Draft202012Validator

from orgs.models import Organisation
from tests.outside_files import required

pytestmark = pytest.mark.django_db


def validator(name: str) -> Draft202012Validator:
    schema = json.loads(required("STANDARDS_DIR", "hsds-3.0", f"{name}.json").read_text("utf-8"))
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def test_every_page_of_organizations_is_a_valid_hsds_page_of_valid_items(client):
    page, item = validator("page"), validator("organization_list")
    first = client.get("/api/hsds/organizations/", {"per_page": 100}).json()
    assert (first["total_items"], first["total_pages"], first["size"]) == (235, 3, 100)
    assert (first["page_number"], first["first_page"], first["last_page"]) == (1, True, False)
    for number in (1, 2, 3):
        body = client.get("/api/hsds/organizations/", {"per_page": 100, "page": number}).json()
        page.validate(body)
        for organization in body["contents"]:
            item.validate(organization)
    assert body["last_page"] and body["size"] == 35


def test_every_organisation_is_a_valid_hsds_organization(client):
    full = validator("organization")
    for organisation in Organisation.objects.all():
        response = client.get(f"/api/hsds/organizations/{organisation.uuid}/")
        assert response.status_code == 200
        full.validate(response.json())


def test_an_hsds_organization_carries_places_terms_and_leadership(client):
    alliance = Organisation.objects.get(slug="diaspora-network-alliance")
    body = client.get(f"/api/hsds/organizations/{alliance.uuid}/").json()
    assert body["id"] == str(alliance.uuid)
    assert body["uri"] == "http://testserver/organisations/diaspora-network-alliance/"
    assert {location["name"] for location in body["locations"]} == {
        "Berlin, Germany",
        "Brussels, Belgium",
        "Potsdam, Germany",
    }
    terms = {(a["link_type"], a["taxonomy_term"]["code"]) for a in body["attributes"]}
    assert ("leadership", "diaspora-led") in terms and ("focus_area", "integration") in terms
    assert body["contacts"] == []


def test_the_hsds_id_survives_a_change_of_slug(client):
    organisation = Organisation.objects.get(slug="syrbanism")
    before = organisation.uuid
    organisation.slug = "syrbanism-vienna"
    organisation.save()
    assert client.get(f"/api/hsds/organizations/{before}/").json()["name"] == "Syrbanism"


@pytest.mark.parametrize(
    "params, status, parameter",
    [
        ({"per_page": "101"}, 400, "per_page"),
        ({"page": "0"}, 400, "page"),
        ({"page": "4", "per_page": "100"}, 404, "page"),
        ({"size": "10"}, 400, "size"),
    ],
)
def test_wrong_hsds_parameters_are_named(client, params, status, parameter):
    response = client.get("/api/hsds/organizations/", params)
    assert response.status_code == status
    assert parameter in response.json()


def test_an_unknown_hsds_id_is_a_404(client):
    response = client.get("/api/hsds/organizations/00000000-0000-0000-0000-000000000000/")
    assert response.status_code == 404
