"""With DATABASE_REPLICA_URLS set, pages read from a replica and writes go to the primary.

The replica here is the primary's own file (as a replica holds the primary's rows), so the
test sees which connection each query took.
"""

import os
import subprocess
import sys
from pathlib import Path

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


def test_reads_go_to_the_replica_and_writes_to_the_primary(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'primary.sqlite3'}"
    env = {**os.environ, "DATABASE_URL": url, "DATABASE_REPLICA_URLS": url, "DEBUG": "1"}
    run = {"cwd": settings.BASE_DIR, "env": env, "capture_output": True, "text": True}
    migrated = subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], **run, timeout=300)
    assert migrated.returncode == 0, migrated.stderr
    checked = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", CHECK], **run, timeout=120
    )
    assert checked.returncode == 0, checked.stderr
    assert "routed" in checked.stdout
