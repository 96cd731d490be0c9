"""Production servers that tests start: gunicorn as `make serve` runs it (DEBUG off, static
files collected with a manifest, the default cache in files), reaching a test database; a
forwarder a test cuts or stalls between a server and its database; a browser that signs in.

Its fixture `collected_static` is every test's (tests/conftest.py names this module a plugin).
"""

import http.client
import os
import secrets
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

import psycopg2
import pytest
from django.conf import settings
from django.db import connections

START_TIMEOUT = 90  # seconds, for gunicorn to boot and answer


def form_body(fields: dict, files: dict | None = None) -> tuple[bytes, str]:
    """A form as a browser sends it, and its content type: URL-encoded, or multipart with
    `files` ({name: (filename, CSV bytes)})."""
    if not files:
        return urlencode(fields).encode(), "application/x-www-form-urlencoded"
    boundary = uuid.uuid4().hex
    field = '--{}\r\nContent-Disposition: form-data; name="{}"\r\n\r\n{}\r\n'
    parts = [field.format(boundary, name, value).encode() for name, value in fields.items()]
    for name, (filename, data) in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: text/csv\r\n\r\n'.encode()
            + data
            + b"\r\n"
        )
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), (
        f"multipart/form-data; boundary={boundary}"
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_environment(cache_dir: Path) -> dict[str, str]:
    """This process's environment less the tests' own settings (DEBUG, the database, their
    one-process cache), with the cache (and the open data) in files in `cache_dir`, away from
    the checkout's."""
    dropped = {"DEBUG", "DATABASE_URL", "DATABASE_REPLICA_URLS", "CACHE_URL"}
    environment = {k: v for k, v in os.environ.items() if k not in dropped}
    return {
        **environment,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "PYTHONUNBUFFERED": "1",
        "CACHE_DIR": str(cache_dir),
        "OPEN_DATA_DIR": str(cache_dir / "open-data"),
        # No background worker beside it unless a test asks for one (TASK_WORKER=1).
        "TASK_WORKER": "0",
    }


def redis_is_running() -> bool:
    """The tests' Redis at 127.0.0.1:6379 answers (tests of the shared cache skip without it)."""
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


def database_url(name: str, port: int | None = None) -> str:
    """The test database's server and account, with another database name or port."""
    database = connections["default"].settings_dict
    password = f":{quote(database['PASSWORD'], safe='')}" if database["PASSWORD"] else ""
    host = database["HOST"] or "127.0.0.1"
    return (
        f"postgres://{quote(database['USER'], safe='')}{password}"
        f"@{host}:{port or database['PORT'] or 5432}/{name}"
    )


@contextmanager
def copy_of_test_database(
    suffix: str, editor: str, password: str, tmp_path_factory
) -> Iterator[str]:
    """A copy of the loaded test database (a server changes it), with an editor who signs in
    with `password`; dropped at the end. Close the test's own connections first: a database
    is copied only while nobody uses it."""
    source = connections["default"].settings_dict["NAME"]
    name = f"{source}_{suffix}"
    maintenance = psycopg2.connect(database_url("postgres"))
    maintenance.autocommit = True
    try:
        with maintenance.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')
        make_editor = (
            "from tests.factories import EditorFactory; "
            f"EditorFactory(username={editor!r}, password={password!r})"
        )
        cache = tmp_path_factory.mktemp("editor-cache")
        result = subprocess.run(
            [sys.executable, "manage.py", "shell", "-v0", "-c", make_editor],
            cwd=settings.BASE_DIR,
            env={**production_environment(cache), "DATABASE_URL": database_url(name)},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        yield name
    finally:
        with maintenance.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        maintenance.close()


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


def close(sock: socket.socket) -> None:
    """Ends a connection at once with a reset, as a failed link would.

    shutdown() first: it wakes a thread blocked reading the socket, which close() alone does
    not, and until then the connection would stay open.
    """
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()


class DatabaseForwarder:
    """Forwards a loopback port to PostgreSQL, until it is cut or stalled."""

    def __init__(self, host: str, port: int):
        self.target = (host, port)
        self.port = free_port()
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        self.listener: socket.socket | None = None
        self.stalled = False
        self.upstream_ports: set[int] = set()  # the database server's clients, for the end

    def start(self) -> None:
        self.stop()
        self.stalled = False
        listener = socket.socket()
        # Connections of the previous listener may linger on the port a moment.
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen()
        listener.settimeout(0.1)
        self.listener = listener
        threading.Thread(target=self.accept, args=(listener,), daemon=True).start()

    def accept(self, listener: socket.socket) -> None:
        while self.listener is listener:
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            client.settimeout(None)
            with self.lock:
                self.sockets.append(client)
            if self.stalled:
                continue  # held open, never answered
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                close(client)
                continue
            upstream.settimeout(None)
            with self.lock:
                self.sockets.append(upstream)
                self.upstream_ports.add(upstream.getsockname()[1])
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self.pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            close(source)
            close(sink)

    def cut_connections(self) -> None:
        with self.lock:
            sockets, self.sockets = self.sockets, []
        for sock in sockets:
            close(sock)

    def stop(self) -> None:
        """Nothing listens on the port any more: connections are refused."""
        listener, self.listener = self.listener, None
        if listener is not None:
            listener.close()
        self.cut_connections()

    def stall(self) -> None:
        """Connections are accepted and never answered, as by a database that hangs."""
        self.stalled = True
        self.cut_connections()


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: str

    @property
    def request_id(self) -> str:
        return self.headers["X-Request-ID"]


class Browser:
    """Keeps its cookies and follows no redirect. The server marks its cookies Secure (it is
    production), and this is plain HTTP on loopback: they are sent back all the same."""

    def __init__(self, base: str):
        self.address = urlsplit(base)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes = b"", content_type: str = "") -> Answer:
        connection = http.client.HTTPConnection(
            self.address.hostname, self.address.port, timeout=30
        )
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if content_type:
            headers["Content-Type"] = content_type
        try:
            connection.request(method, path, body=body or None, headers=headers)
            response = connection.getresponse()
            answer = Answer(response.status, response.headers, response.read().decode())
        finally:
            connection.close()
        for header in answer.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return answer

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def post(self, path: str, fields: dict, files: dict | None = None) -> Answer:
        """A form sent with this browser's CSRF token (Django takes the cookie's secret)."""
        fields = {**fields, "csrfmiddlewaretoken": self.cookies["csrftoken"]}
        return self.request("POST", path, *form_body(fields, files))

    def sign_in(self, username: str, password: str) -> None:
        admin = "/" + settings.ADMIN_PATH
        self.get(admin + "login/")  # the CSRF cookie
        answer = self.post(admin + "login/", {"username": username, "password": password})
        assert answer.status == 302, answer.body
