"""Expensive figures (counts, facets, overviews, list pages) cached until what they show changes.

The records change far less often than they are read. Each figure is cached under a key that
holds the tokens of the *tags* it depends on, and an edit replaces only the tokens of the tags
it touches (`retire`): `figure_tags` says which tags each figure depends on (a list's counts
and cards, an overview's counts, an organisation's like-minded partners) and which an edit of a
record retires, so that an edit in Greece leaves Germany's figures warm.

Signals catch every save, delete and many-to-many change of the `orgs` and `surveys` models
(`connect`): of the lists' records, `figure_tags` follows them; a row pointing at a record (an
alias, a membership, a survey's response) retires its kinds' figures whole (`epoch`); any
other row (a term, a survey) everything. Bulk writes that send no signals (`bulk_create`,
`update`, raw deletes: imports, merges, erasures, synthetic records) call `changed`, which
retires everything. Both replace the tokens at once and again when the transaction commits, so
that figures a request computed in between, from the state before the commit, are retired too.

One computation per figure at a time (`cached`): the first process to miss a figure computes
it under a short lock; the others wait for it, and compute it themselves if the lock's holder
fails or takes too long. A lock expires by itself, and is released by its holder alone, also
when the computation raises. A figure is never served from before a change: many figures are
built from others (a page's facets from its counts, an API page from its count), and one built
from a stale value would be kept under the new tokens. The lock excludes others only on a
cache whose `add` is atomic (Redis, memory); with the files cache two processes may both
compute a figure, which costs time, never correctness.

With read replicas, the tokens a commit writes carry the primary's WAL position at the commit:
a request that reads such a token computes its figures on a replica only once that replica has
replayed the change, and on the primary until then (directory/routers.py), so that no server
caches figures from before the change under the tokens after it.

The cache is shared by every process that serves or edits the directory: files in `CACHE_DIR`
for one machine by default, Redis (`CACHE_URL`) for several; only the tests keep it in one
process's memory (see settings). A tag's token is read from the shared cache once per request
(`forget_tokens` runs as each request starts). `remembered` keeps figures in a process's
memory too, but only under the tokens it reads at each request. A release that changes what a
figure holds gives it a new name: the previous release's figures stay in a shared cache under
the current tokens until the next change.
"""

import hashlib
import logging
import secrets
import time
from collections.abc import Callable, Iterable
from contextvars import ContextVar

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_started
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import Signal

from directory.routers import primary_position, require_position

logger = logging.getLogger(__name__)

# Sent once a committed change retired figures of the records (after the commit, or at once
# outside a transaction): what is built from the whole directory (the open data) listens for it.
directory_changed = Signal()

TAG_KEY = "figures:tag:"
_known_tags: ContextVar[dict | None] = ContextVar("figures_tags", default=None)
APPS = ("orgs", "surveys")
# The kinds of records the filtered lists show (model names); see `figure_tags`.
KINDS = ("organisation", "advocate", "network")
# What the term tables' figures (the filters' choices) depend on: any change of a term table
# retires everything (`changed`), and so this tag.
TERMS = "terms"
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
# One computation of a figure at a time: the first process to miss it computes it under a lock
# that expires after LOCK_SECONDS (should it die); the others wait for it up to WAIT_SECONDS,
# then compute it themselves.
LOCK_SECONDS = 10
WAIT_SECONDS = 5.0
POLL_SECONDS = (0.005, 0.1)  # the first wait between two looks, and the longest


def new_token(position: str | None = None) -> str:
    """A token never used before; with read replicas, naming where the primary's WAL stands
    (now, unless `position` says), so that figures named by a token made after a change (or
    after the cache lost it) are computed only where that change is visible."""
    position = position or primary_position()
    return secrets.token_hex(8) + (f"@{position}" if position else "")


def forget_tokens(**kwargs) -> None:
    """Reads the tags' tokens afresh next time: another server may have replaced them."""
    _known_tags.set(None)


def tag_versions(tags: Iterable[str]) -> list[str]:
    """Each tag's current token, those not read in this request yet in one `get_many`; a tag
    without one (never bumped, or evicted) gets a new one, never an old one again."""
    tags = list(tags)
    known = _known_tags.get()
    if known is None:
        known = {}
        _known_tags.set(known)
    missing = [tag for tag in dict.fromkeys(tags) if tag not in known]
    if missing:
        found = cache.get_many([TAG_KEY + tag for tag in missing])
        for tag in missing:
            token = found.get(TAG_KEY + tag)
            if token is None:  # made once, whoever asks first: every process names it alike
                cache.add(TAG_KEY + tag, new_token(), timeout=None)
                token = cache.get(TAG_KEY + tag) or new_token()
            known[tag] = token
            require_position(token.partition("@")[2])
    return [known[tag] for tag in tags]


def token(depends: Iterable[str]) -> str:
    """What names the figures that depend on `depends` (tags) in their current state: the
    tags' tokens."""
    depends = sorted(set(depends))
    pairs = zip(depends, tag_versions(depends), strict=True)
    joined = "|".join(f"{tag}={value}" for tag, value in pairs)
    return hashlib.sha256(joined.encode()).hexdigest()[:24]


class Retiring:
    """What the current transaction retired, retired again when it commits: figures computed
    in between, from the state before the commit, are retired with it."""

    def __init__(self, tags: Iterable[str] = ()):
        self.tags = set(tags)

    def __call__(self):
        """Once committed: the new tokens name where the primary's WAL stands."""
        _replace_tags(self.tags, primary_position())
        if any(not tag.endswith(":search") for tag in self.tags):  # not a search text alone
            # The change is saved whatever a listener does: its failure is logged, not raised.
            for receiver, outcome in directory_changed.send_robust(sender=Retiring):
                if isinstance(outcome, Exception):
                    logger.error("After a change, %s failed: %r", receiver.__qualname__, outcome)


def _replace_tags(tags: Iterable[str], position: str | None = None) -> None:
    suffix = f"@{position}" if position else ""
    new = {tag: secrets.token_hex(8) + suffix for tag in tags}
    if not new:
        return
    cache.set_many({TAG_KEY + tag: value for tag, value in new.items()}, timeout=None)
    known = _known_tags.get()
    if known is not None:
        known.update(new)


def _retire_on_commit() -> Retiring | None:
    if not connection.in_atomic_block:
        return None
    for entry in connection.run_on_commit:
        if isinstance(entry[1], Retiring):
            return entry[1]
    retiring = Retiring()
    transaction.on_commit(retiring)
    return retiring


def retire(tags: Iterable[str]) -> None:
    """Retires the figures that depend on any of `tags`: now, and again when the current
    transaction commits."""
    tags = set(tags)
    later = _retire_on_commit()
    if later is None:  # not in a transaction: the change is committed already
        Retiring(tags)()
        return
    _replace_tags(tags)
    later.tags |= tags


def changed() -> None:
    """Retires every cached figure: now, and again when the current transaction commits."""
    retire([TERMS, *(epoch(kind) for kind in KINDS)])


def epoch(kind: str) -> str:
    """The tag every figure of a kind's list depends on: bumped by `changed` and by a change
    that `figure_tags` does not follow value by value (an alias, a citation, a membership)."""
    return f"{kind}:epoch"


def names(kind: str) -> str:
    """The tag of a kind's names and addresses as other kinds' lists show them: bumped when a
    record's name, slug or publication changes, or it is made or deleted."""
    return f"{kind}:names"


def terms_depend(model) -> tuple[str, ...]:
    """What the choices of a filter of `model`'s rows depend on: the term tables (any change
    of which retires everything), and a network's names for the filter by network."""
    kind = model._meta.model_name
    return (TERMS, names(kind)) if kind in KINDS else (TERMS,)


def key_of(name: str, parts, depends: Iterable[str]) -> str:
    return f"figures:{token(depends)}:{name}:{digest_of(parts)}"


def digest_of(parts) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def cached(name: str, parts, compute: Callable, depends: Iterable[str]):
    """`compute()`, or what it gave before for these `parts` while none of the tags it
    `depends` on has changed. On a miss one process computes it, and the others wait for it."""
    key = key_of(name, parts, depends)
    value = cache.get(key)
    if value is None:
        value = computed_once(key, compute)
    return value


def computed_once(key: str, compute: Callable):
    lock, owner = f"{key}:computing", secrets.token_hex(8)
    if not cache.add(lock, owner, LOCK_SECONDS):
        value = waited_for(key, lock)
        if value is not None:
            return value
        if not cache.add(lock, owner, LOCK_SECONDS):
            owner = None  # another process holds it now: compute without it, release nothing
    try:
        value = compute()
        cache.set(key, value, settings.FIGURES_CACHE_SECONDS)
    finally:
        if owner is not None and cache.get(lock) == owner:
            cache.delete(lock)
    return value


def waited_for(key: str, lock: str):
    """The figure another process is computing, once it is stored; None when that process
    stopped without storing it (an error) or took longer than WAIT_SECONDS."""
    deadline = time.monotonic() + WAIT_SECONDS
    pause, longest = POLL_SECONDS
    while time.monotonic() < deadline:
        time.sleep(pause)
        pause = min(pause * 2, longest)
        value = cache.get(key)
        if value is not None:
            return value
        if cache.get(lock) is None:
            return cache.get(key)
    return None


# Figures also kept in this process's memory, each with the token it was read under.
_remembered: dict = {}


def remembered(name: str, parts: tuple, compute: Callable, depends: Iterable[str]):
    """`cached`, and kept in this process's memory while what it depends on is unchanged: for
    large figures that every request reads (thousands of choices of a filter), which would
    otherwise be fetched and unpickled each time. `parts` must be hashable."""
    current = token(depends)
    kept = _remembered.get((name, parts))
    if kept is None or kept[0] != current:
        kept = _remembered[(name, parts)] = (current, cached(name, parts, compute, depends))
    return kept[1]


def query_parts(queryset) -> tuple:
    """What identifies a queryset's rows: its SQL and parameters, without the ordering."""
    sql, params = queryset.order_by().query.sql_with_params()
    return (queryset.db, sql, params)


# Models whose changes `figure_tags` follows itself (the records of the lists and the rows
# that are part of them): `on_change` leaves them alone.
followed: set = set()


def on_change(sender, **kwargs):
    if sender in followed:
        return
    kinds = kinds_referenced(sender)
    if kinds:
        retire([epoch(kind) for kind in kinds])
    else:
        changed()


def kinds_referenced(model) -> set[str]:
    """The kinds of records a row of `model` points at (a survey's response, a private
    address): its change retires every figure of those kinds."""
    return {
        field.related_model._meta.model_name
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model._meta.model_name in KINDS
    }


def shown(model) -> bool:
    return model._meta.model_name not in NOT_SHOWN and not model.__name__.startswith("Historical")


def connect():
    """Any saved, deleted or relinked row of a shown model retires cached figures (those of
    records as `figure_tags` says); each request reads the tags' tokens afresh."""
    request_started.connect(forget_tokens, dispatch_uid="figures-forget-tokens")
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
