"""With DATABASE_REPLICA_URLS set, pages read from a replica and writes go to the primary.

The replica here is the primary's own file (as a replica holds the primary's rows), so the
test sees which connection each query took. tests/project/test_replica_servers.py runs a real
PostgreSQL replica.
"""

import os
import subprocess
import sys

import pytest
from django.conf import settings

CHECK = """
from django.db import connections, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from orgs.models import Country, Organisation

with CaptureQueriesContext(connections["default"]) as primary, \\
        CaptureQueriesContext(connections["replica_1"]) as replica:
    Country.objects.create(code="GR", name="Greece")
    Organisation.objects.create(name="Replica Test", slug="replica-test")
    wrote = len(primary)
    assert Client().get("/organisations/").status_code == 200
    assert len(primary) == wrote, "a page read from the primary"
    assert len(replica) > 0, "no read reached the replica"
    with transaction.atomic():
        read_in_transaction = len(primary)
        Organisation.objects.get(slug="replica-test")
        assert len(primary) == read_in_transaction + 1, "a read in a transaction left the primary"
print("routed")
"""

# Someone signed in (any session cookie), or a request that may write, reads the primary alone.
CHECK_SIGNED_IN = """
from django.conf import settings
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

for method, cookie in [("get", "any-session"), ("post", None)]:
    client = Client()
    if cookie:
        client.cookies[settings.SESSION_COOKIE_NAME] = cookie
    with CaptureQueriesContext(connections["default"]) as primary, \\
            CaptureQueriesContext(connections["replica_1"]) as replica:
        answer = getattr(client, method)("/suggest/")
        assert answer.status_code in (200, 400), answer.status_code  # 400: an empty form
    assert len(replica) == 0 and len(primary) > 0, (method, len(primary), len(replica))
print("primary")
"""

# The replica's file cannot be opened: the page is read from the primary. The file is then
# made, and the replica is still left alone (for DATABASE_REPLICA_RETRY_SECONDS), not tried
# at each read.
CHECK_UNREACHABLE = """
import shutil
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

with CaptureQueriesContext(connections["default"]) as primary:
    assert Client().get("/organisations/").status_code == 200
assert len(primary) > 0
REPLICA.parent.mkdir()
shutil.copy(PRIMARY, REPLICA)
with CaptureQueriesContext(connections["default"]) as primary, \\
        CaptureQueriesContext(connections["replica_1"]) as replica:
    assert Client().get("/organisations/?country=GR").status_code == 200
assert len(primary) > 0 and len(replica) == 0, (len(primary), len(replica))
print("failed over")
"""


@pytest.fixture(scope="module")
def primary_file(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('replicas') / 'primary.sqlite3'}"
    migrated = subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"], **run_with(url, url), timeout=300
    )
    assert migrated.returncode == 0, migrated.stderr
    return url


def run_with(primary: str, replica: str) -> dict:
    env = {**os.environ, "DATABASE_URL": primary, "DATABASE_REPLICA_URLS": replica, "DEBUG": "1"}
    return {"cwd": settings.BASE_DIR, "env": env, "capture_output": True, "text": True}


def shell(script: str, primary: str, replica: str) -> str:
    checked = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        **run_with(primary, replica),
        timeout=120,
    )
    assert checked.returncode == 0, checked.stderr
    return checked.stdout


def test_reads_go_to_the_replica_and_writes_to_the_primary(primary_file):
    assert "routed" in shell(CHECK, primary_file, primary_file)


def test_signed_in_people_and_writes_read_the_primary(primary_file):
    assert "primary" in shell(CHECK_SIGNED_IN, primary_file, primary_file)


def test_a_replica_that_cannot_be_reached_sends_reads_to_the_primary(primary_file, tmp_path):
    replica = tmp_path / "not-yet" / "replica.sqlite3"
    paths = (
        f"from pathlib import Path\nPRIMARY = Path({primary_file.removeprefix('sqlite:///')!r})\n"
    )
    script = paths + f"REPLICA = Path({str(replica)!r})\n" + CHECK_UNREACHABLE
    assert "failed over" in shell(script, primary_file, f"sqlite:///{replica}")
