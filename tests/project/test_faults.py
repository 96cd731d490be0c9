"""The production server loses its database, answers 503 within seconds, and recovers alone.

gunicorn, as `make serve` runs it (DEBUG off, collected static files), reaches the test
database on PostgreSQL through a TCP forwarder this test controls: cut, it refuses
connections; stalled, it accepts them and never answers; restored, it forwards again. A
network that stalls is emulated with the firewall (iptables, as root): every packet to and
from the forwarder's port is dropped, so that no kernel acknowledges what the server sends on
the connections it keeps; without iptables the test skips, unless REQUIRE_FAULT_TESTS=1.
"""

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.db import connections

from tests.servers import (
    DatabaseForwarder,
    database_url,
    get,
    gunicorn,
    wait_for,
    wait_for_other_database_sessions_to_end,
)

pytestmark = [
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="the fault test runs the server against PostgreSQL",
    ),
    # The test database, loaded once for the session; the server reads it, the test does not.
    pytest.mark.django_db,
]

PROMPT = 5  # seconds: a page must answer within this once the database is gone
CONNECT_TIMEOUT = 2  # seconds, libpq's smallest


@pytest.fixture
def forwarder(django_db_setup):
    database = connections["default"].settings_dict
    forwarder = DatabaseForwarder(database["HOST"] or "127.0.0.1", int(database["PORT"] or 5432))
    forwarder.start()
    yield forwarder
    forwarder.stop()
    # A stalled network leaves the database server's end of a connection the client gave up on
    # open until the server's own keepalives find it gone (hours): end those as an operator
    # would, then every session of the server must be gone. The server is stopped by now (its
    # fixture ends first), so any other session on the test database is such a leftover: on a
    # loaded machine (and once in CI) some outlived the ending of the forwarder's own ports.
    with connections["default"].cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> pg_backend_pid()"
            " AND (client_port = ANY(%s) OR backend_type = 'client backend')",
            [database["NAME"], sorted(forwarder.upstream_ports)],
        )
    wait_for_other_database_sessions_to_end()


@pytest.fixture
def server(forwarder, collected_static, tmp_path):
    """gunicorn with two workers, reaching the test database only through the forwarder."""
    env = {
        "DATABASE_URL": database_url(
            connections["default"].settings_dict["NAME"], port=forwarder.port
        ),
        "DATABASE_CONNECT_TIMEOUT": str(CONNECT_TIMEOUT),
        "CONN_MAX_AGE": "60",  # persistent connections, checked before each request
        "STATIC_ROOT": str(collected_static),
        "WEB_CONCURRENCY": "2",
    }
    with gunicorn(env, tmp_path) as (base, log):
        yield base, log


def assert_unavailable_promptly(base: str, within: float) -> None:
    status, _, body, took = get(base + "/healthz")
    assert (status, took < within) == (503, True), (status, took, body)
    assert body.startswith("database unavailable")

    status, headers, page, took = get(base + "/organisations/")
    assert (status, took < within) == (503, True), (status, took)
    assert "The directory is back in a moment" in page and headers["Retry-After"] == "30"

    # A list never asked for before: a page cached before the outage may still be served, as
    # nothing can change while the database is gone.
    status, headers, body, took = get(base + "/api/v1/organisations/?country=IT")
    assert (status, took < within) == (503, True), (status, took)
    assert headers["Content-Type"] == "application/json" and "unavailable" in body


def assert_serving(base: str) -> None:
    status, _, page, _ = get(base + "/organisations/")
    assert status == 200 and "Organisations" in page
    assert get(base + "/api/v1/organisations/?country=GR")[0] == 200


def recovers(base: str) -> None:
    """Every worker serves again within seconds, with no restart."""
    for url in ["/healthz", "/organisations/", "/api/v1/organisations/?country=GR"]:
        wait_for(base + url, 200, within=10)
    for _ in range(4):  # requests reach both workers
        assert_serving(base)


def test_a_server_that_loses_its_database_answers_503_and_recovers_alone(server, forwarder):
    base, log = server
    assert_serving(base)

    forwarder.stop()  # the database's port refuses connections
    assert_unavailable_promptly(base, within=PROMPT)

    forwarder.start()
    recovers(base)

    forwarder.stall()  # connections open, and nothing ever answers
    assert_unavailable_promptly(base, within=CONNECT_TIMEOUT + PROMPT)

    forwarder.start()
    recovers(base)

    lines = log.read_text().splitlines()
    failures = [line for line in lines if "Service Unavailable: /organisations/" in line]
    # Logged with the client's address and the request's id.
    assert failures and "ERROR 127.0.0.1 [" in failures[0]
    assert any("request_id=" in line and '"GET /healthz' in line for line in lines)


def firewall_usable() -> bool:
    if shutil.which("iptables") is None:
        return False
    return subprocess.run(["iptables", "-L", "INPUT", "-n"], capture_output=True).returncode == 0


@contextmanager
def packets_dropped(port: int) -> Iterator[None]:
    """Every packet to and from `port` on loopback is dropped, as on a network that stalls:
    neither end's kernel acknowledges anything, and only the client's own timeouts end a
    connection. A forwarder that merely stops reading would still acknowledge every byte."""
    if not firewall_usable():
        message = "iptables not usable (apt-get install iptables; run as root)"
        if os.environ.get("REQUIRE_FAULT_TESTS") == "1":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    rules = [
        ["INPUT", "-i", "lo", "-p", "tcp", "--dport", str(port), "-j", "DROP"],
        ["INPUT", "-i", "lo", "-p", "tcp", "--sport", str(port), "-j", "DROP"],
    ]
    added = []
    try:
        for rule in rules:
            subprocess.run(["iptables", "-I", *rule], check=True, capture_output=True)
            added.append(rule)
        yield
    finally:
        for rule in added:
            subprocess.run(["iptables", "-D", *rule], check=True, capture_output=True)


def test_kept_connections_to_a_database_whose_network_stalls_end_in_503_promptly(server, forwarder):
    base, _ = server
    for _ in range(6):  # both workers keep a connection open (CONN_MAX_AGE)
        assert_serving(base)

    with packets_dropped(forwarder.port):
        # Each kept connection is found dead within the TCP user timeout (the connect timeout
        # here), and a new one fails within the connect timeout.
        assert_unavailable_promptly(base, within=CONNECT_TIMEOUT + PROMPT)
        assert_unavailable_promptly(base, within=CONNECT_TIMEOUT + PROMPT)

    recovers(base)
