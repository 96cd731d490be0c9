"""Reads from PostgreSQL replicas, writes to the primary (`DATABASE_REPLICA_URLS`).

Reads go to the primary, not a replica:
- inside a transaction, so that a write and the reads that check it see the same rows;
- for the whole of a request that may write (POST, PUT, PATCH, DELETE) or that carries a
  session cookie (an editor, a listed person signed in): whoever saves sees their save on the
  next page, from any server, however far a replica lags (`PrimaryReadsMiddleware`);
- when the request's cached figures were retired by a change that a replica has not replayed
  yet (`require_position`, which orgs/caching.py calls with the primary's WAL position at the
  change): figures computed then are cached for every server, and must hold the change;
- when no replica answers: a replica whose connection fails is left alone for
  `DATABASE_REPLICA_RETRY_SECONDS`, and the request reads the primary.
"""

import random
import time
from contextvars import ContextVar

from django.conf import settings
from django.db import DatabaseError, connections, transaction

# This request reads the primary alone.
_primary_only: ContextVar[bool] = ContextVar("primary_only", default=False)
# The primary's WAL position that a replica must have replayed to serve this request.
_required_position: ContextVar[int] = ContextVar("required_position", default=0)
# In this process: replica alias -> when to try it again after a failure, and the WAL position
# it was last seen to have replayed (a replica never goes back).
_resting_until: dict[str, float] = {}
_replayed: dict[str, int] = {}

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def replicas() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith("replica_")]


def position_number(position: str) -> int:
    """PostgreSQL's `pg_lsn` ("16/B374D848") as a number, for comparing."""
    high, _, low = position.partition("/")
    return (int(high, 16) << 32) + int(low, 16)


def primary_position() -> str | None:
    """Where the primary's WAL stands now, when reads may go to PostgreSQL replicas."""
    if not replicas() or connections["default"].vendor != "postgresql":
        return None
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        return cursor.fetchone()[0]


def require_position(position: str | None) -> None:
    """The rest of this request reads only replicas that have replayed `position` (and any
    position required before it in the request)."""
    if position:
        _required_position.set(max(_required_position.get(), position_number(position)))


def _rest(alias: str) -> None:
    _resting_until[alias] = time.monotonic() + settings.DATABASE_REPLICA_RETRY_SECONDS
    try:
        connections[alias].close()
    except DatabaseError:
        pass


def _usable(alias: str) -> bool:
    """The replica answers (its kept connection checked once a request, as Django would before
    its first query), and has replayed what this request needs."""
    if _resting_until.get(alias, 0) > time.monotonic():
        return False
    connection = connections[alias]
    required = _required_position.get()
    try:
        connection.close_if_health_check_failed()
        connection.ensure_connection()
        if required > _replayed.get(alias, 0) and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_last_wal_replay_lsn()")
                replayed = cursor.fetchone()[0]
            _replayed[alias] = position_number(replayed) if replayed else 0
    except DatabaseError:
        _rest(alias)
        return False
    return connection.vendor != "postgresql" or required <= _replayed.get(alias, 0)


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        if _primary_only.get() or not transaction.get_autocommit("default"):
            return "default"
        choices = replicas()
        random.shuffle(choices)
        for alias in choices:
            if _usable(alias):
                return alias
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, first, second, **hints):
        return True  # replicas hold the primary's rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class PrimaryReadsMiddleware:
    """Requests that may write, and those of people signed in, read the primary alone; every
    request starts with no WAL position required."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        primary_only = request.method in UNSAFE_METHODS or (
            settings.SESSION_COOKIE_NAME in request.COOKIES
        )
        tokens = (_primary_only.set(primary_only), _required_position.set(0))
        try:
            return self.get_response(request)
        finally:
            _primary_only.reset(tokens[0])
            _required_position.reset(tokens[1])
