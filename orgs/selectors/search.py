"""Keyword search: what a query may be, and which records match it, most relevant first. One
definition for the lists, the API and the results page; the texts it searches are written by
`orgs.search` (see its docstring for what they hold).

Every word of a query must begin a word of a record's document, in any order. On PostgreSQL
the tsvector the trigger keeps is matched by prefix through its GIN index; a word of
FUZZY_MIN_LENGTH letters or more that begins no word of the records of its kind (a misspelling,
"Athnes") stands for the known words most like it instead ("athens", "athen", "athenes"), if its
first letters are right. The known words are the ones the documents hold, kept by the same
trigger (migration 0025): a misspelt word is compared with them, never with the records. On
SQLite the stored text is matched word by word, with the same relevance tiers and no tolerance
of misspellings.

Relevance, best first: words found in the names, then in the profile (on PostgreSQL a
misspelt word counts where a word it stands for is found); then, for organisations, migrant-,
refugee- and diaspora-led ones; then the name. The same order on both databases. No rank is
computed over the matching records beyond these tiers: for a common word ("refugee") they are
tens of thousands, and the tiers already say where the words were found.
"""

from django import forms
from django.contrib.postgres.lookups import Unaccent
from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.models import (
    Case,
    F,
    Func,
    IntegerField,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Concat
from django.utils.translation import gettext

from orgs.choices import LED_BY_MIGRANTS
from orgs.search import words

MAX_LENGTH = 200  # characters of a query
MAX_WORDS = 20
FUZZY_PREFIX = 3  # letters a misspelt word must get right
FUZZY_MIN_LENGTH = 4
FUZZY_THRESHOLD = 0.4  # trigram word similarity of a misspelt word ("athnes" to "athens": 0.43)
FUZZY_WORDS = 20  # known words a misspelt word may stand for, the most similar first


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


def word_hits(field: str, found: list[str], kind: str = ""):
    """How many of the words begin a word of the stored text `field`; with the `kind` of
    record (PostgreSQL), a longer word also counts where a known word like it does."""
    hits = [
        WordHit(field, word, kind)
        if kind and len(word) >= FUZZY_MIN_LENGTH
        else Case(When(**{f"{field}__contains": f" {word}"}, then=Value(1)), default=Value(0))
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
    kind = ""
    if connection.vendor == "postgresql":
        kind = queryset.model._meta.model_name
        condition = postgresql_matching(kind, found)
    else:
        condition = Q()
        for word in found:
            condition &= Q(search_document__contains=f" {word}")
    ordering = [
        F("search_name_hits").desc(),
        F("search_profile_hits").desc(),
    ]
    annotations = {
        "search_name_hits": word_hits("search_names", found, kind),
        "search_profile_hits": word_hits("search_profile", found, kind),
    }
    if queryset.model._meta.model_name == "organisation":
        annotations["search_led_by_migrants"] = Case(
            When(leadership__in=LED_BY_MIGRANTS, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
        ordering.append(F("search_led_by_migrants").desc())
    ordering += ["name", "pk"]
    return queryset.filter(condition).annotate(**annotations).order_by(*ordering)


# What a word of FUZZY_MIN_LENGTH letters or more stands for: the word as typed (folded as the
# vectors are), and, when no known word of the records of its kind begins with it, the known
# words most like it (the same first FUZZY_PREFIX letters, trigram word similarity
# FUZZY_THRESHOLD or more, the FUZZY_WORDS best). They are read from the words of the
# documents (`orgs_search_word`, migration 0025) through its (kind, word) index, never from the
# records. The word as typed stays among them, so that a word the table may lack is found all
# the same. Each use is a scalar subquery: PostgreSQL runs it once per statement (an InitPlan),
# before it reads the records' GIN index.
TERMS = r"""
FROM (SELECT lower(translate(unaccent(%s), '''\', '')) AS typed) AS folded,
LATERAL (
    SELECT typed AS term, ':*' AS suffix
    UNION ALL (
        SELECT translate(word, '''\', ''), ''
        FROM orgs_search_word
        WHERE kind = %s
            AND word ~>=~ left(typed, %s) AND word ~<~ (left(typed, %s) || chr(1114111))
            AND word_similarity(typed, word) >= %s
            AND NOT EXISTS (
                SELECT FROM orgs_search_word
                WHERE kind = %s AND word ~>=~ typed AND word ~<~ (typed || chr(1114111))
            )
        ORDER BY word_similarity(typed, word) DESC, word
        LIMIT %s
    )
) AS terms"""

# The terms as a tsquery: the typed word as a prefix, the known words as they are.
AS_TSQUERY = (
    f"(SELECT to_tsquery('simple', string_agg('''' || term || '''' || suffix, ' | ')){TERMS})"
)

# The terms as LIKE patterns of a stored text (a word that begins so), as an array: a scalar
# subquery, not a set for LIKE ANY to read row by row.
AS_PATTERNS = f"(SELECT array_agg('%% ' || translate(term, '%%_', '') || '%%'){TERMS})::text[]"


def terms_params(word: str, kind: str) -> list:
    prefix = [FUZZY_PREFIX, FUZZY_PREFIX]
    return [word, kind, *prefix, FUZZY_THRESHOLD, kind, FUZZY_WORDS]


class KnownOrSimilar(SearchQuery):
    """`word` as a prefix, or the known words of `kind` of record like it (a misspelling)."""

    def __init__(self, word: str, kind: str):
        super().__init__(word, search_type="raw", config="simple")
        self.word, self.kind = word, kind

    def as_sql(self, compiler, connection):
        return AS_TSQUERY, terms_params(self.word, self.kind)


class WordHit(Func):
    """1 when a word of the stored text `field` begins with `word` (folded as the documents
    are, or as the vectors are) or with a known word of `kind` of record like it; else 0."""

    output_field = IntegerField()

    def __init__(self, field: str, word: str, kind: str):
        super().__init__(F(field))
        self.word, self.kind = word, kind

    def as_sql(self, compiler, connection):
        column, params = compiler.compile(self.source_expressions[0])
        terms = [*params, *terms_params(self.word, self.kind)]
        if self.word.isascii():  # as the documents fold it, so as the vectors do: one test
            return f"CASE WHEN {column} LIKE ANY ({AS_PATTERNS}) THEN 1 ELSE 0 END", terms
        sql = f"CASE WHEN {column} LIKE %s OR {column} LIKE ANY ({AS_PATTERNS}) THEN 1 ELSE 0 END"
        return sql, [*params, f"% {self.word}%", *terms]


def postgresql_matching(kind: str, found: list[str]) -> Q:
    """Every word as a prefix, matched through the records' GIN index; a longer word that
    begins no word of the records of its `kind` (a misspelling) matches the known words like
    it instead."""
    queries = [
        KnownOrSimilar(word, kind) if len(word) >= FUZZY_MIN_LENGTH else prefix_query(word)
        for word in found
    ]
    every_word = queries[0]
    for query in queries[1:]:
        every_word = every_word & query
    return Q(search_vector=every_word)
