"""The commit of an import: the one write, every row of the file or none.

`commit_import` previews the file again (`plan_import`: the database may have changed since the
editor read the preview) and refuses it whole when any row is rejected (`ImportRejected`);
otherwise `save_import` saves it in one transaction through the `Writer`
(`records_import.writing`), in bulk: the new records, or what the rows add to existing ones,
each citing the Source the editor chose, and each history entry naming the editor and the file.
A failure anywhere saves nothing.

The preview reads and matches the rows outside the transaction, so that the progress it
reports (`progress` wraps the rows) can be seen by others while it runs (the background
import's page, `orgs.services.pending_imports`).
"""

import hashlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import transaction

from orgs import caching
from orgs.models import Source
from orgs.services import history
from orgs.services.records_import.preview import Preview, preview_import
from orgs.services.records_import.writing import Writer

logger = logging.getLogger(__name__)


class ImportRejected(Exception):
    def __init__(self, preview: Preview):
        super().__init__(preview.summary())
        self.preview = preview


@dataclass
class ImportResult:
    preview: Preview
    source: Source
    file_name: str = ""
    digest: str = ""

    def lines(self) -> list[str]:
        counts = self.preview.counts
        return [
            f"Imported {self.file_name or 'the file'} (sha256 {self.digest[:12]}) citing "
            f"{self.source.key}: {self.preview.rows} rows, {counts['create']} records created, "
            f"{counts['merge']} merged into existing or earlier rows' records.",
        ]


def plan_import(
    data: bytes, format: str, first_line: int = 1, progress: Callable[[Iterable], Iterable] = iter
) -> Preview:
    """The preview of the file, or `ImportRejected` when any row is rejected."""
    preview = preview_import(data, format, first_line, progress)
    if preview.rejected:
        raise ImportRejected(preview)
    return preview


def save_import(
    preview: Preview, data: bytes, source: Source, file_name: str = "", by=None
) -> ImportResult:
    """Saves a preview with no rejected row, all of it in one transaction.

    A new (unsaved) `source` is created with the rows. Every history entry names `by` and
    the file."""
    reason = f"Imported from {file_name or 'a file'}, citing {source.key}"
    with transaction.atomic(), history.recorded(by, reason):
        if source.pk is None:
            source.full_clean()
            source.save()
        writer = Writer(source, preview.annex, preview)
        for reading, (advocate, organisations) in zip(preview.readings, preview.plans, strict=True):
            writer.add_row(reading, advocate, organisations)
        writer.save(by, reason)
        caching.changed()
    result = ImportResult(preview, source, file_name, hashlib.sha256(data).hexdigest())
    for line in result.lines():
        logger.info(line)
    return result


def commit_import(
    data: bytes,
    format: str,
    source: Source,
    first_line: int = 1,
    file_name: str = "",
    progress: Callable[[Iterable], Iterable] = iter,
    by=None,
) -> ImportResult:
    """Saves every row of the file, or nothing (`ImportRejected`) when any row is rejected.

    A new (unsaved) `source` is created with the rows, and not when they are rejected. Every
    history entry it writes names `by` and the file."""
    preview = plan_import(data, format, first_line, progress)
    return save_import(preview, data, source, file_name, by)
