"""Real servers for the tests that need them: gunicorn as production runs it, and a client.

Shared by the fault test (tests/project/test_faults.py), the reverse-proxy test
(tests/project/test_proxy.py) and the browser tests.
"""

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections

START_TIMEOUT = 90  # seconds, for gunicorn to boot and answer


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> tuple[int, dict, str, float]:
    """Status, headers, body and seconds taken: what a visitor's browser gets."""
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            status, headers, body = response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        status, headers, body = error.code, dict(error.headers), error.read()
    return status, headers, body.decode(), time.monotonic() - started


def wait_for(url: str, status: int, within: float) -> None:
    deadline = time.monotonic() + within
    while True:
        try:
            if get(url)[0] == status:
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"{url} did not answer {status} within {within}s")
        time.sleep(0.2)


def production_environment() -> dict[str, str]:
    """The environment of `make serve` (DEBUG off), without the suite's database settings."""
    environment = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DATABASE_URL")}
    environment.pop("DATABASE_REPLICA_URLS", None)
    return {
        **environment,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "PYTHONUNBUFFERED": "1",
    }


def collect_static(root: Path) -> None:
    """Static files collected into `root` as for production (hashed names, a manifest)."""
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=settings.BASE_DIR,
        env={**production_environment(), "STATIC_ROOT": str(root)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr


def start_gunicorn(env: dict[str, str], log: Path) -> subprocess.Popen:
    """`python -m gunicorn` from the checkout, as `make serve` runs it (gunicorn.conf.py)."""
    with log.open("w") as output:
        return subprocess.Popen(
            [sys.executable, "-m", "gunicorn"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )


def stop(process: subprocess.Popen, within: float = 30) -> None:
    process.terminate()
    try:
        process.wait(timeout=within)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def wait_for_other_database_sessions_to_end() -> None:
    """The test database is dropped at the end of the session: a server's sessions on it must
    be gone by then."""
    others = (
        "SELECT pid, client_port, state, backend_type, query FROM pg_stat_activity"
        " WHERE datname = %s AND pid <> pg_backend_pid()"
    )
    name = connections["default"].settings_dict["NAME"]
    with connections["default"].cursor() as cursor:
        for _ in range(100):
            cursor.execute(others, [name])
            rows = cursor.fetchall()
            if not rows:
                break
            time.sleep(0.1)
    assert rows == [], "the server's database sessions outlived it"
