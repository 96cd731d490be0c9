"""Which published records a name from someone's list is: candidates, scored 0-100, for the
reconciliation service and the "Match my list" page.

The database shortlists, Python scores. The shortlist is the SHORTLIST records of the kind
whose names (name and aliases, folded as search folds them) hold the most of the name's words,
then those that agree with the place given, then by name. On PostgreSQL a word counts where the
search word table says a known word is like it (a misspelling, as keyword search does); on
SQLite, which has no such table, a longer word counts where a name word begins with its first
FUZZY_PREFIX letters. The shortlist is one query, and its aliases, countries and cities three
more: four queries per name whatever the directory's size (one when nothing is shortlisted).

Scoring, for each shortlisted record:
- Name: the best of its names. Names are compared folded (no accents or case, punctuation as
  spaces) by the best of three ratios: the whole strings (difflib), their words sorted, and the
  words themselves (a word counts where one of the other name is WORD_LIKE or more similar, so
  "Afgan" counts for "Afghan"). Identical names give 1.0. The name gives up to NAME_POINTS.
- Places and website, when given: each that agrees with the record adds AGREES[property]
  points, each the record contradicts (it has a value, and another) takes DISAGREES[property]
  away; one the record does not have changes nothing. A country is read in any of the
  languages search knows it by ("Deutschland", "Allemagne", "DE"), a city in any its record
  holds ("München", "Munich"), a website by its host without "www." and its path.
- The score is clamped to 0-100 and rounded to one decimal.

A candidate is a `match` (clearly right) only when its score is MATCH_SCORE or more, it leads
the runner-up by MATCH_LEAD or more, and every word of three letters or more of the given
name is like a word of the record's best name: a name nobody in the directory bears, however
close its common words ("Refugee Council of Nowhere"), is never a match.
"""

from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from urllib.parse import urlsplit

from django.db import connection
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, QuerySet, Value, When
from django_countries import countries

from orgs.models import Advocate, Network, Organisation
from orgs.search import country_names, words
from orgs.selectors.public_records import PUBLIC
from orgs.selectors.search import FUZZY_MIN_LENGTH, FUZZY_PREFIX, KnownOrSimilar, prefix_query
from orgs.selectors.search import word_hits as search_word_hits

KINDS = {"organisation": Organisation, "advocate": Advocate, "network": Network}

SHORTLIST = 20
MAX_WORDS = 20  # of a name: the rest is ignored
SIGNIFICANT_LENGTH = 3  # letters of a word that must be found for a match
WORD_LIKE = 0.8  # difflib ratio of two words that count as the same ("afgan", "afghan": 0.91)
NAME_POINTS = 85
AGREES = {"country": 5, "city": 5, "website": 10}
DISAGREES = {"country": 10, "city": 5, "website": 5}
MATCH_SCORE = 80
MATCH_LEAD = 10


@dataclass
class Candidate:
    """A published record that a name may be, how likely (0-100), and whether clearly so."""

    record: Organisation | Advocate | Network
    score: float
    match: bool = False
    name: str = ""  # the record's name or alias that the given name is most like
    covered: bool = False  # every significant word of the given name is in `name`


def candidates_for(
    name: str,
    kind: str = "organisation",
    country: str | None = None,
    city: str | None = None,
    website: str | None = None,
    limit: int = 5,
) -> list[Candidate]:
    """The `limit` best candidates for `name` among published records of `kind`, best first."""
    if kind not in KINDS:
        raise ValueError(f"Unknown kind of record: {kind!r}")
    found = words(name or "")[:MAX_WORDS]
    if not found or limit < 1:
        return []
    code = country_code(country) if country else None
    records = list(shortlist(kind, found, code, city_words(city)))
    given = {"country": country, "city": city, "website": website}
    candidates = [score_record(record, found, given, code) for record in records]
    candidates.sort(key=lambda candidate: (-candidate.score, candidate.record.sort_name))
    if candidates:
        best = candidates[0]
        runner_up = candidates[1].score if len(candidates) > 1 else 0
        best.match = (
            best.covered and best.score >= MATCH_SCORE and best.score - runner_up >= MATCH_LEAD
        )
    return candidates[:limit]


# The shortlist.


def shortlist(kind: str, found: list[str], code: str | None, city: list[str]) -> QuerySet:
    model = KINDS[kind]
    searched = [word for word in found if len(word) >= SIGNIFICANT_LENGTH] or found
    if connection.vendor == "postgresql":
        condition, hits = postgresql_terms(kind, searched)
    else:
        condition, hits = sqlite_terms(searched)
    places = []
    if code:
        through = model.countries.through
        owner = model._meta.model_name
        in_country = Exists(through.objects.filter(**{owner: OuterRef("pk"), "country": code}))
        places.append(Case(When(in_country, then=Value(1)), default=Value(0)))
    if city:
        in_city = Q()
        for word in city:
            in_city &= Q(search_profile__contains=f" {word}")
        places.append(Case(When(in_city, then=Value(1)), default=Value(0)))
    place_hits = sum(places[1:], places[0]) if places else Value(0, IntegerField())
    return (
        PUBLIC[model]()
        .filter(condition)
        .annotate(
            match_name_hits=hits,
            match_place_hits=place_hits,
        )
        .order_by(F("match_name_hits").desc(), F("match_place_hits").desc(), "sort_name", "pk")
        .prefetch_related("aliases", "countries", "cities")[:SHORTLIST]
    )


def postgresql_terms(kind: str, searched: list[str]):
    """Records with any word in their search vector, misspellings standing for known words;
    their count of words found in their names."""
    queries = [
        KnownOrSimilar(word, kind) if len(word) >= FUZZY_MIN_LENGTH else prefix_query(word)
        for word in searched
    ]
    any_word = queries[0]
    for query in queries[1:]:
        any_word = any_word | query
    return Q(search_vector=any_word), search_word_hits("search_names", searched, kind)


def sqlite_terms(searched: list[str]):
    """Records whose names hold a word beginning as one of the words does (its first letters
    for a longer one); the count of the words found whole counts first, then of beginnings."""
    beginnings = [
        word[:FUZZY_PREFIX] if len(word) >= FUZZY_MIN_LENGTH else word for word in searched
    ]
    condition = Q()
    for beginning in beginnings:
        condition |= Q(search_names__contains=f" {beginning}")
    whole = search_word_hits("search_names", searched)
    begun = search_word_hits("search_names", beginnings)
    return condition, whole * Value(MAX_WORDS + 1) + begun


# The scoring.


def score_record(record, found: list[str], given: dict, code: str | None) -> Candidate:
    best_name, similarity = record.name, -1.0
    for name in [record.name, *(alias.name for alias in record.aliases.all())]:
        value = name_similarity(found, words(name))
        if value > similarity:
            best_name, similarity = name, value
    points = NAME_POINTS * similarity
    for property, agrees in agreement(record, given, code).items():
        if agrees is True:
            points += AGREES[property]
        elif agrees is False:
            points -= DISAGREES[property]
    score = round(min(100.0, max(0.0, points)), 1)
    covered = all(
        any(word_similarity(word, other) >= WORD_LIKE for other in words(best_name))
        for word in found
        if len(word) >= SIGNIFICANT_LENGTH
    )
    return Candidate(record, score, name=best_name, covered=covered)


def name_similarity(given: list[str], name: list[str]) -> float:
    """How alike two names are, as their folded words: 0 to 1 (see the module's docstring)."""
    if not given or not name:
        return 0.0
    if given == name:
        return 1.0
    whole = SequenceMatcher(None, " ".join(given), " ".join(name)).ratio()
    in_order = SequenceMatcher(None, " ".join(sorted(given)), " ".join(sorted(name))).ratio()
    shared = 0.0
    for word in given:
        best = max(word_similarity(word, other) for other in name)
        shared += best if best >= WORD_LIKE else 0
    by_words = 2 * shared / (len(given) + len(name))
    return max(whole, in_order, by_words)


@lru_cache(maxsize=4096)
def word_similarity(one: str, other: str) -> float:
    return 1.0 if one == other else SequenceMatcher(None, one, other).ratio()


def agreement(record, given: dict, code: str | None) -> dict[str, bool | None]:
    """For each property given: True where the record agrees, False where it has another
    value, None where it has none (or the value given names no country we know)."""
    found = {}
    if given["country"]:
        codes = {country.code for country in record.countries.all()}
        found["country"] = (code in codes) if codes and code else None
    if given["city"]:
        cities = [city_names(city) for city in record.cities.all()]
        wanted = " ".join(words(given["city"]))
        found["city"] = any(wanted in names for names in cities) if cities else None
    if given["website"]:
        addresses = {site_key(address) for address in websites_of(record)} - {None}
        wanted = site_key(given["website"])
        found["website"] = (wanted in addresses) if addresses and wanted else None
    return found


def city_names(city) -> set[str]:
    return {" ".join(words(name)) for name in [city.name, *(city.names or {}).values()]}


def city_words(city: str | None) -> list[str]:
    return words(city or "")[:MAX_WORDS]


def websites_of(record) -> list[str]:
    kind = record._meta.model_name
    if kind == "organisation":
        return [record.website, *(record.other_websites or [])]
    if kind == "network":
        return list(record.websites or [])
    return []


def site_key(address: str) -> tuple[str, str] | None:
    """A website as compared: its host without "www." and its path, lower case."""
    text = str(address or "").strip()
    if not text:
        return None
    if "://" not in text:
        text = f"http://{text}"
    try:
        parts = urlsplit(text)
        host = (parts.hostname or "").removeprefix("www.")
    except ValueError:
        return None
    return (host, parts.path.rstrip("/").lower()) if host else None


@lru_cache(maxsize=1)
def country_codes() -> dict[str, str]:
    """Every country's names in the languages search knows, and its code, folded: the code."""
    found = {}
    for code, name in countries:
        for spelling in [code, *country_names(str(name), code)]:
            found.setdefault(" ".join(words(spelling)), code)
    return found


def country_code(value: str) -> str | None:
    """The code of the country `value` names, in any language we know, or None."""
    return country_codes().get(" ".join(words(value)))
