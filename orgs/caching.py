"""Expensive figures (counts, facets, overviews) cached until the directory changes.

The records change far less often than they are read. Each figure is cached under a key that
holds the directory's *version*, a token that any change to a record, or to anything shown
with one, replaces (`changed`): the next request computes its figures afresh and the old ones
expire unread. Signals catch every save, delete and many-to-many change of the `orgs` and
`surveys` models (`connect`); bulk writes that send no signals (`bulk_create`, `update`, raw
deletes: imports, merges, erasures, synthetic records) call `changed` themselves.

`changed` replaces the version at once and again when the transaction commits, so that figures
a request computed in between, from the state before the commit, are retired with it. With
read replicas the version carries the primary's WAL position at the commit: a request that
reads it computes its figures on a replica only once that replica has replayed the change, and
on the primary until then (directory/routers.py), so that no server caches figures from before
the change under the version after it.

The cache is shared by every process that serves or edits the directory: files in `CACHE_DIR`
for one machine by default, Redis (`CACHE_URL`) for several; only the tests keep it in one
process's memory (see settings). `remembered` keeps figures in a process's memory too, but
only under the version it reads from the shared cache at each request. A release that changes
what a figure holds gives it a new name: the previous release's figures stay in a shared cache
under the current version until the next change.
"""

import hashlib
import secrets
from collections.abc import Callable
from contextvars import ContextVar

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_started
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from directory.routers import primary_position, require_position

VERSION_KEY = "figures:version"
_known_version: ContextVar[str | None] = ContextVar("figures_version", default=None)
APPS = ("orgs", "surveys")
# Rows no public figure reads: editors' bookkeeping and what visitors send before review.
NOT_SHOWN = {
    "importstamp",
    "pendingimport",
    "suggestion",
    "erasure",
    # The loop with the listed: what it shows (a confirmed date, who accepts messages) is saved
    # on the records and their private addresses, which retire the figures themselves.
    "outgoingmail",
    "invitation",
    "listedanswer",
    "fieldopentothelisted",
}


def version() -> str:
    """The current version token, made on first use; read from the cache once per request
    (`forget_version` runs as each request starts), since every figure's key names it."""
    current = _known_version.get()
    if current is None:
        current = cache.get(VERSION_KEY)
        if current is None:
            cache.add(VERSION_KEY, secrets.token_hex(8), timeout=None)
            current = cache.get(VERSION_KEY)
        _known_version.set(current)
        require_position(current.partition("@")[2])
    return current


def forget_version(**kwargs) -> None:
    """Reads the version afresh next time: another server may have replaced it."""
    _known_version.set(None)


def _replace_version(position: str | None = None) -> None:
    new = secrets.token_hex(8)
    if position:
        new = f"{new}@{position}"
    cache.set(VERSION_KEY, new, timeout=None)
    _known_version.set(new)


def _replace_version_committed() -> None:
    """Once the change is committed: the version names where the primary's WAL stands."""
    _replace_version(primary_position())


def changed() -> None:
    """Retires every cached figure: now, and again when the current transaction commits."""
    if not connection.in_atomic_block:
        _replace_version_committed()
        return
    _replace_version()
    if not any(entry[1] is _replace_version_committed for entry in connection.run_on_commit):
        transaction.on_commit(_replace_version_committed)


def key_of(name: str, parts) -> str:
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return f"figures:{version()}:{name}:{digest}"


def cached(name: str, parts, compute: Callable):
    """`compute()`, or what it gave before for these `parts` in this version of the directory."""
    key = key_of(name, parts)
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, settings.FIGURES_CACHE_SECONDS)
    return value


# Figures also kept in this process's memory, for the current version only (see `remembered`).
_remembered: dict = {"version": None, "values": {}}


def remembered(name: str, parts: tuple, compute: Callable):
    """`cached`, and kept in this process's memory until the version changes: for large
    figures that every request reads (thousands of choices of a filter), which would
    otherwise be fetched and unpickled each time. `parts` must be hashable."""
    current = version()
    if _remembered["version"] != current:
        _remembered["version"], _remembered["values"] = current, {}
    values = _remembered["values"]
    if (name, parts) not in values:
        values[(name, parts)] = cached(name, parts, compute)
    return values[(name, parts)]


def query_parts(queryset) -> tuple:
    """What identifies a queryset's rows: its SQL and parameters, without the ordering."""
    sql, params = queryset.order_by().query.sql_with_params()
    return (queryset.db, sql, params)


def on_change(sender, **kwargs):
    changed()


def shown(model) -> bool:
    return model._meta.model_name not in NOT_SHOWN and not model.__name__.startswith("Historical")


def connect():
    """Any saved, deleted or relinked row of a shown model retires the cached figures; each
    request reads the version afresh."""
    request_started.connect(forget_version, dispatch_uid="figures-forget-version")
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            if not shown(model):
                continue
            uid = f"figures-{model._meta.label_lower}"
            post_save.connect(on_change, sender=model, dispatch_uid=uid)
            post_delete.connect(on_change, sender=model, dispatch_uid=uid)
            for field in model._meta.local_many_to_many:
                through = field.remote_field.through
                m2m_changed.connect(
                    on_change, sender=through, dispatch_uid=f"figures-{through._meta.label_lower}"
                )
