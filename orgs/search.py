"""The texts keyword search reads: what a visitor may type to find each organisation, advocate
and network, kept true as records change. The queries themselves are in
`orgs.selectors.search`.

Each record stores its texts folded to lower case without accents and split into words: its
names (name and aliases), its profile (cities and countries in the interface's languages and
their own, focus areas, target groups and levels in the interface's languages, leadership) and
its whole document (names, profile, description and the reports' own words).

On PostgreSQL a trigger keeps a weighted tsvector of the texts (built with `unaccent`, GIN
indexed; see migration 0012_search) in step with them, even for rows written by `bulk_create`
or raw SQL; it also adds the vector's new words to the words of that kind of record
(`orgs_search_word`, migration 0025_search_words), which a misspelt search word is compared
with. The trigger never takes a word out. A stale word lets a misspelling stand for a word
that finds nothing, and a typed word that begins a stale word counts as known, so it is not
treated as a misspelling: a record's typo corrected since ("athnes") is then searched as
typed and finds nothing. An erased person's names are taken out (`forget_words`).

Documents are refreshed whenever a record or anything in it changes (see `signals`); an import
defers the refresh to one pass over the records it touched (`deferred`).
"""

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.languages import get_official_languages
from django.conf import settings
from django.db import connection, models
from django.db.models import (
    QuerySet,
)
from django.utils import translation
from django_countries import countries

from orgs import caching
from orgs.choices import Leadership

BATCH = 500
FIELDS = ["search_names", "search_profile", "search_document"]

WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """Lower case without accents: "União" and "UNIAO" both become "uniao"."""
    if text.isascii():  # nothing to decompose: the common case, made quick for large imports
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text).casefold()
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words(text: str) -> list[str]:
    """The distinct folded words of `text`, in order; punctuation separates words.

    Modifier letters (the apostrophe-like "ʼ") are dropped: `unaccent` turns some into quotes.
    """
    found = (
        word
        if word.isascii()  # no modifier letter is ASCII
        else "".join(char for char in word if unicodedata.category(char) != "Lm")
        for word in WORD.findall(fold(text))
    )
    return list(dict.fromkeys(word for word in found if word))


def as_text(parts: Iterable[str]) -> str:
    """Stored form: distinct words between single spaces, with a space at each end, so that
    " word" finds a word that begins so."""
    found = words(" ".join(part for part in parts if part))
    return f" {' '.join(found)} " if found else ""


# What a record's document holds.


@lru_cache(maxsize=512)
def country_names_elsewhere(code: str) -> tuple[str, ...]:
    """A country's names in the interface's languages, as the pages show them ("Grèce",
    "Griechenland", "اليونان"), then in its official languages (Babel/CLDR): "Ελλάδα"."""
    names = []
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            names.append(str(countries.name(code)))
    for language in get_official_languages(code, de_facto=True):
        try:
            name = Locale.parse(language).territories.get(code)
        except (UnknownLocaleError, ValueError):
            continue
        if name:
            names.append(name)
    return tuple(names)


@dataclass(frozen=True)
class Related:
    """The names a record's texts take from its relations, each in its model's order."""

    aliases: list[str] = field(default_factory=list)
    cities: list[str] = field(default_factory=list)
    countries: list[tuple[str, str]] = field(default_factory=list)  # (name, code)
    focus_areas: list[str] = field(default_factory=list)
    target_groups: list[str] = field(default_factory=list)
    levels: list[str] = field(default_factory=list)
    organisations: list[str] = field(default_factory=list)  # an advocate's


NOTHING_RELATED = Related()  # a row not yet inserted has only its own fields


def country_names(name: str, code: str) -> list[str]:
    return [name, *country_names_elsewhere(code)]


def names_of(record, related: Related) -> list[str]:
    return [record.name, *related.aliases]


def profile_of(record, related: Related) -> list[str]:
    parts = list(related.cities)
    for name, code in related.countries:
        parts += country_names(name, code)
    parts += related.focus_areas + related.target_groups + related.levels
    kind = record._meta.model_name
    if kind == "organisation" and record.leadership != Leadership.UNKNOWN:
        parts.append(record.get_leadership_display())
    if kind == "network" and record.network_type_id:
        parts.append(record.network_type.name)
    return parts


def rest_of(record, related: Related) -> list[str]:
    """The record's own words beyond names and profile."""
    parts = [record.location_raw, record.focus_raw, record.target_groups_raw]
    kind = record._meta.model_name
    if kind == "organisation":
        parts += [record.description, record.form_raw]
    elif kind == "advocate":
        parts += [record.roles, *related.organisations]
    elif kind == "network":
        parts += [record.description, record.members_raw, record.coordinator_raw, record.heading]
    return parts


# What `Related` reads of each relation a record may have. A term's `names` (its name in
# other languages, a city's in its own too) are read with its name, and found as it is.
RELATED_VALUES = {
    "aliases": ("name",),
    "cities": ("name", "names"),
    "countries": ("name", "code"),
    "focus_areas": ("name", "names"),
    "target_groups": ("name", "names"),
    "levels": ("name", "names"),
    "organisations": ("name",),
}


def related_rows(model, name: str, pks: list[int]) -> QuerySet:
    """(record id, values...) of relation `name` of records `pks`, in the related model's
    order, as plain rows (model instances made most of a large refresh's time)."""
    relation = model._meta.get_field(name)
    target = relation.related_model
    if relation.many_to_many:
        owner, path = relation.m2m_field_name(), relation.m2m_reverse_field_name() + "__"
        rows = relation.remote_field.through.objects
    else:  # a reverse foreign key: the aliases
        owner, path, rows = relation.field.name, "", target._base_manager
    values = [f"{path}{value}" for value in RELATED_VALUES[name]]
    rows = rows.filter(**{f"{owner}__in": pks}).order_by(*ordering_through(path, target))
    return rows.values_list(owner, *values)


def ordering_through(path: str, model) -> list[str]:
    """`model`'s default ordering for rows that reach it through `path` ("city__"; "" for its
    own rows): the order a prefetch of it gives."""
    return [
        f"-{path}{key[1:]}" if key.startswith("-") else f"{path}{key}"
        for key in model._meta.ordering
    ]


def related_of(model, pks: list[int]) -> dict[int, Related]:
    """What records `pks` of `model` take from their relations: one query per relation."""
    found = defaultdict(Related)
    names = ["aliases", "cities", "countries", "focus_areas", "target_groups", "levels"]
    if model._meta.model_name == "advocate":
        names.append("organisations")
    for name in names:
        for owner, *values in related_rows(model, name, pks):
            if RELATED_VALUES[name][1:] == ("names",):
                getattr(found[owner], name).extend([values[0], *(values[1] or {}).values()])
            else:
                getattr(found[owner], name).append(values[0] if len(values) == 1 else tuple(values))
    return found


def text_of(field_name: str, record, related: Related) -> str:
    """One of a record's stored texts (`FIELDS`), from its own fields and `related`."""
    names = names_of(record, related)
    if field_name == "search_names":
        return as_text(names)
    profile = profile_of(record, related)
    if field_name == "search_profile":
        return as_text(profile)
    return as_text(names + profile + rest_of(record, related))


def fill(record, related: Related) -> None:
    """Sets a record's stored texts from its own fields and `related`."""
    for field_name in FIELDS:
        setattr(record, field_name, text_of(field_name, record, related))


class SearchTextField(models.TextField):
    """A stored search text. An inserted row (`bulk_create` too) gets it from its own fields,
    and from the names of its relations if whoever made it knew them and set them on the
    instance as `search_related` (synthetic records); `refresh` rewrites it, relations
    included, whenever the record or a part of it changes."""

    def pre_save(self, model_instance, add):
        if add:  # this text only: each of the record's texts has its own field
            related = getattr(model_instance, "search_related", NOTHING_RELATED)
            setattr(model_instance, self.attname, text_of(self.attname, model_instance, related))
        return super().pre_save(model_instance, add)


def refresh(model, pks: Iterable[int], progress: Callable[[int], None] | None = None) -> None:
    """Rewrites the stored search texts of `model`'s records `pks`; `progress` hears how many
    are done after each batch.

    Only the search columns are written: `updated_at` and history do not move.
    """
    pks = sorted(set(pks))
    rewritten = False
    if progress:
        progress(0)
    for start in range(0, len(pks), BATCH):
        batch = pks[start : start + BATCH]
        records = model._base_manager.filter(pk__in=batch)
        if model._meta.model_name == "network":
            records = records.select_related("network_type")
        records, related = list(records), related_of(model, batch)
        for record in records:
            before = [getattr(record, field_name) for field_name in FIELDS]
            fill(record, related.get(record.pk, NOTHING_RELATED))
            rewritten = rewritten or before != [getattr(record, name) for name in FIELDS]
        # On PostgreSQL a trigger rebuilds the vector from these (see migration 0012_search).
        model._base_manager.bulk_update(records, FIELDS)
        if progress:
            progress(start + len(batch))
    if rewritten:  # what a search finds, and so its counts, may have changed
        caching.retire([f"{model._meta.model_name}:search"])


# The words of `texts` that no record of the kind holds any more, taken out of the words a
# misspelt search word is compared with (PostgreSQL; see migration 0025_search_words).
FORGET_WORDS = """
DELETE FROM orgs_search_word AS known
WHERE known.kind = %s
    AND known.word IN (
        SELECT unnest(tsvector_to_array(to_tsvector('simple', unaccent(%s))))
    )
    AND NOT EXISTS (
        SELECT FROM {table} WHERE search_vector @@ to_tsquery('simple', quote_literal(known.word))
    )
"""


def forget_words(model, texts: Iterable[str]) -> int:
    """Takes the words of `texts` (an erased person's names) out of the words search knows
    of `model`'s records, unless a record still holds them; how many went."""
    if connection.vendor != "postgresql":
        return 0
    sql = FORGET_WORDS.format(table=connection.ops.quote_name(model._meta.db_table))
    with connection.cursor() as cursor:
        cursor.execute(sql, [model._meta.model_name, " ".join(texts)])
        return cursor.rowcount


def refresh_all(model) -> None:
    refresh(model, model._base_manager.values_list("pk", flat=True))


_pending: ContextVar[dict | None] = ContextVar("search_pending", default=None)


@contextmanager
def deferred():
    """Within the block, records to refresh are collected and refreshed once at its end."""
    if _pending.get() is not None:
        yield
        return
    pending: dict = {}
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
    for model, pks in pending.items():
        refresh(model, pks)


def schedule(model, pks: Iterable[int]) -> None:
    """Refreshes these records now, or at the end of the enclosing `deferred` block."""
    pending = _pending.get()
    if pending is None:
        refresh(model, pks)
    else:
        pending.setdefault(model, set()).update(pks)
