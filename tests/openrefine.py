"""Debian's OpenRefine, the reconciliation client funders use, driven as its own page drives it.

`openrefine(folder)` starts it headless (no browser opens) on a free loopback port, with a
throw-away workspace and a small Java heap, and stops its whole process group afterwards;
`Refine` speaks its HTTP command API: a project from a CSV upload, operations applied as its
page applies them (reconciling a column, adding columns from the service, adding a column
from an expression), waiting for its long-running ones, and the rows exported as CSV.
Without the package the tests that need it skip, unless REQUIRE_OPENREFINE_TESTS=1.
"""

import csv
import io
import json
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from tests.servers import form_body, free_port, stop

OPENREFINE = Path("/usr/bin/openrefine")
START_TIMEOUT = 120  # seconds: the JVM and its web application, on a busy machine
WORK_TIMEOUT = 60  # seconds, for one long-running operation (reconciling, extending)
ALL_ROWS = json.dumps({"facets": [], "mode": "row-based"})


def openrefine_tests_required() -> bool:
    return os.environ.get("REQUIRE_OPENREFINE_TESTS") == "1"


def skip_without_openrefine():
    """The mark for tests that drive OpenRefine."""
    return pytest.mark.skipif(
        not OPENREFINE.exists() and not openrefine_tests_required(),
        reason="OpenRefine not installed: apt-get install openrefine "
        "(REQUIRE_OPENREFINE_TESTS=1 requires it)",
    )


class RefineError(AssertionError):
    pass


class Refine:
    """One OpenRefine server, spoken to over its command API."""

    def __init__(self, base: str, log: Path):
        self.base = base
        self.log = log

    def request(self, path: str, fields: dict | None = None, files: dict | None = None):
        """Status, headers and body of a GET (no fields) or a POST of a form."""
        body, headers = None, {}
        if fields is not None or files:
            body, headers["Content-Type"] = form_body(fields or {}, files)
        request = urllib.request.Request(self.base + path, data=body, headers=headers)
        opener = urllib.request.build_opener(NoRedirect)
        try:
            with opener.open(request, timeout=WORK_TIMEOUT) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode()

    def command(self, name: str, fields: dict | None = None, **query) -> dict:
        """A command's JSON answer; a POST carries a fresh CSRF token, as OpenRefine wants."""
        if fields is not None:
            fields = {**fields, "csrf_token": self.csrf_token()}
        path = f"/command/core/{name}" + (f"?{urlencode(query)}" if query else "")
        status, _, body = self.request(path, fields)
        answer = json.loads(body)
        if status != 200 or answer.get("code") == "error":
            raise RefineError(f"{name} answered {status}: {body}\n{self.log_tail()}")
        return answer

    def csrf_token(self) -> str:
        _, _, body = self.request("/command/core/get-csrf-token")
        return json.loads(body)["token"]

    def create_project(self, name: str, table: str) -> str:
        """A project from a CSV whose first line names the columns; its id."""
        options = {"separator": ",", "headerLines": 1, "encoding": "UTF-8"}
        query = urlencode({"csrf_token": self.csrf_token()})
        status, headers, body = self.request(
            f"/command/core/create-project-from-upload?{query}",
            fields={
                "project-name": name,
                "format": "text/line-based/*sv",
                "options": json.dumps(options),
            },
            files={"project-file": (f"{name}.csv", table.encode())},
        )
        location = headers.get("Location", "")
        if status != 302 or "project=" not in location:
            raise RefineError(f"no project created ({status}): {body}\n{self.log_tail()}")
        return parse_qs(urlsplit(location).query)["project"][0]

    def apply(self, project: str, operations: list[dict]) -> None:
        """Applies the operations, then waits until their long-running work is done."""
        self.command("apply-operations", {"operations": json.dumps(operations)}, project=project)
        deadline = time.monotonic() + WORK_TIMEOUT
        while self.command("get-processes", project=project)["processes"]:
            if time.monotonic() > deadline:
                raise RefineError(f"still working after {WORK_TIMEOUT}s\n{self.log_tail()}")
            time.sleep(0.2)

    def rows(self, project: str) -> list[dict[str, str]]:
        """The project's rows as its CSV export writes them."""
        status, _, body = self.request(
            "/command/core/export-rows",
            {"project": project, "format": "csv", "engine": ALL_ROWS},
        )
        if status != 200:
            raise RefineError(f"export answered {status}: {body}\n{self.log_tail()}")
        return list(csv.DictReader(io.StringIO(body)))

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """A new project's address is in the redirect itself."""

    def redirect_request(self, *args, **kwargs):
        return None


def reconcile(column: str, service: str, entity_type: dict, properties: dict[str, str]) -> dict:
    """The operation OpenRefine's "Reconcile" dialogue applies with "Auto-match candidates
    with high confidence": `properties` sends other columns (by their name) as the service's
    properties (by their id)."""
    return {
        "op": "core/recon",
        "engineConfig": json.loads(ALL_ROWS),
        "columnName": column,
        "config": {
            "mode": "standard-service",
            "service": service,
            "identifierSpace": service,
            "schemaSpace": service,
            "type": entity_type,
            "autoMatch": True,
            "columnDetails": [
                {"column": name, "propertyName": property, "propertyID": property}
                for name, property in properties.items()
            ],
            "limit": 0,
        },
        "description": f"Reconcile cells in column {column} to type {entity_type['id']}",
    }


def extend(column: str, service: str, properties: dict[str, str], after: int) -> dict:
    """The operation of "Add columns from reconciled values": the service's properties (id:
    name) as new columns after the column at index `after`."""
    return {
        "op": "core/extend-reconciled-data",
        "engineConfig": json.loads(ALL_ROWS),
        "baseColumnName": column,
        "endpoint": service,
        "identifierSpace": service,
        "schemaSpace": service,
        "extension": {"properties": [{"id": id, "name": name} for id, name in properties.items()]},
        "columnInsertIndex": after + 1,
        "description": f"Extend data at index {after + 1} based on column {column}",
    }


def add_column(column: str, expression: str, new_column: str, after: int) -> dict:
    """The operation of "Add column based on this column" with a GREL expression."""
    return {
        "op": "core/column-addition",
        "engineConfig": json.loads(ALL_ROWS),
        "baseColumnName": column,
        "expression": f"grel:{expression}",
        "onError": "set-to-blank",
        "newColumnName": new_column,
        "columnInsertIndex": after + 1,
        "description": f"Create column {new_column} at index {after + 1} based on column {column}",
    }


@contextmanager
def openrefine(folder: Path) -> Iterator[Refine]:
    """OpenRefine on a free loopback port, its workspace and log in `folder`."""
    if not OPENREFINE.exists():
        pytest.fail("OpenRefine not installed: apt-get install openrefine")
    port = free_port()
    log = folder / "openrefine.log"
    env = {
        **os.environ,
        # Its Jython cache goes under HOME: the throw-away folder, not the user's.
        "HOME": str(folder),
        # No browser; a quick start matters more than peak speed for a few dozen rows.
        "JAVA_OPTIONS": "-Drefine.headless=true -XX:+UseSerialGC -XX:TieredStopAtLevel=1",
        "no_proxy": "127.0.0.1,localhost",
    }
    workspace = folder / "workspace"
    workspace.mkdir()
    with log.open("w") as output:
        process = subprocess.Popen(
            [str(OPENREFINE), "-i", "127.0.0.1", "-p", str(port), "-d", str(workspace)]
            + ["-m", "512M", "-v", "warn"],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            # Its own process group: the shell scripts and the JVM they start stop together.
            start_new_session=True,
        )
    refine = Refine(f"http://127.0.0.1:{port}", log)
    try:
        wait_until_started(refine, process)
        yield refine
    finally:
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        stop(process, within=10)


def wait_until_started(refine: Refine, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"OpenRefine exited ({process.returncode}):\n{refine.log_tail()}")
        try:
            status, _, _ = refine.request("/command/core/get-version")
            if status == 200:
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    pytest.fail(f"OpenRefine did not start within {START_TIMEOUT}s:\n{refine.log_tail()}")
