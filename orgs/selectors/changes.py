"""What each record's last change was, read from its history: what the lists' feeds say.

One change may be several history entries (the admin saves the row, then writes one entry per
many-to-many field it changed): those written within SAME_CHANGE of the latest are one. What
changed is the fields, terms included, that differ between the latest entry and the entry
before them; a change that reaches back to the record's first entry is its creation (an import
writes a new record's first entry as a change of the row it has just saved, not as a creation).

Two queries whatever the number of records: their latest entries, then the terms the entries
that are compared held.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import CharField, F, Model, Value, Window
from django.db.models.functions import Cast, RowNumber
from simple_history.models import HistoricalRecords

SAME_CHANGE = timedelta(minutes=1)
ENTRIES_READ = 12  # the latest entries of each record: more than one change ever writes


@dataclass(frozen=True)
class LastChange:
    """A record's last change: its creation, or the fields it changed (none known: empty)."""

    new: bool = False
    fields: frozenset[str] = frozenset()


def last_changes(model: type[Model], pks: list[int]) -> dict[int, LastChange]:
    """The last change of each record of `model` in `pks`, by its pk (records without history
    have none)."""
    if not pks:
        return {}
    history = model.history.model
    tracked = [
        field.attname
        for field in history._meta.fields
        if not field.name.startswith("history_") and field.name != "id"
    ]
    entries = defaultdict(list)
    for entry in latest_entries(history, pks, tracked):
        entries[entry["id"]].append(entry)

    compared = {}  # pk: (the latest entry, the entry before its change)
    changes = {}
    for pk, rows in entries.items():
        rows.sort(key=lambda row: (row["history_date"], row["history_id"]), reverse=True)
        latest = rows[0]
        same = [row for row in rows if latest["history_date"] - row["history_date"] <= SAME_CHANGE]
        before = rows[len(same)] if len(same) < len(rows) else None
        if before is None:
            # (the record's first entry, unless more entries than were read are one change)
            new = len(rows) < ENTRIES_READ or same[-1]["history_type"] == "+"
            changes[pk] = LastChange(new=new)
        else:
            compared[pk] = (latest, before)

    terms = held_terms(history, [row["history_id"] for pair in compared.values() for row in pair])
    for pk, (latest, before) in compared.items():
        fields = {name for name in tracked if latest[name] != before[name]}
        fields |= {
            name
            for name in terms_fields(history)
            if terms[latest["history_id"], name] != terms[before["history_id"], name]
        }
        changes[pk] = LastChange(fields=frozenset(name.removesuffix("_id") for name in fields))
    return changes


def latest_entries(history: type[Model], pks: list[int], tracked: list[str]):
    """The ENTRIES_READ latest history entries of each record, in one query."""
    recency = Window(
        RowNumber(),
        partition_by=[F("id")],
        order_by=[F("history_date").desc(), F("history_id").desc()],
    )
    return (
        history.objects.filter(id__in=pks)
        .annotate(recency=recency)
        .filter(recency__lte=ENTRIES_READ)
        .values("id", "history_id", "history_date", "history_type", *tracked)
    )


def terms_fields(history: type[Model]) -> list[str]:
    """The many-to-many fields whose terms each history entry keeps."""
    return [field.name for field in history._history_m2m_fields]


def held_terms(history: type[Model], entry_ids: list[int]) -> defaultdict:
    """The terms each entry held, by (entry id, field name): one query for every field."""
    held = defaultdict(set)
    if not entry_ids:
        return held
    parts = []
    for field in history._history_m2m_fields:
        kept = HistoricalRecords.m2m_models[field]
        term = kept._meta.get_field(field.m2m_reverse_field_name()).attname
        parts.append(
            kept.objects.filter(history_id__in=entry_ids)
            .annotate(term=Cast(term, CharField()), field=Value(field.name, CharField()))
            .values_list("history_id", "field", "term")
            .order_by()
        )
    if not parts:
        return held
    for entry_id, field, term in parts[0].union(*parts[1:], all=True):
        held[entry_id, field].add(term)
    return held
