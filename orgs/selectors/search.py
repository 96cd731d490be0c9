"""Keyword search: what a query may be, and which records match it, most relevant first. One
definition for the lists, the API and the results page; the texts it searches are written by
`orgs.search` (see its docstring for what they hold).

Every word of a query must begin a word of a record's document, in any order. On PostgreSQL
the tsvector the trigger keeps is matched by prefix; a word that begins no word of any record
(a misspelling, "Athnes") matches by trigram word similarity instead, if its first three
letters are right, and SearchRank plus trigram similarity orders equally relevant records. On
SQLite the stored text is matched word by word, with the same relevance tiers and no tolerance
of misspellings.

Relevance, best first: words found in the names, then in the profile; then, for
organisations, migrant-, refugee- and diaspora-led ones; then the rank; then the name.
"""

from django import forms
from django.contrib.postgres.lookups import Unaccent
from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db import connection
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
from django.utils.translation import gettext

from orgs.choices import LED_BY_MIGRANTS
from orgs.search import words

MAX_LENGTH = 200  # characters of a query
MAX_WORDS = 20
FUZZY_PREFIX = 3  # letters a misspelt word must get right
FUZZY_MIN_LENGTH = 4
FUZZY_THRESHOLD = 0.4  # trigram word similarity of a misspelt word ("athnes" to "athens": 0.43)


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
