"""Who may read what, how often and from where: tokens, read-only, rates, CORS, caching."""

import pytest
from django.core.cache import cache

from orgs.models import Advocate, PersonalAddress
from tests.responses import body

pytestmark = pytest.mark.django_db

ADVOCATE = "/api/v1/advocates/edwar-hanna/"  # EPIM line 622: his own address is in the row


def with_token(token):
    return {"HTTP_AUTHORIZATION": f"Token {token.key}"}


def personal_addresses():
    return [address.lower() for address in PersonalAddress.objects.values_list("email", flat=True)]


def anonymous_api_urls():
    urls = ["/api/v1/", ADVOCATE, "/api/v1/networks/newcomers-network-harz/"]
    for collection in ("organisations", "advocates", "networks"):
        urls += [f"/api/v1/{collection}/?page_size=100&page={n}" for n in (1, 2, 3)]
        urls += [f"/api/v1/{collection}/?format=csv"]
    for survey in ("epim-2019-mapping", "erasmi-2020-network-survey"):
        urls += [f"/api/v1/surveys/{survey}/responses/?page_size=100&page={n}" for n in (1, 2)]
        urls += [f"/api/v1/surveys/{survey}/responses/?format=csv"]
    urls += [f"/api/hsds/organizations/?per_page=100&page={n}" for n in (1, 2, 3)]
    return urls + ["/api/schema/"]


def test_anonymous_callers_never_get_a_personal_address(client):
    addresses = personal_addresses()
    assert len(addresses) > 100
    for url in anonymous_api_urls():
        response = client.get(url)
        assert response.status_code in (200, 404), url
        text = body(response).lower()
        assert "personal_email" not in text or url == "/api/schema/", url
        assert not [address for address in addresses if address in text], url


def test_a_caller_with_a_funders_token_gets_the_personal_address(client, token):
    response = client.get(ADVOCATE, **with_token(token))
    assert response.json()["personal_email"] == "edwar.k.hanna@gmail.com"
    csv_text = body(client.get("/api/v1/advocates/?format=csv&country=AT", **with_token(token)))
    assert "edwar.k.hanna@gmail.com" in csv_text


def test_a_network_printing_a_persons_address_shows_it_only_to_token_holders(client, token):
    address = PersonalAddress.objects.exclude(network=None).select_related("network").first()
    url = f"/api/v1/networks/{address.network.slug}/"
    assert "personal_email" not in client.get(url).json()
    assert client.get(url, **with_token(token)).json()["personal_email"] == address.email


def test_a_token_holder_gets_null_for_a_person_without_a_personal_address(client, token):
    advocate = Advocate.objects.published().filter(personal_address=None).first()
    response = client.get(f"/api/v1/advocates/{advocate.slug}/", **with_token(token))
    assert response.json()["personal_email"] is None
    assert "personal_email" not in client.get(f"/api/v1/advocates/{advocate.slug}/").json()


def test_a_token_of_a_deactivated_account_sees_nothing_private(client, token):
    token.user.is_active = False
    token.user.save()
    assert client.get(ADVOCATE, **with_token(token)).status_code == 401


def test_a_wrong_token_is_refused(client):
    response = client.get(ADVOCATE, HTTP_AUTHORIZATION="Token not-a-token")
    assert response.status_code == 401


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("url", ["/api/v1/organisations/", "/api/v1/organisations/syrbanism/"])
def test_every_write_is_refused(client, method, url):
    response = getattr(client, method)(url, {}, content_type="application/json")
    assert response.status_code == 405


def test_too_many_requests_get_429_with_retry_after(client, settings):
    cache.clear()
    settings.API_THROTTLE_RATES = {"anon": "2/minute", "token": "5/minute"}
    for _ in range(2):
        assert client.get("/api/v1/levels/").status_code == 200
    response = client.get("/api/v1/levels/")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    cache.clear()


def test_an_unknown_format_costs_no_allowance(client, settings):
    cache.clear()
    settings.API_THROTTLE_RATES = {"anon": "1/minute", "token": "1/minute"}
    statuses = [client.get("/api/v1/levels/", {"format": "xml"}).status_code for _ in range(3)]
    assert statuses == [400, 400, 400]
    assert client.get("/api/v1/levels/").status_code == 200
    assert client.get("/api/v1/levels/").status_code == 429
    cache.clear()


def test_token_holders_have_their_own_rate(client, settings, token):
    cache.clear()
    settings.API_THROTTLE_RATES = {"anon": "1/minute", "token": "3/minute"}
    statuses = [client.get("/api/v1/levels/", **with_token(token)).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    cache.clear()


def test_any_origin_may_read_and_no_origin_may_write(client):
    response = client.get("/api/v1/levels/", HTTP_ORIGIN="https://dashboard.example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        "/api/v1/levels/",
        HTTP_ORIGIN="https://dashboard.example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
    )
    assert "POST" not in preflight.get("Access-Control-Allow-Methods", "")
    page = client.get("/organisations/", HTTP_ORIGIN="https://dashboard.example.org")
    assert not page.has_header("Access-Control-Allow-Origin")


@pytest.mark.parametrize(
    "url", ["/api/v1/organisations/syrbanism/", "/api/v1/organisations/?country=AT"]
)
def test_a_conditional_request_for_an_unchanged_resource_gets_304(client, url):
    first = client.get(url)
    assert first.has_header("ETag") and first.has_header("Last-Modified")
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    since = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
