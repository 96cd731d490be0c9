"""Building the open data's two zips, and when.

`build` writes `directory.zip` (the Frictionless package, `package`) and `directory-hsds.zip`
(the HSDS 3.0 tables, `hsds_tables`) into `OPEN_DATA_DIR`, each to a temporary file renamed
over the previous one once complete, so that a download never reads half a zip; then
`open-data.json` beside them, the same way: when it was built, its version (a hash of the
tables' contents, the same for two builds of the same data), the latest change of a record,
and each table's rows. The page reads that file, never the database's tables.

The background worker builds (`build_open_data`), never a request: a while after a change to
the directory is committed (`caching.directory_changed`, sent by every write that retires the
cached figures; `OPEN_DATA_BUILD_DELAY_SECONDS`, so that a burst of edits makes one build), or
when the page finds nothing built yet. One build waiting is enough: it will read every change
committed before it starts. `manage.py build_open_data` builds at once.
"""

import csv
import hashlib
import io
import json
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone, translation
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from orgs import caching
from orgs.models import Advocate, Network, Organisation, Source
from orgs.selectors.public_records import PUBLIC
from orgs.services.open_data import hsds_tables, package
from orgs.services.open_data.tables import Table, moment

PACKAGE = "directory.zip"
HSDS = "directory-hsds.zip"
STATUS = "open-data.json"
NAME = "migrant-led-europe-directory"
TITLE = "Directory of migrant-led and refugee-led organisations in Europe"
# The directory's own data (its readings of the reports, its classifications, its editors'
# changes) is under CC BY 4.0 (README, "Open data"); what a report says stays under the
# report's terms, and every row cites its report.
LICENCE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0 International",
}


@dataclass
class Built:
    """What `open-data.json` says of the last build."""

    built_at: datetime
    version: str
    last_change: datetime | None
    tables: dict[str, int]
    hsds_tables: dict[str, int]
    sizes: dict[str, int]


def folder() -> Path:
    return Path(settings.OPEN_DATA_DIR)


def last_build() -> Built | None:
    """The last build, or None before the first (or when its note cannot be read)."""
    try:
        note = json.loads((folder() / STATUS).read_text("utf-8"))
        return Built(
            built_at=datetime.fromisoformat(note["built_at"]),
            version=note["version"],
            last_change=note["last_change"] and datetime.fromisoformat(note["last_change"]),
            tables=note["tables"],
            hsds_tables=note["hsds_tables"],
            sizes=note["sizes"],
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def withdraw() -> None:
    """Takes the built files down until the next build: after an erasure, nobody may download
    the person from a package built before it (the page says it is being built again)."""
    for name in (STATUS, PACKAGE, HSDS):
        (folder() / name).unlink(missing_ok=True)


@contextmanager
def replaced(target: Path) -> Iterator:
    """A file opened for writing that takes `target`'s place once written, whole."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile(dir=target.parent, prefix=f".{target.name}.", delete=False)
    try:
        with handle:
            yield handle
        os.chmod(handle.name, 0o644)
        os.replace(handle.name, target)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


class Hashed:
    """A text file that also feeds what is written to it into a hash."""

    def __init__(self, file, digest):
        self.file, self.digest = file, digest

    def write(self, text: str):
        self.digest.update(text.encode("utf-8"))
        return self.file.write(text)


def write_tables(archive: zipfile.ZipFile, tables: list[Table], digest) -> dict[str, int]:
    """Each table as a CSV file in the archive; returns the rows of each."""
    counts = {}
    for table in tables:
        digest.update(f"\n{table.file}\n".encode())
        with archive.open(table.file, "w") as raw, io.TextIOWrapper(
            raw, encoding="utf-8", newline=""
        ) as text:  # fmt: skip
            writer = csv.writer(Hashed(text, digest), lineterminator="\n")
            lines = table.lines()
            writer.writerow(next(lines))
            rows = 0
            for line in lines:
                writer.writerow(line)
                rows += 1
        counts[table.name] = rows
    return counts


def write_package(
    target: Path, tables: list[Table], describe: Callable[[list[dict]], dict], digest=None
) -> dict[str, int]:
    """A zip of the tables and their `datapackage.json`, written whole or not at all."""
    digest = digest or hashlib.sha256()
    with replaced(target) as file, zipfile.ZipFile(file, "w", zipfile.ZIP_DEFLATED) as archive:
        counts = write_tables(archive, tables, digest)
        resources = [table.resource(counts[table.name]) for table in tables]
        descriptor = json.dumps(describe(resources), indent=2, ensure_ascii=False)
        archive.writestr("datapackage.json", descriptor + "\n")
    return counts


def sources() -> list[dict]:
    """The reports, as the package's `sources`, each with its terms."""
    found = []
    for source in Source.objects.order_by("year", "key"):
        found.append(
            {
                "title": source.title,
                "path": source.url or f"{settings.SITE_URL}/sources/{source.key}/",
                "key": source.key,
                "publisher": source.publisher,
                "year": source.year,
                "licence": source.licence or "The report's own terms; cited, not copied.",
            }
        )
    return found


def last_change() -> datetime | None:
    """When a public record last changed (a hidden record's edits are nobody's business)."""
    changes = [
        PUBLIC[model]().aggregate(last=Max("updated_at"))["last"]
        for model in (Organisation, Advocate, Network)
    ]
    return max((change for change in changes if change), default=None)


@contextmanager
def one_state() -> Iterator[None]:
    """Every table of a build read from one state of the database: an edit committed while it
    builds (a network hidden between its table and its memberships') is in none of them, so
    that the foreign keys hold. A transaction of its own, on the primary (directory/routers.py);
    on PostgreSQL at REPEATABLE READ, whose every statement sees the same snapshot. Inside a
    transaction already (a test), that one's."""
    if connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


def build() -> Built:
    """Writes both zips, then the note of the build (see the module's docstring)."""
    # Names of countries, addresses of pages: in the directory's own language, whoever builds.
    with translation.override(settings.LANGUAGE_CODE), one_state():
        built_at = timezone.now().replace(microsecond=0)
        changed_at = last_change()
        digest = hashlib.sha256()
        place = folder()
        about = {
            "created": moment(built_at),
            "homepage": f"{settings.SITE_URL}/data/",
            "licenses": [LICENCE],
            "sources": sources(),
            "last_change": moment(changed_at),
        }
        version = {}

        def described(resources: list[dict]) -> dict:
            version["hash"] = digest.hexdigest()[:16]
            return {
                "profile": "tabular-data-package",
                "name": NAME,
                "title": TITLE,
                "description": (
                    "Organisations, advocates and networks of the directory, with the reports "
                    "they come from, as published on its pages and API: one table per kind of "
                    "row, linked by keys. Personal contact details are not included."
                ),
                "version": version["hash"],
                **about,
                "resources": resources,
            }

        tables = write_package(place / PACKAGE, package.tables(), described, digest)

        def described_in_hsds(resources: list[dict]) -> dict:
            return {
                "profile": "tabular-data-package",
                "name": f"{NAME}-hsds",
                "title": f"{TITLE} (Open Referral HSDS 3.0)",
                "description": (
                    "The directory's published organisations in the tabular layout of the "
                    "Human Services Data Specification 3.0."
                ),
                "version": version["hash"],
                **about,
                "resources": resources,
            }

        hsds = write_package(place / HSDS, hsds_tables.tables(), described_in_hsds)
        built = Built(
            built_at=built_at,
            version=version["hash"],
            last_change=changed_at,
            tables=tables,
            hsds_tables=hsds,
            sizes={name: (place / name).stat().st_size for name in (PACKAGE, HSDS)},
        )
        with replaced(place / STATUS) as file:
            file.write(json.dumps(note_of(built), indent=2).encode("utf-8"))
    return built


def note_of(built: Built) -> dict:
    return {
        "built_at": built.built_at.isoformat(),
        "version": built.version,
        "last_change": built.last_change and built.last_change.isoformat(),
        "tables": built.tables,
        "hsds_tables": built.hsds_tables,
        "sizes": built.sizes,
    }


@task()
def build_open_data() -> str:
    """The worker's task: builds the open data."""
    return f"built version {build().version}"


def build_waiting() -> bool:
    return DBTaskResult.objects.filter(
        task_path=build_open_data.module_path, status=TaskResultStatus.READY
    ).exists()


def request_build(delay: int | None = None) -> None:
    """Queues a build in `delay` seconds (`OPEN_DATA_BUILD_DELAY_SECONDS` by default), unless
    one is waiting already: it will see this change too."""
    if build_waiting():
        return
    if delay is None:
        delay = settings.OPEN_DATA_BUILD_DELAY_SECONDS
    build_open_data.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue()


def directory_changed(sender, **kwargs) -> None:
    request_build()


def connect() -> None:
    caching.directory_changed.connect(directory_changed, dispatch_uid="open-data-build")
