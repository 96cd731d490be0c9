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

Relevance, best first: words found in the names, then in the profile; then, for
organisations, migrant-, refugee- and diaspora-led ones; then the rank (PostgreSQL's SearchRank
of the words as matched, misspellings included, weighing names over profile over the rest);
then the name.
"""

from django import forms
from django.contrib.postgres.lookups import Unaccent
from django.contrib.postgres.search import SearchQuery, SearchRank
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
from django.db.models.functions import Coalesce, Concat
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
        condition, rank = postgresql_matching(queryset, found)
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


# The tsquery of a word of FUZZY_MIN_LENGTH letters or more: the word as a prefix, or'd, when no
# word of the records of that kind begins with it, with the known words most like it (the same
# first FUZZY_PREFIX letters, trigram word similarity FUZZY_THRESHOLD or more, the FUZZY_WORDS
# best). Read from the words of the documents (`orgs_search_word`, migration 0025), never from
# the records: a scalar subquery that runs once per statement, before the records' GIN index is
# read, through the words' (kind, word) index. The word stays in the query as typed, so that a
# word the table may lack is still found.
KNOWN_OR_SIMILAR = r"""(
SELECT to_tsquery('simple', string_agg(term, ' | '))
FROM (SELECT lower(translate(unaccent(%s), '''\', '')) AS typed) AS folded,
LATERAL (
    SELECT '''' || typed || ''':*' AS term
    UNION ALL (
        SELECT '''' || translate(word, '''\', '') || ''''
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
) AS terms
)"""


class KnownOrSimilar(SearchQuery):
    """`word` as a prefix, or the known words of `kind` of record like it (a misspelling)."""

    def __init__(self, word: str, kind: str):
        super().__init__(word, search_type="raw", config="simple")
        self.word, self.kind = word, kind

    def as_sql(self, compiler, connection):
        prefix = (FUZZY_PREFIX, FUZZY_PREFIX)
        params = [self.word, self.kind, *prefix, FUZZY_THRESHOLD, self.kind, FUZZY_WORDS]
        return KNOWN_OR_SIMILAR, params


def postgresql_matching(queryset: QuerySet, found: list[str]):
    """Each word as a prefix, matched through the records' GIN index; a longer word that begins
    no word of the records of its kind (a misspelling) matches the known words like it
    instead. Ranked by SearchRank over the words as matched."""
    kind = queryset.model._meta.model_name
    queries = [
        KnownOrSimilar(word, kind) if len(word) >= FUZZY_MIN_LENGTH else prefix_query(word)
        for word in found
    ]
    every_word, any_word = queries[0], queries[0]
    for query in queries[1:]:
        every_word, any_word = every_word & query, any_word | query
    rank = Coalesce(SearchRank(F("search_vector"), any_word), Value(0.0))
    return Q(search_vector=every_word), rank
