"""The anonymous API rate counts per client, by the address a trusted proxy saw, not by a
header the client wrote."""

import pytest
from django.core.cache import cache

pytestmark = pytest.mark.django_db

URL = "/api/v1/levels/"


@pytest.fixture(autouse=True)
def two_a_minute(settings):
    cache.clear()
    settings.API_THROTTLE_RATES = {"anon": "2/minute", "token": "5/minute"}
    yield
    cache.clear()


def statuses(client, forwarded_for: list[str], remote_addr: str = "192.0.2.10") -> list[int]:
    return [
        client.get(URL, REMOTE_ADDR=remote_addr, HTTP_X_FORWARDED_FOR=value).status_code
        for value in forwarded_for
    ]


def test_a_made_up_forwarded_for_does_not_reset_the_limit(client, settings):
    settings.TRUSTED_PROXIES = []
    forged = [f"198.51.100.{number}" for number in range(1, 6)]
    assert statuses(client, forged) == [200, 200, 429, 429, 429]


def test_a_socket_that_is_not_a_trusted_proxy_has_its_header_ignored(client, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    forged = [f"198.51.100.{number}, 10.0.0.{number}" for number in range(1, 6)]
    assert statuses(client, forged) == [200, 200, 429, 429, 429]


def test_behind_a_trusted_proxy_each_visitor_has_their_own_allowance(client, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.5"]
    # The proxy appends the address it saw; what the visitor wrote before it changes nothing.
    first = [f"198.51.100.{number}, 203.0.113.1" for number in range(1, 5)]
    assert statuses(client, first, remote_addr="10.0.0.5") == [200, 200, 429, 429]
    second = ["203.0.113.2", "198.51.100.1, 203.0.113.2", "203.0.113.2"]
    assert statuses(client, second, remote_addr="10.0.0.5") == [200, 200, 429]
