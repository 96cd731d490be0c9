"""Two servers, one PostgreSQL primary, a real streaming replica and Redis, as deployed.

The replica is a second cluster on this machine: `pg_basebackup -R` of the test database's
server (the whole cluster), started with `pg_ctl` as the postgres account on a port of its own,
stopped and removed at the end. Two gunicorn servers read it through a forwarder this test
stalls, write to a copy of the test database on the primary, and share a Redis database.

To tell where a page read, the test pauses the replica's replay: what the primary holds after
that, the replica cannot show. The base backup needs a replication connection to the primary
as the postgres account over the Unix socket (`.ci/run` allows it in pg_hba.conf), root (to
run the cluster as postgres) and Redis on 127.0.0.1:6379; without them the test skips, unless
REQUIRE_REPLICA_TESTS=1.
"""

import html
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg2
import pytest
import redis
from django.conf import settings
from django.db import connections

from tests.servers import (
    Browser,
    DatabaseForwarder,
    copy_of_test_database,
    database_url,
    free_port,
    gunicorn,
)

pytestmark = [
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="the replica is a copy of the test database's PostgreSQL server",
    ),
    # The test database is made and loaded for the session, then copied for the servers.
    pytest.mark.django_db,
]

EDITOR = "replica-editor"
PASSWORD = secrets.token_urlsafe(16)
ADMIN = "/" + settings.ADMIN_PATH
REDIS_URL = "redis://127.0.0.1:6379/12"  # this test's own database number, emptied
CONNECT_TIMEOUT = 2  # seconds, libpq's smallest
RETRY_SECONDS = 15  # a replica that failed is tried again after this long
REPLICATION_LAG = 2.0  # seconds a change may take to reach the replica
# A page while the replica stops answering: its connection found dead, a new one refused
# within the connect timeout, and the page read from the primary.
FAILOVER = 2 * CONNECT_TIMEOUT + 2.0
# A list of few organisations, whose count an edit changes.
COUNTRY = "CZ"
COUNTRY_LIST = f"/api/v1/organisations/?country={COUNTRY}&page_size=1"
# What the test measured, printed at the end (pytest -s) for docs/deploy.md.
MEASURED: dict[str, float] = {}


def missing(message: str) -> None:
    if os.environ.get("REQUIRE_REPLICA_TESTS") == "1":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def within(seconds: float, check: Callable[[], bool], what: str, every: float = 0.01) -> float:
    """Seconds until `check()` holds, asked `every` so many seconds, failing past `seconds`."""
    started = time.monotonic()
    while not check():
        if time.monotonic() - started > seconds:
            pytest.fail(f"{what}: not within {seconds}s")
        time.sleep(every)
    return time.monotonic() - started


def primary_setting(name: str) -> str:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT current_setting(%s)", [name])
        return cursor.fetchone()[0]


def postgres_programs() -> Path:
    """The folder of the primary's own version of pg_basebackup and pg_ctl (Debian's layout)."""
    major = int(primary_setting("server_version_num")) // 10000
    folder = Path(f"/usr/lib/postgresql/{major}/bin")
    if not all((folder / program).exists() for program in ("pg_basebackup", "pg_ctl")):
        missing(f"no pg_basebackup and pg_ctl in {folder} (apt-get install postgresql-{major})")
    return folder


def as_postgres(*command: str | Path, timeout: float = 120) -> subprocess.CompletedProcess:
    """PostgreSQL refuses to run as root: its programs run as the postgres account."""
    return subprocess.run(
        ["runuser", "-u", "postgres", "--", *map(str, command)],
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@dataclass
class Replica:
    port: int
    name: str  # its cluster_name, which the primary shows as the client of its WAL
    database: str

    def connect(self):
        return psycopg2.connect(database_url(self.database, port=self.port))

    def query(self, sql: str, params=()) -> list[tuple]:
        with self.connect() as connection, connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        connection.close()
        return rows

    def replaying(self) -> bool:
        return self.query("SELECT pg_get_wal_replay_pause_state()")[0][0] == "not paused"

    @contextmanager
    def paused(self) -> Iterator[None]:
        """The replica stops replaying the primary's WAL: it shows the rows it had, until
        resumed. The primary keeps the WAL meanwhile (it streams on)."""
        self.query("SELECT pg_wal_replay_pause()")
        within(
            10,
            lambda: self.query("SELECT pg_get_wal_replay_pause_state()")[0][0] == "paused",
            "replay paused",
        )
        try:
            yield
        finally:
            self.query("SELECT pg_wal_replay_resume()")


def primary(database: str):
    connection = psycopg2.connect(database_url(database))
    connection.autocommit = True
    return connection


def on_primary(database: str, sql: str, params=()) -> list[tuple]:
    connection = primary(database)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall() if cursor.description else []
    finally:
        connection.close()


@pytest.fixture(scope="module")
def shared_redis() -> Iterator[str]:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        missing("no Redis on 127.0.0.1:6379 (apt-get install redis-server)")
    store = redis.Redis.from_url(REDIS_URL)
    store.flushdb()  # figures of an earlier run under the same database name
    yield REDIS_URL
    store.flushdb()
    store.close()


@pytest.fixture(scope="module")
def own_database(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[str]:
    with django_db_blocker.unblock():
        connections.close_all()  # a database is copied only while nobody uses it
    with copy_of_test_database("replica", EDITOR, PASSWORD, tmp_path_factory) as name:
        yield name


@pytest.fixture(scope="module")
def replica(own_database, django_db_blocker) -> Iterator[Replica]:
    """A hot standby of the primary's whole cluster, streaming from it, on a free port."""
    if os.geteuid() != 0 or shutil.which("runuser") is None:
        missing("the replica cluster runs as the postgres account: run the tests as root")
    with django_db_blocker.unblock():
        programs = postgres_programs()
        sockets = primary_setting("unix_socket_directories").split(",")[0].strip()
        port = primary_setting("port")
        # A standby needs at least the primary's values of these.
        at_least = {
            name: primary_setting(name)
            for name in (
                "max_connections",
                "max_worker_processes",
                "max_wal_senders",
                "max_prepared_transactions",
                "max_locks_per_transaction",
            )
        }
        if primary_setting("wal_level") == "minimal":
            missing("the primary's wal_level is minimal: set it to replica")
    folder = Path(tempfile.mkdtemp(prefix="replica-"))
    shutil.chown(folder, "postgres")
    data = folder / "data"
    replica = Replica(
        port=free_port(), name=f"test_replica_{folder.name[8:]}", database=own_database
    )
    started = False
    try:
        began = time.monotonic()
        copied = as_postgres(
            programs / "pg_basebackup",
            *("-h", sockets, "-p", port, "-U", "postgres"),
            # A throwaway copy: nothing of it is written to disk before it is used.
            *("-D", data, "-R", "-X", "stream", "-c", "fast", "--no-sync"),
            timeout=600,
        )
        if copied.returncode != 0:
            missing(
                f"pg_basebackup failed: {copied.stderr.strip()} (.ci/run adds "
                "`local replication postgres peer` to pg_hba.conf)"
            )
        MEASURED["base backup, seconds"] = time.monotonic() - began
        MEASURED["base backup, MB"] = (
            sum(path.stat().st_size for path in data.rglob("*") if path.is_file()) / 1e6
        )
        configuration = {
            "port": replica.port,
            "listen_addresses": "'127.0.0.1'",
            "unix_socket_directories": f"'{folder}'",
            "cluster_name": f"'{replica.name}'",
            "hot_standby": "on",
            "shared_buffers": "'32MB'",
            # A copy that is never a crash away from anything: no fsync of the whole copied
            # cluster at start, nor of each restartpoint.
            "fsync": "off",
            **at_least,
        }
        (data / "postgresql.conf").write_text(
            "".join(f"{name} = {value}\n" for name, value in configuration.items())
        )
        (data / "pg_hba.conf").write_text("local all all trust\nhost all all 127.0.0.1/32 trust\n")
        for written in ("postgresql.conf", "pg_hba.conf"):
            shutil.chown(data / written, "postgres")
        began = time.monotonic()
        run = as_postgres(programs / "pg_ctl", "-D", data, "-l", folder / "log", "-w", "start")
        started = True
        assert run.returncode == 0, (run.stdout, (folder / "log").read_text())
        MEASURED["replica start, seconds"] = time.monotonic() - began
        yield replica
    finally:
        if started:
            stopped = as_postgres(programs / "pg_ctl", "-D", data, "-m", "fast", "-w", "stop")
            if stopped.returncode != 0:
                as_postgres(programs / "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop")
        shutil.rmtree(folder, ignore_errors=True)
        print("\nmeasured:", {name: round(value, 3) for name, value in MEASURED.items()})
    assert not folder.exists()
    # The primary streams to nobody of this test any more.
    streaming = "SELECT count(*) FROM pg_stat_replication WHERE application_name = %s"
    within(
        10,
        lambda: on_primary("postgres", streaming, [replica.name]) == [(0,)],
        "the primary's WAL sender to the replica ended",
    )


@pytest.fixture(scope="module")
def forwarder(replica) -> Iterator[DatabaseForwarder]:
    """The servers reach the replica through this: the test stalls it."""
    forwarder = DatabaseForwarder("127.0.0.1", replica.port)
    forwarder.start()
    yield forwarder
    forwarder.stop()


@pytest.fixture(scope="module")
def servers(
    own_database, forwarder, shared_redis, collected_static, tmp_path_factory
) -> Iterator[tuple[str, str]]:
    """Server A and server B: the same settings, secret key and Redis, as on two machines."""
    env = {
        "DATABASE_URL": database_url(own_database),
        "DATABASE_REPLICA_URLS": database_url(own_database, port=forwarder.port),
        "DATABASE_CONNECT_TIMEOUT": str(CONNECT_TIMEOUT),
        "DATABASE_REPLICA_RETRY_SECONDS": str(RETRY_SECONDS),
        "CONN_MAX_AGE": "60",  # kept connections, checked before each request
        "CACHE_URL": shared_redis,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "STATIC_ROOT": str(collected_static),
        "WEB_CONCURRENCY": "2",
    }
    with ExitStack() as stack:
        a, _ = stack.enter_context(gunicorn(env, tmp_path_factory.mktemp("server-a")))
        b, _ = stack.enter_context(gunicorn(env, tmp_path_factory.mktemp("server-b")))
        yield a, b
    # The servers' sessions on the primary ended with them.
    sessions = (
        "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()"
    )
    within(
        30,
        lambda: on_primary("postgres", sessions, [own_database]) == [(0,)],
        "the servers' sessions on the primary ended",
    )


@pytest.fixture(scope="module")
def editor(servers) -> Browser:
    """Signed in on server A; the same cookies sign them in on server B."""
    browser = Browser(servers[0])
    browser.sign_in(EDITOR, PASSWORD)
    return browser


def on(base: str, browser: Browser) -> Browser:
    """The same person (their cookies) on another server."""
    other = Browser(base)
    other.cookies = browser.cookies
    return other


def a_published_organisation(database: str) -> tuple[int, str, str]:
    """One public organisation of COUNTRY's list: id, slug and name."""
    (found,) = on_primary(
        database,
        "SELECT o.id, o.slug, o.name FROM orgs_organisation o"
        " JOIN orgs_organisation_countries c ON c.organisation_id = o.id"
        " WHERE o.is_published AND c.country_id = %s ORDER BY o.id LIMIT 1",
        [COUNTRY],
    )
    return found


def test_a_row_written_on_the_primary_is_read_on_the_replica_within_a_second(own_database, replica):
    on_primary(own_database, "CREATE TABLE replica_probe (written text)")
    exists = "SELECT to_regclass('replica_probe') IS NOT NULL"
    within(10, lambda: replica.query(exists) == [(True,)], "the probe table reached the replica")
    writer, reader = primary(own_database), replica.connect()
    reader.autocommit = True
    lags = []
    try:
        with writer.cursor() as written, reader.cursor() as read:

            def seen(row: str) -> bool:
                read.execute("SELECT count(*) FROM replica_probe WHERE written = %s", [row])
                return read.fetchone() == (1,)

            for number in range(5):
                row = f"row {number}"
                written.execute("INSERT INTO replica_probe VALUES (%s)", [row])
                lags.append(
                    within(REPLICATION_LAG, lambda row=row: seen(row), "a row reached the replica")
                )
    finally:
        writer.close()
        reader.close()
    MEASURED["replication lag, seconds (worst of 5)"] = max(lags)


def test_anonymous_pages_read_the_replica_and_signed_in_pages_the_primary(
    own_database, replica, servers, editor
):
    _, slug, old_name = a_published_organisation(own_database)
    new_name = "Renamed while the replica waits"
    page = f"/organisations/{slug}/"
    # Seen once before: the figures' version is made then, naming where the primary stood (a
    # version made later, during the pause, would name a point the replica has not reached).
    for base in servers:
        assert Browser(base).get(page).status == 200
    with replica.paused():
        # Straight to the primary's table, bypassing the site: the replica cannot know it.
        on_primary(
            own_database, "UPDATE orgs_organisation SET name = %s WHERE slug = %s", [new_name, slug]
        )
        for base in servers:
            answer = Browser(base).get(page)
            assert answer.status == 200
            assert html.escape(old_name) in answer.body and new_name not in answer.body
            answer = on(base, editor).get(page)
            assert answer.status == 200 and new_name in answer.body
    # Replaying again, the replica catches up, and anonymous visitors see the new name.
    MEASURED["replica caught up after a pause, seconds"] = within(
        REPLICATION_LAG,
        lambda: all(new_name in Browser(base).get(page).body for base in servers),
        "the new name reached anonymous visitors",
    )


def published_on_change_page(browser: Browser, organisation: int) -> bool:
    answer = browser.get(f"{ADMIN}orgs/organisation/{organisation}/change/")
    assert answer.status == 200, answer.status
    (checkbox,) = re.findall(r'<input[^>]*name="is_published"[^>]*>', answer.body)
    return " checked" in checkbox


def count_of(base: str) -> int:
    answer = Browser(base).get(COUNTRY_LIST)
    assert answer.status == 200, answer.body
    return json.loads(answer.body)["count"]


def test_an_editors_save_shows_at_once_to_them_on_both_servers_and_to_every_visitor(
    own_database, replica, servers, editor
):
    server_a, server_b = servers
    organisation, _, _ = a_published_organisation(own_database)
    # Both servers have the list's figure cached (in Redis) before the edit.
    counts = {count_of(base) for base in servers for _ in range(3)}
    (count,) = counts
    assert published_on_change_page(editor, organisation)

    with replica.paused():
        hidden = editor.post(
            ADMIN + "orgs/organisation/",
            {"action": "hide", "_selected_action": organisation, "index": 0},
        )
        assert hidden.status == 302
        # The editor's next page, on either server, reads the primary.
        assert not published_on_change_page(editor, organisation)
        assert not published_on_change_page(on(server_b, editor), organisation)
        # The edit retired the figure everywhere; recomputed while the replica is behind the
        # edit, it is read from the primary, so that no server caches the old count again.
        for base in (server_b, server_a, server_b):
            assert count_of(base) == count - 1

    within(REPLICATION_LAG, lambda: replica.replaying(), "replay resumed")
    for base in servers:
        assert count_of(base) == count - 1


def test_a_replica_that_stops_answering_sends_reads_to_the_primary(
    own_database, replica, forwarder, servers
):
    (slug,) = on_primary(
        own_database, "SELECT slug FROM orgs_organisation WHERE is_published ORDER BY id LIMIT 1"
    )[0]

    def replica_sessions() -> int:
        """The servers' sessions on the replica (the test's own aside)."""
        return replica.query(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s"
            " AND backend_type = 'client backend' AND pid <> pg_backend_pid()",
            [own_database],
        )[0][0]

    pages = ["/organisations/", f"/organisations/{slug}/", "/countries/"]
    for base in servers:  # both workers of each server keep a connection to the replica
        for _ in range(3):
            for page in pages:
                assert Browser(base).get(page).status == 200
    assert replica_sessions() > 0

    forwarder.stall()  # its connections reset, new ones accepted and never answered
    within(5, lambda: replica_sessions() == 0, "the servers' sessions on the replica ended")
    stalled = time.monotonic()
    took = []
    for base in servers:
        for _ in range(2):
            for page in pages:
                began = time.monotonic()
                assert Browser(base).get(page).status == 200, page
                took.append(time.monotonic() - began)
    MEASURED["slowest page while the replica stalls, seconds"] = max(took)
    assert max(took) < FAILOVER, took
    # Each worker (two a server) waits for the replica once, then reads the primary at once.
    assert len([seconds for seconds in took if seconds > 1.0]) <= 4, took

    assert time.monotonic() - stalled < RETRY_SECONDS  # no worker tried the replica again

    forwarder.start()

    def replica_serving() -> bool:
        for base in servers:
            assert Browser(base).get(pages[0]).status == 200
        return replica_sessions() > 0

    # Each worker tries the replica again RETRY_SECONDS after it gave it up.
    within(RETRY_SECONDS + 5, replica_serving, "reads came back to the replica", every=0.5)
