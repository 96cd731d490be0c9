"""Writing many rows at once, with the history entries a row-by-row save would have written.

The import saves thousands of rows in one transaction: `bulk_create` and `bulk_update` by
batches of `BATCH`, so that the number of queries grows with the batches, never with the rows.
`bulk_create` sends no signal, so history is written here too: django-simple-history's
`bulk_history_create` for the rows, and for a record the snapshot of its places and terms that
its own history keeps (`record_history`), which that function leaves out. Every entry names
the editor and the reason.
"""

from collections.abc import Iterable, Iterator

from django.db import models
from simple_history.models import HistoricalRecords

BATCH = 500


def batches(items: Iterable, size: int = BATCH) -> Iterator[list]:
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def editor(by):
    """The user history names: only a saved one (a command may run without any)."""
    return by if by is not None and by.pk else None


def create_with_history(model, rows: list[models.Model], by, reason: str) -> list[models.Model]:
    """Inserts `rows` and one "+" history entry each, naming `by` and `reason`."""
    saved = []
    for batch in batches(rows):
        created = model.objects.bulk_create(batch)
        if hasattr(model._meta, "simple_history_manager_attribute"):
            model.history.bulk_history_create(
                created, default_user=editor(by), default_change_reason=reason
            )
        saved += created
    return saved


def add_links(model, field_name: str, links: set[tuple[int, object]]) -> None:
    """Adds (record pk, term pk) links of a many-to-many field; links already there stay."""
    field = model._meta.get_field(field_name)
    through = field.remote_field.through
    owner, term = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
    rows = [through(**{owner: record, term: value}) for record, value in sorted(links)]
    for batch in batches(rows):
        through.objects.bulk_create(batch, ignore_conflicts=True)


def record_history(model, records: list[models.Model], created: bool, by, reason: str) -> None:
    """One history entry per record ("+" when `created`, "~" otherwise) as it now is, with its
    places and terms, as `HistoricalRecords` writes for one save."""
    history_model = model.history.model
    for batch in batches(records):
        entries = model.history.bulk_history_create(
            batch, update=not created, default_user=editor(by), default_change_reason=reason
        )
        entry_of = {entry.id: entry for entry in entries}
        for field in history_model._history_m2m_fields:
            snapshot = HistoricalRecords.m2m_models[field]
            through = field.remote_field.through
            owner = field.m2m_field_name()
            term = field.m2m_reverse_field_name()
            links = through.objects.filter(**{f"{owner}__in": list(entry_of)}).values_list(
                "id", f"{owner}_id", f"{term}_id"
            )
            snapshot.objects.bulk_create(
                [
                    snapshot(
                        **{"id": pk, f"{owner}_id": record, f"{term}_id": value},
                        history=entry_of[record],
                    )
                    for pk, record, value in links
                ],
                batch_size=BATCH,
            )
