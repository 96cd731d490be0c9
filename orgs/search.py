"""Keyword search of organisations, advocates and networks: one definition for the lists, the
API and the results page.

Each record stores what a visitor may type to find it, folded to lower case without accents and
split into words: its names (name and aliases), its profile (cities and countries in the
interface's languages and their own, focus areas, target groups and levels in the interface's
languages, leadership) and its whole document
(names, profile, description and the reports' own words). Every word of a query must begin a
word of the document, in any order.

On PostgreSQL a trigger keeps a weighted tsvector of the texts (built with `unaccent`, GIN
indexed; see migration 0012_search) in step with them, even for rows written by `bulk_create` or raw
SQL. A word that begins no word of any record (a misspelling, "Athnes") matches by trigram word
similarity instead, if its first three letters are right. SearchRank plus trigram similarity
orders equally relevant records. On SQLite the stored text is matched word by word, with the
same relevance tiers and no tolerance of misspellings.

Relevance, best first: words found in the names, then in the profile; then, for
organisations, migrant-, refugee- and diaspora-led ones; then the rank; then the name.

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
from django import forms
from django.conf import settings
from django.contrib.postgres.lookups import Unaccent
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    TrigramWordSimilarity,
)
from django.db import connection, models
from django.db.models import (
    Case,
    Exists,
    F,
    Func,
    IntegerField,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat
from django.utils import translation
from django.utils.translation import gettext
from django_countries import countries

from orgs import caching

MAX_LENGTH = 200  # characters of a query
MAX_WORDS = 20
FUZZY_PREFIX = 3  # letters a misspelt word must get right
FUZZY_MIN_LENGTH = 4
FUZZY_THRESHOLD = 0.4  # trigram word similarity of a misspelt word ("athnes" to "athens": 0.43)
LED_BY_MIGRANTS = ("migrant-led", "refugee-led", "diaspora-led")
BATCH = 500
FIELDS = ["search_names", "search_profile", "search_document"]

WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """Lower case without accents: "União" and "UNIAO" both become "uniao"."""
    decomposed = unicodedata.normalize("NFKD", text).casefold()
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words(text: str) -> list[str]:
    """The distinct folded words of `text`, in order; punctuation separates words.

    Modifier letters (the apostrophe-like "ʼ") are dropped: `unaccent` turns some into quotes.
    """
    found = (
        "".join(char for char in word if unicodedata.category(char) != "Lm")
        for word in WORD.findall(fold(text))
    )
    return list(dict.fromkeys(word for word in found if word))


def as_text(parts: Iterable[str]) -> str:
    """Stored form: distinct words between single spaces, with a space at each end, so that
    " word" finds a word that begins so."""
    found = words(" ".join(part for part in parts if part))
    return f" {' '.join(found)} " if found else ""


class SearchField(forms.CharField):
    """A query: at most MAX_LENGTH characters and MAX_WORDS words, with a letter or digit."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", MAX_LENGTH)
        kwargs.setdefault("strip", True)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def bound_data(self, data, initial):
        """What the search box shows again: never a NUL byte, which nobody typed, and which
        the page's text cannot hold (the query is refused with a message all the same)."""
        return data.replace("\x00", "") if isinstance(data, str) else data

    def validate(self, value):
        super().validate(value)
        if not value:
            return
        found = words(value)
        if not found:
            raise forms.ValidationError(
                gettext("Type at least one letter or digit to search."), code="no_words"
            )
        if len(found) > MAX_WORDS:
            raise forms.ValidationError(
                gettext("Search for at most %(most)s words (got %(count)s).")
                % {"most": MAX_WORDS, "count": len(found)},
                code="too_many_words",
            )


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
    if kind == "organisation" and record.leadership != "unknown":
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
    if progress:
        progress(0)
    for start in range(0, len(pks), BATCH):
        batch = pks[start : start + BATCH]
        records = model._base_manager.filter(pk__in=batch)
        if model._meta.model_name == "network":
            records = records.select_related("network_type")
        records, related = list(records), related_of(model, batch)
        for record in records:
            fill(record, related.get(record.pk, NOTHING_RELATED))
        # On PostgreSQL a trigger rebuilds the vector from these (see migration 0012_search).
        model._base_manager.bulk_update(records, FIELDS)
        if progress:
            progress(start + len(batch))
    caching.changed()  # what a search finds, and so its counts, may have changed


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


# Matching and ranking.


def word_hits(field: str, found: list[str]):
    """How many of the words begin a word of the stored text `field`."""
    hits = [
        Case(When(**{f"{field}__contains": f" {word}"}, then=Value(1)), default=Value(0))
        for word in found
    ]
    total = hits[0]
    for hit in hits[1:]:
        total = total + hit
    return total


def prefix_query(word: str) -> SearchQuery:
    """`word` as a prefix, accents folded by `unaccent`; quotes (which `unaccent` could
    produce) are taken out, so that the tsquery is always well formed."""
    folded = Func(
        Unaccent(Value(word)),
        Value("'\\"),
        Value(""),
        function="translate",
        output_field=TextField(),
    )
    quoted = Concat(Value("'"), folded, Value("':*"), output_field=TextField())
    return SearchQuery(quoted, search_type="raw", config="simple")


def matching(queryset: QuerySet, text: str) -> QuerySet:
    """The records of `queryset` with every word of `text`, most relevant first."""
    found = words(text)[:MAX_WORDS]
    if not found:
        return queryset.none()
    if connection.vendor == "postgresql":
        queryset, condition, rank = postgresql_matching(queryset, text, found)
    else:
        condition = Q()
        for word in found:
            condition &= Q(search_document__contains=f" {word}")
        rank = Value(0.0)
    ordering = [
        F("search_name_hits").desc(),
        F("search_profile_hits").desc(),
    ]
    annotations = {
        "search_name_hits": word_hits("search_names", found),
        "search_profile_hits": word_hits("search_profile", found),
    }
    if queryset.model._meta.model_name == "organisation":
        annotations["search_led_by_migrants"] = Case(
            When(leadership__in=LED_BY_MIGRANTS, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
        ordering.append(F("search_led_by_migrants").desc())
    annotations["search_rank"] = rank
    ordering += [F("search_rank").desc(), "name", "pk"]
    return queryset.filter(condition).annotate(**annotations).order_by(*ordering)


def postgresql_matching(queryset: QuerySet, text: str, found: list[str]):
    """Full-text prefix match of each word; a longer word that begins no word of any record
    (a misspelling) matches by trigram word similarity instead, as long as its first letters
    are right. Ranked by SearchRank and the trigram similarity of the names."""
    every_record = queryset.model._base_manager.all()
    condition = Q()
    index_condition = None  # implied by the condition; lets the GIN index narrow the rows
    for number, word in enumerate(found):
        exact = Q(search_vector=prefix_query(word))
        if len(word) >= FUZZY_MIN_LENGTH:
            name = f"search_similarity_{number}"
            queryset = queryset.alias(**{name: TrigramWordSimilarity(word, "search_document")})
            start = prefix_query(word[:FUZZY_PREFIX])
            unknown = ~Exists(every_record.filter(search_vector=prefix_query(word)))
            exact |= unknown & Q(search_vector=start) & Q(**{f"{name}__gte": FUZZY_THRESHOLD})
        else:
            start = prefix_query(word)
        condition &= exact
        index_condition = start if index_condition is None else index_condition & start
    any_word = prefix_query(found[0])
    for word in found[1:]:
        any_word = any_word | prefix_query(word)
    rank = Coalesce(SearchRank(F("search_vector"), any_word), Value(0.0)) + (
        TrigramWordSimilarity(" ".join(found), "search_names")
    )
    return queryset, Q(search_vector=index_condition) & condition, rank
