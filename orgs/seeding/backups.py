"""The whole directory as one versioned JSON file, and back (`backup_directory`,
`restore_directory`).

The file holds every row of every model of `orgs` and `surveys` (records, their places and
terms, vocabularies, sources, citations, aliases, former slugs, claims, affiliations,
memberships, personal addresses, import stamps, suggestions, erasures, the notices sent to the
listed with their answers and the outbox, surveys with their responses and answers), with
their database ids, so that links between rows, the ids the erasure notes name and the history
(optional) all stay true. Accounts, API tokens, sessions and the admin log are not in it; a row
that names an account (who reviewed a suggestion, who erased, who made a history entry) names
it by username, and is restored with that account if the database has it, without it
otherwise.

What is derived from the rest is not in the file and is rebuilt on import: the search texts
(`search.refresh`) and the sort names.

The export reads inside one transaction (on PostgreSQL a repeatable-read snapshot), model by
model in chunks, and writes as it reads: the directory never has to fit in memory. The import
reads the file as a stream too (ijson), inserts rows in batches as they are (no signal runs, so
no history entry and no `updated_at` moves), and is one transaction: any error, and nothing is
saved.
"""

import graphlib
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, time
from typing import IO

import ijson
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Prefetch
from simple_history.models import HistoricalChanges

from orgs import search
from orgs.models import SEARCH_FIELDS, Advocate, Network, Organisation, SortNamed, sort_name_of

FORMAT = "migrant-directory-export"
VERSION = 1
APPS = ("orgs", "surveys")
DERIVED = {"sort_name", *SEARCH_FIELDS}  # rebuilt on import
RECORDS = (Organisation, Advocate, Network)  # whose search texts the import rebuilds
CHUNK = 2000


class ImportRefused(Exception):
    """The file cannot be restored here; nothing was saved."""


class DatabaseNotEmpty(ImportRefused):
    pass


def is_history(model: type[models.Model]) -> bool:
    return issubclass(model, HistoricalChanges)


# Working state, not the directory: an upload waiting for its editor's confirmation (a day at
# most), which names an account the file does not hold.
TRANSIENT = {"orgs.pendingimport"}


def exported_models(with_history: bool = True) -> list[type[models.Model]]:
    """The models of the file, each after the models it points to.

    Many-to-many tables Django makes itself (a record's countries) travel in their record's
    fields; affiliations and memberships are models of their own.
    """
    chosen = [
        model
        for label in APPS
        for model in apps.get_app_config(label).get_models()
        if with_history or not is_history(model)
        if model._meta.label_lower not in TRANSIENT
    ]
    graph = graphlib.TopologicalSorter()
    for model in sorted(chosen, key=lambda model: model._meta.label):
        graph.add(model)
        for field in model._meta.concrete_fields:
            target = field.related_model if field.is_relation else None
            if target in chosen and target is not model:
                graph.add(model, target)
    return list(graph.static_order())


def user_fields(model) -> list[str]:
    """Fields that point to an account (exported as its username)."""
    user = get_user_model()
    return [
        field.name
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model is user
    ]


def applied_migrations() -> dict[str, list[str]]:
    applied = MigrationRecorder(connection).applied_migrations()
    return {label: sorted(name for app, name in applied if app == label) for label in APPS}


# Export.


class ExactEncoder(DjangoJSONEncoder):
    """Times to the microsecond (Django's encoder keeps milliseconds, losing the rest)."""

    def default(self, o):
        if isinstance(o, datetime | time):
            return o.isoformat()
        return super().default(o)


def export(out: IO[str], with_history: bool = False) -> dict[str, int]:
    """Writes the directory to `out` as described in the module docstring; returns the counts."""
    models_ = exported_models(with_history)
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            # Every table read from one snapshot, while editors go on editing.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        counts = {model._meta.label_lower: model._base_manager.count() for model in models_}
        usernames = dict(get_user_model()._base_manager.values_list("pk", "username"))
        header = {
            "format": FORMAT,
            "version": VERSION,
            "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "with_history": with_history,
            "migrations": applied_migrations(),
            "not_included": "accounts, API tokens, sessions, the admin log, imports waiting "
            "for confirmation; search texts and sort names (rebuilt on import)",
            "counts": counts,
        }
        # The header, then the rows one per line, so that the file streams both ways.
        out.write(json.dumps(header, ensure_ascii=False, indent=1)[:-2] + ',\n "data": [')
        separator = "\n"
        for model in models_:
            for row in rows_of(model, usernames):
                out.write(separator + json.dumps(row, ensure_ascii=False, cls=ExactEncoder))
                separator = ",\n"
        out.write("\n ]\n}\n")
    return counts


def rows_of(model, usernames: dict) -> Iterator[dict]:
    """The model's rows as serialised dicts, by id, read in chunks."""
    many = [
        Prefetch(field.name, queryset=field.related_model._base_manager.only("pk"))
        for field in model._meta.many_to_many
        if field.remote_field.through._meta.auto_created
    ]
    rows = model._base_manager.order_by("pk").prefetch_related(*many).iterator(chunk_size=CHUNK)
    accounts = user_fields(model)
    for chunk in chunked(rows, CHUNK):
        for row in serializers.serialize("python", chunk):
            for name in DERIVED:
                row["fields"].pop(name, None)
            for name in accounts:
                pk = row["fields"][name]
                row["fields"][name] = None if pk is None else usernames.get(pk)
            yield row


def chunked(items: Iterable, size: int) -> Iterator[list]:
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# Import.


def existing_rows() -> dict[str, int]:
    """Rows the database already holds in the tables an import would fill."""
    found = {}
    for model in exported_models(with_history=True):
        if model._base_manager.exists():
            found[model._meta.label_lower] = model._base_manager.count()
    return found


def restore(file: IO[bytes]) -> tuple[Counter, int]:
    """Restores an export into an empty database, in one transaction.

    Returns the rows restored per model, and how many references to accounts found no account
    of that username here (they are left empty). Raises `ImportRefused` (nothing saved) for a
    file that is not a complete, compatible export, or a database that already holds records.
    """
    try:
        with transaction.atomic():
            found = existing_rows()
            if found:
                tables = ", ".join(sorted(found)[:3]) + (", ..." if len(found) > 3 else "")
                raise DatabaseNotEmpty(
                    f"The database is not empty: it holds {sum(found.values())} rows ({tables})."
                )
            events = ijson.parse(file, use_float=True)
            header = read_header(events)
            counts, unknown_accounts = insert_rows(ijson.items(rows_events(events), "item"))
            for label, expected in header["counts"].items():
                if counts.get(label, 0) != expected:
                    raise ImportRefused(
                        f"The file is incomplete: {counts.get(label, 0)} rows of {label}, "
                        f"its header says {expected}."
                    )
            connection.check_constraints()
            rebuild_derived()
            reset_sequences()
    except ijson.JSONError as error:
        reason = " ".join(str(error).split())
        raise ImportRefused(f"The file is not valid JSON: {reason}") from error
    except DatabaseError as error:
        raise ImportRefused(f"The file does not fit this database: {error}") from error
    return counts, unknown_accounts


def read_header(events) -> dict:
    """The file's fields before "data", checked against what this version can read."""
    builder = ijson.ObjectBuilder()
    for prefix, event, value in events:
        if prefix == "" and event == "map_key" and value == "data":
            break
        if prefix == "" and event not in ("start_map", "map_key"):
            raise ImportRefused("This is not a directory export: no data.")
        builder.event(event, value)
    else:
        raise ImportRefused("This is not a directory export: the file is empty.")
    header = builder.value
    if header.get("format") != FORMAT:
        raise ImportRefused(f"This is not a directory export (format {header.get('format')!r}).")
    if header.get("version") != VERSION:
        raise ImportRefused(
            f"This file is version {header.get('version')!r} of the export; "
            f"this directory reads version {VERSION}."
        )
    if not isinstance(header.get("counts"), dict):
        raise ImportRefused("The file's header has no counts.")
    applied = applied_migrations()
    for label, names in (header.get("migrations") or {}).items():
        newer = sorted(set(names) - set(applied.get(label, [])))
        if newer:
            raise ImportRefused(
                f"The file was made by a newer version of the directory ({label} {newer[-1]}): "
                "update this installation and run `migrate` first."
            )
    return header


def rows_events(events) -> Iterator:
    """The events of the "data" value as a document of its own, then a check that only the
    end of the file follows it."""
    depth = 0
    for prefix, event, value in events:
        if event in ("start_map", "start_array"):
            depth += 1
        elif event in ("end_map", "end_array"):
            depth -= 1
        yield prefix.removeprefix("data").removeprefix("."), event, value
        if depth == 0:
            break  # the value is complete
    for prefix, event, _value in events:
        if (prefix, event) != ("", "end_map"):
            raise ImportRefused(f"The file goes on after its data ({event} at {prefix!r}).")


def insert_rows(rows: Iterable) -> tuple[Counter, int]:
    """Inserts the rows in batches, as they are; returns how many of each model, and how many
    account references found no account."""
    allowed = {model._meta.label_lower: model for model in exported_models(with_history=True)}
    user_ids = dict(get_user_model()._base_manager.values_list("username", "pk"))
    counts, unknown_accounts = Counter(), 0
    batch: list = []
    for number, row in enumerate(rows, start=1):
        if not (
            isinstance(row, dict)
            and isinstance(row.get("fields"), dict)
            and row.get("pk") is not None
            and str(row.get("model")).lower() in allowed
        ):
            raise ImportRefused(f"Row {number} is not a row of a directory model with an id.")
        label = row["model"].lower()
        model = allowed[label]
        for name in user_fields(model):
            username = row["fields"].get(name)
            row["fields"][name] = user_ids.get(username)
            unknown_accounts += username is not None and username not in user_ids
        try:
            (restored,) = serializers.deserialize("python", [row])
        except Exception as error:  # any value the model cannot take, as `loaddata` does
            raise ImportRefused(f"Row {number} ({label} {row['pk']}): {error}") from error
        if batch and (type(batch[0].object) is not model or len(batch) == CHUNK):
            insert_batch(batch)
            batch = []
        batch.append(restored)
        counts[label] += 1
    if batch:
        insert_batch(batch)
    return counts, unknown_accounts


def insert_batch(batch: list) -> None:
    """Inserts one model's rows with their ids, and their many-to-many links."""
    model = type(batch[0].object)
    objects = [restored.object for restored in batch]
    if issubclass(model, SortNamed):
        for instance in objects:
            instance.sort_name = sort_name_of(instance.name)
    fields = model._meta.local_concrete_fields
    size = max(1, connection.ops.bulk_batch_size(fields, objects) or len(objects))
    for start in range(0, len(objects), size):
        # A raw insert, as `loaddata` does: values as they are (`updated_at` too), no signals.
        model._base_manager._insert(objects[start : start + size], fields=fields, raw=True)
    for name in batch[0].m2m_data:
        field = model._meta.get_field(name)
        through = field.remote_field.through
        own, other = field.m2m_field_name(), field.m2m_reverse_field_name()
        links = [
            through(**{f"{own}_id": restored.object.pk, f"{other}_id": pk})
            for restored in batch
            for pk in restored.m2m_data.get(name, [])
        ]
        through._base_manager.bulk_create(links, batch_size=CHUNK)


def rebuild_derived() -> None:
    for model in RECORDS:
        search.refresh_all(model)


def reset_sequences() -> None:
    """Ids continue after the restored ones (PostgreSQL sequences; SQLite needs nothing)."""
    models_ = [
        model
        for label in APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    ]
    statements = connection.ops.sequence_reset_sql(no_style(), models_)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
