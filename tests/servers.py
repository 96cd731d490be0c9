"""Production servers that tests start: gunicorn as `make serve` runs it (DEBUG off, static
files collected with a manifest, the default cache in files), reaching a test database.

Its fixture `collected_static` is every test's (tests/conftest.py names this module a plugin).
"""

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connections

START_TIMEOUT = 90  # seconds, for gunicorn to boot and answer


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_environment(cache_dir: Path) -> dict[str, str]:
    """This process's environment less the tests' own settings (DEBUG, the database, their
    one-process cache), with the cache in files in `cache_dir`, away from the checkout's."""
    dropped = {"DEBUG", "DATABASE_URL", "DATABASE_REPLICA_URLS", "CACHE_URL"}
    environment = {k: v for k, v in os.environ.items() if k not in dropped}
    return {
        **environment,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "PYTHONUNBUFFERED": "1",
        "CACHE_DIR": str(cache_dir),
        # No background worker beside it unless a test asks for one (TASK_WORKER=1).
        "TASK_WORKER": "0",
    }


def database_url(name: str, port: int | None = None) -> str:
    """The test database's server and account, with another database name or port."""
    database = connections["default"].settings_dict
    password = f":{quote(database['PASSWORD'], safe='')}" if database["PASSWORD"] else ""
    host = database["HOST"] or "127.0.0.1"
    return (
        f"postgres://{quote(database['USER'], safe='')}{password}"
        f"@{host}:{port or database['PORT'] or 5432}/{name}"
    )


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory) -> Path:
    """Static files collected as for production (hashed names, a manifest)."""
    root = tmp_path_factory.mktemp("static")
    cache = tmp_path_factory.mktemp("collectstatic-cache")
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=settings.BASE_DIR,
        env={**production_environment(cache), "STATIC_ROOT": str(root)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return root


def get(url: str, headers: dict | None = None) -> tuple[int, dict, str, float]:
    """Status, headers, body and seconds taken: what a visitor's browser gets."""
    started = time.monotonic()
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
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


@contextmanager
def gunicorn(env: dict[str, str], folder: Path) -> Iterator[tuple[str, Path]]:
    """gunicorn.conf.py's server with `env` (DATABASE_URL, STATIC_ROOT, WEB_CONCURRENCY...)
    on a free port, its log and its cache in `folder`; yields its address and its log."""
    port = free_port()
    log = folder / "gunicorn.log"
    env = {**production_environment(folder / "cache"), "BIND": f"127.0.0.1:{port}", **env}
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            # Its own process group: whatever it leaves behind is stopped with it.
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/healthz", 200, within=START_TIMEOUT)
        yield base, log
    finally:
        stop(process)


def stop(process: subprocess.Popen, within: float = 30) -> None:
    """Stops the server as an operator would (SIGTERM, then SIGKILL), then any process of its
    group that outlived it (a worker orphaned by a master killed mid-shutdown), so that none
    keeps a database session open."""
    process.terminate()
    try:
        process.wait(timeout=within)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass  # nothing left of the group


def wait_for_other_database_sessions_to_end() -> None:
    """The test database is dropped at the end of the session: a server's sessions on it must
    be gone by then."""
    others = (
        "SELECT pid, client_port, state, backend_type, query FROM pg_stat_activity"
        " WHERE datname = %s AND pid <> pg_backend_pid()"
    )
    name = connections["default"].settings_dict["NAME"]
    with connections["default"].cursor() as cursor:
        for _ in range(300):
            cursor.execute(others, [name])
            rows = cursor.fetchall()
            if not rows:
                break
            time.sleep(0.1)
    processes = subprocess.run(
        ["ps", "-eo", "pid,ppid,pgid,etimes,stat,args"], capture_output=True, text=True
    ).stdout
    assert rows == [], f"the server's database sessions outlived it; processes:\n{processes}"
