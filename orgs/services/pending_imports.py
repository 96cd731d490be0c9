"""Files an editor uploaded to import, kept between the preview and the confirmation.

The upload waits in the database (`PendingImport`), not in one server's temporary folder, so
that any server can confirm what another previewed; the confirmation re-reads this stored copy,
never one sent back by the browser. An editor has one pending upload at a time (a new one
replaces it), it is deleted once confirmed, and an upload never confirmed is dropped after a day.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from orgs.models import PendingImport, Source
from orgs.services.records_import.commit import ImportResult, commit_import

PENDING_FOR = timedelta(days=1)


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


def pending_upload(pk: int, by) -> PendingImport | None:
    """The upload `by` previewed, if it is still pending (another editor's never is)."""
    return (
        PendingImport.objects.filter(
            pk=pk, uploaded_by=by, created_at__gte=timezone.now() - PENDING_FOR
        )
        .select_related("source")
        .first()
    )


def discard_stale_uploads() -> int:
    """Deletes uploads previewed more than a day ago and never confirmed."""
    deleted, _ = PendingImport.objects.filter(created_at__lt=timezone.now() - PENDING_FOR).delete()
    return deleted


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
        pending.delete()
    return result
