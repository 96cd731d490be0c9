"""The client's address: the socket's, unless it is a proxy we trust; never a header alone."""

import logging
import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.test import RequestFactory

from directory.clients import client_address

PROXY = "10.0.0.5"


def address(remote_addr: str, forwarded_for: str | None = None) -> str:
    headers = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client_address(RequestFactory().get("/", **headers))


def test_without_trusted_proxies_the_socket_is_the_client_whatever_the_header_says(settings):
    settings.TRUSTED_PROXIES = []
    assert address("192.0.2.10") == "192.0.2.10"
    assert address("192.0.2.10", "203.0.113.1") == "192.0.2.10"


def test_a_socket_that_is_not_a_trusted_proxy_has_its_header_ignored(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert address("192.0.2.10", "203.0.113.1, 10.0.0.7") == "192.0.2.10"


def test_behind_a_trusted_proxy_the_client_is_the_hop_it_added(settings):
    settings.TRUSTED_PROXIES = [PROXY]
    assert address(PROXY, "203.0.113.1") == "203.0.113.1"
    # Whatever the client wrote before the proxy's hop is not believed.
    assert address(PROXY, "198.51.100.9, 203.0.113.1") == "203.0.113.1"


def test_a_chain_of_trusted_proxies_is_walked_from_the_right(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "2001:db8:ffff::/48"]
    assert address(PROXY, "198.51.100.9, 203.0.113.1, 10.1.2.3") == "203.0.113.1"
    assert address("2001:db8:ffff::1", "2001:db8:1::7") == "2001:db8:1::7"


def test_a_malformed_hop_is_never_the_client(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert address(PROXY, "not-an-address") == PROXY
    assert address(PROXY, "203.0.113.1, 10.1.2.3 junk") == PROXY
    assert address(PROXY, "203.0.113.1, unknown, 10.1.2.3") == "10.1.2.3"
    assert address(PROXY, "") == PROXY
    assert address(PROXY, " , ") == PROXY


def test_a_hop_with_a_port_or_in_ipv4_mapped_form_is_the_same_client(settings):
    settings.TRUSTED_PROXIES = [PROXY]
    assert address(PROXY, "203.0.113.1:51234") == "203.0.113.1"
    assert address(PROXY, "[2001:db8::1]:51234") == "2001:db8::1"
    assert address("::ffff:10.0.0.5", "::ffff:203.0.113.1") == "203.0.113.1"


def test_a_socket_without_an_address_is_passed_on_as_it_is(settings):
    settings.TRUSTED_PROXIES = [PROXY]
    assert address("", "203.0.113.1") == ""


@pytest.mark.parametrize("value", ["10.0.0.0/33", "proxy.internal", "10.0.0.1,nonsense"])
def test_a_wrong_trusted_proxies_setting_stops_the_site_from_starting(value):
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=django_settings.BASE_DIR,
        env={**os.environ, "DEBUG": "1", "TRUSTED_PROXIES": value},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "TRUSTED_PROXIES" in result.stderr and "is not an IP address or network" in result.stderr


def test_trusted_proxies_read_from_the_environment_as_addresses_and_networks():
    code = "import django; django.setup(); from django.conf import settings; "
    code += "print(settings.TRUSTED_PROXIES)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=django_settings.BASE_DIR,
        env={**os.environ, "DEBUG": "1", "TRUSTED_PROXIES": " 10.0.0.0/8, ::1 ,192.0.2.4"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['10.0.0.0/8', '::1', '192.0.2.4']"


@pytest.mark.django_db
def test_log_lines_carry_the_clients_address_not_the_proxys(client, settings, log_output):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    response = client.get("/no-such-page/", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert response.status_code == 404
    lines = [line for line in log_output.getvalue().splitlines() if "Not Found" in line]
    request_id = response["X-Request-ID"]
    assert lines and f"WARNING 203.0.113.9 [{request_id}] django.request:" in lines[0]


def test_log_lines_outside_a_request_name_no_client(log_output):
    logging.getLogger("directory.test").warning("a command's line")
    assert "WARNING - [-] directory.test: a command's line" in log_output.getvalue()
