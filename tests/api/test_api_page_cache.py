"""A page of an API list is cached whole until the directory changes: never shared between
anonymous callers and token holders, never across hosts, and never served after a change."""

import pytest

from orgs.models import Advocate, Organisation
from tests.api.test_api_access import with_token

pytestmark = pytest.mark.django_db

ADVOCATES = "/api/v1/advocates/"
ORGANISATIONS = "/api/v1/organisations/"
EDWAR = {"country": "AT", "q": "Edwar Hanna"}  # EPIM line 622: his own address in the row


def only_result(response) -> dict:
    assert response.status_code == 200
    [result] = response.json()["results"]
    return result


def test_a_token_holders_page_is_not_served_to_an_anonymous_caller(client, token):
    address = "edwar.k.hanna@gmail.com"
    holder = only_result(client.get(ADVOCATES, EDWAR, **with_token(token)))
    assert holder["personal_email"] == address
    anonymous = client.get(ADVOCATES, EDWAR)
    assert "personal_email" not in only_result(anonymous)
    assert address not in anonymous.content.decode()


def test_an_anonymous_page_is_not_served_to_a_token_holder(client, token):
    assert "personal_email" not in only_result(client.get(ADVOCATES, EDWAR))
    assert "personal_email" in only_result(client.get(ADVOCATES, EDWAR, **with_token(token)))


def test_a_change_shows_on_the_next_request(client):
    before = only_result(client.get(ORGANISATIONS, {"q": "Velos Youth"}))
    assert client.get(ORGANISATIONS, {"q": "Velos Youth"}).json()["results"][0] == before
    velos = Organisation.objects.get(slug="velos-youth")
    velos.description = "Changed by an editor."
    velos.save()
    after = only_result(client.get(ORGANISATIONS, {"q": "Velos Youth"}))
    assert after["description"] == "Changed by an editor."
    assert after["updated_at"] != before["updated_at"]


def test_links_name_the_host_asked(client):
    first = client.get(ADVOCATES, {"page_size": 2}, HTTP_HOST="localhost")
    second = client.get(ADVOCATES, {"page_size": 2}, HTTP_HOST="127.0.0.1")
    assert first.json()["next"].startswith("http://localhost/")
    assert second.json()["next"].startswith("http://127.0.0.1/")


def test_a_wrong_page_is_an_error_each_time(client):
    for _ in range(2):
        response = client.get(ORGANISATIONS, {"page": "999"})
        assert response.status_code == 404
        assert "There is no page 999" in response.json()["page"][0]


def test_a_deleted_record_leaves_the_cached_page(client):
    slugs = [item["slug"] for item in client.get(ADVOCATES, {"country": "AT"}).json()["results"]]
    Advocate.objects.get(slug=slugs[0]).delete()
    again = [item["slug"] for item in client.get(ADVOCATES, {"country": "AT"}).json()["results"]]
    assert slugs[0] not in again
