"""PostgreSQL gives up on an unreachable server or a stuck query instead of hanging a worker."""

import os
import subprocess
import sys
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from directory.settings import with_timeouts

URL = "postgres://directory@db.internal:5432/directory"


# A kept connection to a server that stops answering ends within about the connect timeout.
TCP = {
    "keepalives": 1,
    "keepalives_idle": 5,
    "keepalives_interval": 1,
    "keepalives_count": 3,
    "tcp_user_timeout": 5000,
}
# PostgreSQL compiles no query: compiling cost more than the directory's queries take.
NO_JIT = "-c jit=off"
TCP_NAMES = [
    "DATABASE_STATEMENT_TIMEOUT",
    "DATABASE_CONNECT_TIMEOUT",
    "DATABASE_KEEPALIVES_IDLE",
    "DATABASE_KEEPALIVES_INTERVAL",
    "DATABASE_KEEPALIVES_COUNT",
    "DATABASE_TCP_USER_TIMEOUT",
]


@pytest.fixture
def no_timeouts_set(monkeypatch):
    for name in TCP_NAMES:
        monkeypatch.delenv(name, raising=False)


def test_postgresql_connections_time_out_and_pages_queries_too(monkeypatch, no_timeouts_set):
    assert with_timeouts(dj_database_url.parse(URL))["OPTIONS"] == {
        "connect_timeout": 5,
        **TCP,
        "options": NO_JIT,
    }
    monkeypatch.setenv("DATABASE_STATEMENT_TIMEOUT", "10")
    monkeypatch.setenv("DATABASE_CONNECT_TIMEOUT", "3")
    options = with_timeouts(dj_database_url.parse(URL + "?options=-c%20search_path%3Dpublic"))[
        "OPTIONS"
    ]
    assert options == {
        "connect_timeout": 3,
        **TCP,
        "keepalives_idle": 3,
        "tcp_user_timeout": 3000,
        "options": f"-c search_path=public -c statement_timeout=10000 {NO_JIT}",
    }


def test_each_tcp_option_can_be_set_and_the_url_wins(monkeypatch, no_timeouts_set):
    monkeypatch.setenv("DATABASE_KEEPALIVES_IDLE", "30")
    monkeypatch.setenv("DATABASE_KEEPALIVES_INTERVAL", "10")
    monkeypatch.setenv("DATABASE_KEEPALIVES_COUNT", "6")
    monkeypatch.setenv("DATABASE_TCP_USER_TIMEOUT", "20")
    assert with_timeouts(dj_database_url.parse(URL))["OPTIONS"] == {
        "connect_timeout": 5,
        "keepalives": 1,
        "keepalives_idle": 30,
        "keepalives_interval": 10,
        "keepalives_count": 6,
        "tcp_user_timeout": 20000,
        "options": NO_JIT,
    }
    options = with_timeouts(dj_database_url.parse(URL + "?keepalives=0&tcp_user_timeout=900"))
    assert options["OPTIONS"]["keepalives"] == 0
    assert options["OPTIONS"]["tcp_user_timeout"] == 900


@pytest.mark.parametrize("value", ["0", "-1"])
def test_a_tcp_option_of_zero_or_less_leaves_the_systems_default(
    monkeypatch, no_timeouts_set, value
):
    """libpq would refuse every connection with a keepalive setting of 0."""
    for name in TCP_NAMES[2:]:
        monkeypatch.setenv(name, value)
    options = with_timeouts(dj_database_url.parse(URL))["OPTIONS"]
    assert options == {"connect_timeout": 5, "keepalives": 1, "options": NO_JIT}


def test_a_tcp_option_that_is_no_number_is_refused(monkeypatch, no_timeouts_set):
    monkeypatch.setenv("DATABASE_TCP_USER_TIMEOUT", "5s")
    with pytest.raises(ImproperlyConfigured, match="DATABASE_TCP_USER_TIMEOUT"):
        with_timeouts(dj_database_url.parse(URL))


def test_sqlite_takes_no_postgresql_options():
    assert with_timeouts(dj_database_url.parse("sqlite:///x.sqlite3")).get("OPTIONS", {}) == {}


def options_in(*command: str) -> str:
    """The database options a process ends up with, for the PostgreSQL URL above."""
    show = "from django.conf import settings; print(settings.DATABASES['default']['OPTIONS'])"
    env = {**os.environ, "DATABASE_URL": URL}
    for name in TCP_NAMES:
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, *command, show],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result.stdout.strip().splitlines()[-1]


def test_the_web_server_gets_a_statement_timeout_and_commands_none():
    web = options_in("-c", "import directory.wsgi; exec(__import__('sys').argv[1])")
    web_options = f"-c statement_timeout=10000 {NO_JIT}"
    assert web == repr({"connect_timeout": 5, **TCP, "options": web_options})
    commands = options_in("manage.py", "shell", "-v0", "-c")
    assert commands == repr({"connect_timeout": 5, **TCP, "options": NO_JIT})


def maintenance_url() -> str:
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/postgres"))


@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"], reason="PostgreSQL only"
)
def test_a_query_longer_than_the_statement_timeout_is_cancelled():
    sleep = (
        "from django.db import connection\n"
        "try:\n"
        "    connection.cursor().execute('SELECT pg_sleep(5)')\n"
        "except Exception as error:\n"
        "    print(type(error).__name__, error)\n"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v0", "-c", sleep],
        cwd=settings.BASE_DIR,
        # The server's own `postgres` database: the suite's database may not exist outside it.
        env={**os.environ, "DATABASE_URL": maintenance_url(), "DATABASE_STATEMENT_TIMEOUT": "1"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "canceling statement due to statement timeout" in result.stdout, result.stderr


@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"], reason="PostgreSQL only"
)
def test_postgresql_compiles_no_query(db):
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
