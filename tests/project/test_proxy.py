"""Behind a real reverse proxy, limits, lockouts and logs follow the real client.

Debian's nginx, started here with its own configuration, forwards to gunicorn as production
runs it (two workers, DEBUG off) on the test database, setting X-Forwarded-For as
docs/deploy.md says; TRUSTED_PROXIES names nginx. Clients connect from different loopback
addresses (127.0.0.2, 127.0.0.3, ...), so nginx sees each as a different visitor; none uses
127.0.0.1, nginx's own address towards gunicorn.
"""

import getpass
import http.client
import os
import re
import shutil
import subprocess
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.db import connections

from tests.factories import PASSWORD, EditorFactory
from tests.servers import (
    database_url,
    free_port,
    gunicorn,
    stop,
    wait_for,
    wait_for_other_database_sessions_to_end,
)

NGINX = Path(shutil.which("nginx") or "/usr/sbin/nginx")
REQUIRED = os.environ.get("REQUIRE_PROXY_TESTS") == "1"

pytestmark = [
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="the proxy test runs the server against the test database on PostgreSQL",
    ),
    pytest.mark.skipif(
        not NGINX.exists() and not REQUIRED,
        reason="nginx not installed: apt-get install nginx (REQUIRE_PROXY_TESTS=1 requires it)",
    ),
    # The test database, set up and loaded for the session; the server reads it.
    pytest.mark.django_db,
]

ANONYMOUS_RATE = 5  # API requests a minute, per client, counted in the workers' shared cache
WORKERS = 2
EDITOR = "proxy-editor"

NGINX_CONFIG = """
{user}
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log {prefix}/access.log;
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    client_max_body_size 6m;
    large_client_header_buffers 4 8k;
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://127.0.0.1:{upstream};
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
        }}
    }}
}}
"""


@pytest.fixture(scope="module")
def editor_account(django_db_setup, django_db_blocker):
    """An editor in the test database itself (committed, so the server sees it); the rows the
    server writes for it (sign-in attempts, logs, sessions) go with it."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib.sessions.models import Session

    with django_db_blocker.unblock():
        user = EditorFactory(username=EDITOR, password=PASSWORD)
    yield user
    with django_db_blocker.unblock():
        for model in (AccessAttempt, AccessFailureLog, AccessLog, Session):
            model.objects.all().delete()
        user.delete()


@pytest.fixture(scope="module")
def web_server(editor_account, collected_static, tmp_path_factory, django_db_blocker):
    """gunicorn on the test database, trusting the proxy on 127.0.0.1: its port and its log."""
    env = {
        "DATABASE_URL": database_url(connections["default"].settings_dict["NAME"]),
        "STATIC_ROOT": str(collected_static),
        "WEB_CONCURRENCY": str(WORKERS),
        "TRUSTED_PROXIES": "127.0.0.1",
        "API_RATE_ANONYMOUS": f"{ANONYMOUS_RATE}/minute",
    }
    try:
        with gunicorn(env, tmp_path_factory.mktemp("gunicorn")) as (base, log):
            yield int(base.rsplit(":", 1)[1]), log
    finally:
        with django_db_blocker.unblock():
            wait_for_other_database_sessions_to_end()


@pytest.fixture(scope="module")
def nginx(web_server, tmp_path_factory):
    """The proxy's port."""
    if not NGINX.exists():
        pytest.fail("nginx not installed: apt-get install nginx (REQUIRE_PROXY_TESTS=1)")
    prefix = tmp_path_factory.mktemp("nginx")
    port = free_port()
    config = prefix / "nginx.conf"
    # Started as root, nginx's workers would run as "nobody" and not reach the temp folders.
    user = f"user {getpass.getuser()};" if os.geteuid() == 0 else ""
    config.write_text(
        NGINX_CONFIG.format(user=user, prefix=prefix, port=port, upstream=web_server[0])
    )
    process = subprocess.Popen(
        [str(NGINX), "-p", str(prefix), "-e", str(prefix / "error.log"), "-c", str(config)]
        + ["-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz", 200, within=10)
        yield port
    finally:
        stop(process, within=10)
        errors = (prefix / "error.log").read_text()
        assert "[emerg]" not in errors and "[crit]" not in errors, errors


def request(port, source, method, path, headers=None, body=None):
    """A request to the proxy from the loopback address `source`: status, headers, body."""
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=30, source_address=(source, 0)
    )
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read().decode()
    finally:
        connection.close()


class Browser:
    """One visitor's admin sign-in form, from one address, with its CSRF cookie."""

    def __init__(self, port: int, source: str):
        self.port, self.source = port, source
        status, headers, page = request(port, source, "GET", "/admin/login/")
        assert status == 200, page
        cookie = next(
            value.split(";")[0]
            for name, value in headers.items()
            if name.lower() == "set-cookie" and value.startswith("csrftoken=")
        )
        self.cookie = cookie
        self.token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]

    def sign_in(self, username, password, forwarded_for=None) -> tuple[int, dict, str]:
        headers = {"Cookie": self.cookie, "Content-Type": "application/x-www-form-urlencoded"}
        if forwarded_for:
            headers["X-Forwarded-For"] = forwarded_for
        form = {
            "csrfmiddlewaretoken": self.token,
            "username": username,
            "password": password,
            "next": "/admin/",
        }
        return request(self.port, self.source, "POST", "/admin/login/", headers, urlencode(form))


def lines_of(log: Path, containing: str) -> list[str]:
    """The server's log lines containing a text, once there (access lines follow responses)."""
    deadline = time.monotonic() + 5
    while containing not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.1)
    return [line for line in log.read_text().splitlines() if containing in line]


def test_a_forged_forwarded_for_does_not_bypass_the_anonymous_api_limit(nginx, web_server):
    forged = [{"X-Forwarded-For": f"198.51.100.{number}"} for number in range(1, 21)]
    statuses = [request(nginx, "127.0.0.2", "GET", "/api/v1/levels/", h)[0] for h in forged]
    # Both workers count in the cache they share (files without CACHE_URL).
    assert statuses == [200] * ANONYMOUS_RATE + [429] * (len(forged) - ANONYMOUS_RATE), statuses
    # Another visitor behind the same proxy has an allowance of their own.
    assert request(nginx, "127.0.0.3", "GET", "/api/v1/levels/")[0] == 200

    refusals = lines_of(web_server[1], "Too Many Requests: /api/v1/levels/")
    assert len(refusals) == statuses.count(429)
    assert all("WARNING 127.0.0.2 [" in line for line in refusals), refusals


def test_an_editor_is_not_locked_out_by_another_clients_wrong_passwords(nginx):
    attacker = Browser(nginx, "127.0.0.4")
    statuses = [
        # Even writing the editor's own address before the hop nginx adds.
        attacker.sign_in(EDITOR, "wrong", forwarded_for="127.0.0.5")[0]
        for _ in range(settings.AXES_FAILURE_LIMIT + 1)
    ]
    assert statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429, 429]
    status, _, page = attacker.sign_in(EDITOR, PASSWORD)
    assert status == 429 and "Sign-in locked for a while" in page

    status, headers, _ = Browser(nginx, "127.0.0.5").sign_in(EDITOR, PASSWORD)
    assert (status, headers["Location"]) == (302, "/admin/")


def test_log_lines_carry_the_real_client_address(nginx, web_server):
    forged = {"X-Forwarded-For": "198.51.100.99"}
    assert request(nginx, "127.0.0.6", "GET", "/no-such-page/", forged)[0] == 404
    access = lines_of(web_server[1], '"GET /no-such-page/')
    assert len(access) == 1 and " 127.0.0.6 " in access[0], access
    application = lines_of(web_server[1], "Not Found: /no-such-page/")
    assert len(application) == 1 and "WARNING 127.0.0.6 [" in application[0], application
    assert "198.51.100.99" not in web_server[1].read_text()
