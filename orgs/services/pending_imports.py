"""Files an editor uploaded to import, kept between the preview and the confirmation.

The upload waits in the database (`PendingImport`), not in one server's temporary folder, so
that any server can confirm what another previewed; the confirmation re-reads this stored copy,
never one sent back by the browser. An editor has one pending upload at a time (a new one
replaces it), it is deleted once confirmed, and an upload never confirmed is dropped after a day.

A file of more than `IMPORT_IN_REQUEST_MAX_ROWS` rows is not saved within the request (a
gunicorn worker has 30 seconds): `queue_upload` hands it to the background worker
(`import_in_background`, a django-tasks task run by `manage.py db_worker`), which notes on the
`PendingImport` how many rows it has read, then what it saved, or why nothing was saved, for
the editor's progress page.
"""

import logging
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from orgs.models import PendingImport, Source
from orgs.services.records_import.commit import (
    ImportRejected,
    ImportResult,
    commit_import,
    plan_import,
    save_import,
)

logger = logging.getLogger(__name__)

PENDING_FOR = timedelta(days=1)
# How often the background import notes its progress, in rows read.
PROGRESS_EVERY = 250
Status = PendingImport.Status


def keep_upload(
    by,
    *,
    name: str,
    format: str,
    data: bytes,
    source: Source | None = None,
    new_source: dict | None = None,
    first_line: int = 1,
    replacing: int | None = None,
) -> PendingImport:
    """Stores an upload for its confirmation, deleting the editor's previous one (`replacing`)
    and every pending upload older than a day."""
    discard_stale_uploads()
    if replacing:
        PendingImport.objects.filter(pk=replacing, uploaded_by=by).delete()
    return PendingImport.objects.create(
        uploaded_by=by,
        name=name,
        format=format,
        source=source,
        new_source=new_source or {},
        first_line=first_line,
        data=data,
    )


def previewed(pending: PendingImport, rows: int) -> None:
    """Notes how many rows the preview read: it decides where the import will run."""
    pending.rows_total = rows
    PendingImport.objects.filter(pk=pending.pk).update(rows_total=rows)


def pending_upload(pk: int, by) -> PendingImport | None:
    """The upload `by` previewed, if it is still pending (another editor's never is)."""
    return (
        PendingImport.objects.filter(
            pk=pk,
            uploaded_by=by,
            status=Status.PREVIEWED,
            created_at__gte=timezone.now() - PENDING_FOR,
        )
        .select_related("source")
        .first()
    )


def discard_stale_uploads() -> int:
    """Deletes uploads previewed more than a day ago and never confirmed, and the outcomes of
    background imports that finished more than a day ago."""
    cutoff = timezone.now() - PENDING_FOR
    deleted, _ = PendingImport.objects.filter(
        Q(status=Status.PREVIEWED, created_at__lt=cutoff) | Q(finished_at__lt=cutoff)
    ).delete()
    return deleted


def runs_in_background(pending: PendingImport) -> bool:
    return pending.rows_total > settings.IMPORT_IN_REQUEST_MAX_ROWS


def import_run(pk: int, by) -> PendingImport | None:
    """A background import `by` confirmed, queued, running or finished."""
    return (
        PendingImport.objects.filter(pk=pk, uploaded_by=by).exclude(status=Status.PREVIEWED).first()
    )


def confirm_upload(pending: PendingImport, by) -> ImportResult:
    """Imports the pending file (all rows or none) and deletes it once imported.

    Raises `ImportRejected` when a row is rejected, and `ValidationError` when the new source it
    names can no longer be created; the upload is then kept, to show again.
    """
    with transaction.atomic():
        result = commit_import(
            bytes(pending.data),
            pending.format,
            pending.cited_source(),
            pending.first_line,
            pending.name,
            by=by,
        )
        log_run(result, by)
        pending.delete()
    return result


def log_run(result: ImportResult, by) -> None:
    """The run as a whole, in the source's admin history."""
    if by is not None and by.pk:
        LogEntry.objects.log_actions(
            by.pk, [result.source], CHANGE, " ".join(result.lines()), single_object=True
        )


def queue_upload(pending: PendingImport) -> PendingImport:
    """Hands the confirmed upload to the background worker; the task is queued with it, in
    the same transaction, so that neither is ever without the other."""
    with transaction.atomic():
        pending.status = Status.QUEUED
        pending.confirmed_at = timezone.now()
        pending.save(update_fields=["status", "confirmed_at"])
        import_in_background.enqueue(pending.pk)
    return pending


@task()
def import_in_background(pending_id: int) -> str:
    """The background worker's import of a confirmed upload (see `run_upload`)."""
    return run_upload(pending_id)


def run_upload(pending_id: int) -> str:
    """Imports a queued upload, all rows or none, noting its progress and its outcome."""
    pending = (
        PendingImport.objects.filter(pk=pending_id, status=Status.QUEUED)
        .select_related("source", "uploaded_by")
        .first()
    )
    if pending is None:
        return "nothing to import"  # already run, or discarded
    note(pending, status=Status.READING)
    try:
        preview = plan_import(
            bytes(pending.data), pending.format, pending.first_line, counted(pending)
        )
        note(pending, status=Status.SAVING, rows_done=preview.rows)
        with transaction.atomic():
            result = save_import(
                preview,
                bytes(pending.data),
                pending.cited_source(),
                pending.name,
                by=pending.uploaded_by,
            )
            log_run(result, pending.uploaded_by)
            counts = result.preview.counts
            finish(
                pending,
                Status.DONE,
                f"Imported {pending.name}: {preview.rows} rows, {counts['create']} records "
                f"created, {counts['merge']} merged.",
            )
    except ImportRejected as rejected:
        entries = [
            {"where": entry.where, "record": entry.record, "reason": entry.reason}
            for entry in rejected.preview.rejected
        ]
        finish(pending, Status.REJECTED, rejected.preview.summary(), entries)
    except ValidationError as invalid:  # the new source's key was taken meanwhile
        finish(pending, Status.FAILED, " ".join(invalid.messages))
    except Exception as error:
        logger.exception("The import of %s failed", pending.name)
        finish(pending, Status.FAILED, f"The import stopped on an error ({type(error).__name__}).")
        raise
    return Status(pending.status).label


def counted(pending: PendingImport):
    """A `progress` for the preview that notes how many rows have been read."""

    def progress(rows: Iterable) -> Iterable:
        rows = list(rows)
        note(pending, rows_total=len(rows), rows_done=0)
        for number, row in enumerate(rows, start=1):
            yield row
            if number % PROGRESS_EVERY == 0:
                note(pending, rows_done=number)

    return progress


def note(pending: PendingImport, **fields) -> None:
    for name, value in fields.items():
        setattr(pending, name, value)
    PendingImport.objects.filter(pk=pending.pk).update(**fields)


def finish(pending: PendingImport, status: str, outcome: str, rejections=None) -> None:
    """Notes the outcome; the file itself is no longer needed."""
    note(
        pending,
        status=status,
        outcome=outcome,
        rejections=rejections or [],
        finished_at=timezone.now(),
        data=b"",
    )
