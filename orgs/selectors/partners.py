"""Like-minded organisations: partners worth contacting, best first, with the reasons in words.

A candidate must share at least one focus area. Each shared term weighs by how rare it is
among the published organisations (the square of its inverse document frequency), so that a
shared "LGBTIQ" or "deportation and detention" counts for much and a shared "migrants" for
little; focus areas weigh more than target groups, which weigh more than levels of work.
Migrant-, refugee- and diaspora-led organisations come first (their score is raised by
`LED_BONUS`), and at equal scores the same city, then the same country, comes before the
alphabet (then the id). The term frequencies are the overview pages' cached counts (see
`overviews.record_counts`), and the partners found are cached until an edit could change them.

The ranking is exact, yet reads only the candidates that can still be among the best `k`,
in two queries. Call a term's value its weight times its vocabulary's factor, and V the sum
of the organisation's own terms' values: a candidate scores at most LED_BONUS * V, one not
led at most V, and one lacking the term t at most LED_BONUS * (V - value(t)).

1. A sample (`probed`): at most PROBED organisations sharing the organisation's heaviest
   terms, as many led ones in its own places and as many sharing its heaviest term, ranked as
   all are.
   Its k-th best has a score s and places no better than the true k-th best's: the sample is
   some of the candidates.
2. Every candidate ranked at least as high as the sample's k-th scores s or more, hence
   (`bounded`): (a) its shared terms' values sum to s / LED_BONUS or more; so (b) it has each
   term t with value(t) > V - s / LED_BONUS, lacking which it would share less, and (c) it
   has one at least of the heaviest terms whose values sum past V - s / LED_BONUS, lacking
   all of which it would share less; (d) if s > V, it is led; (e) if moreover
   s > LED_BONUS * (V - v / 2), v the lightest positive value, then the sample's k-th lacks
   no term of positive value, s is the highest score there is, the candidate scores s too and
   must come no later by place: in one of the organisation's cities if the k-th is, and so
   on. The second query reads the link rows of the rarest term of (b) (or, if (b) names none,
   of the terms of (c)), keeps those meeting (a), (d) and (e) by probes of each one's own link
   rows (before its record is read) and ranks them. None left out could be among the best k
   or tie with the k-th, so the first k are the same, in the same order.
If the sample has fewer than k, or the terms of (c) have more link rows than the focus areas,
the second query ranks every organisation sharing a focus area (`every_candidate_ranked`: one
GROUP BY per vocabulary over the link rows of the organisation's terms). Sums of floats in
another order differ by less than EPSILON * V: each test keeps that margin on the side of
reading more.
"""

import math
from dataclasses import dataclass

from django.db import connection
from django.utils.translation import gettext, ngettext

from orgs import caching, figure_tags
from orgs.choices import LED_BY_MIGRANTS
from orgs.models import Organisation
from orgs.selectors import overviews
from orgs.selectors.public_records import public_organisations
from orgs.wording import lower_first

LED = list(LED_BY_MIGRANTS)
LED_BONUS = 1.25
ORGANISATIONS = {"organisation": Organisation}
# What the ranking reads of the organisation itself (prefetched by its callers).
OWN_TERMS = ("focus_areas", "target_groups", "levels", "countries", "cities")
# The sample (the first query) ranks at most three times this many candidates.
PROBED = 50
# How many organisations the sample expects to share the heaviest terms it asks for.
PROBE_TARGET = 100
# Float sums differ by less than this (relative) however their terms are ordered.
EPSILON = 1e-9
# (relation, the through table's field naming the term, how much a shared term of it counts)
VOCABULARIES = {
    "focus": (Organisation.focus_areas, "focusarea", 3.0),
    "groups": (Organisation.target_groups, "targetgroup", 0.5),
    "levels": (Organisation.levels, "worklevel", 0.25),
}

# Each vocabulary's link table and its column naming the term; the same for places.
VOCABULARIES_LINKS = {
    name: (relation.through._meta.db_table, f"{field}_id")
    for name, (relation, field, _) in VOCABULARIES.items()
}
PLACES_LINKS = {
    "cities": (Organisation.cities.through._meta.db_table, "city_id"),
    "countries": (Organisation.countries.through._meta.db_table, "country_id"),
}


@dataclass
class LikeMinded:
    organisation: Organisation
    score: float
    shared_focus: list
    shared_target_groups: list
    shared_levels: list
    same_city: bool = False
    same_country: bool = False

    @property
    def reasons(self) -> list[str]:
        """Why it is suggested, in plain words, the rarest shared terms first."""
        reasons = []
        if self.shared_focus:
            reasons.append(gettext("Both work on %(terms)s") % {"terms": names(self.shared_focus)})
        if self.shared_target_groups:
            terms = names(self.shared_target_groups, most=3)
            reasons.append(gettext("both work with %(terms)s") % {"terms": terms})
        if self.shared_levels:
            levels = gettext(" and ").join(
                lower_first(level.translated_name) for level in self.shared_levels
            )
            reasons.append(gettext("both work at %(levels)s level") % {"levels": levels})
        if self.same_city:
            reasons.append(gettext("in the same city"))
        elif self.same_country:
            reasons.append(gettext("in the same country"))
        return reasons


def names(terms, most: int | None = None) -> str:
    """ "a, b and c", or "a, b, c and 2 more" past `most` terms."""
    words = [lower_first(term.translated_name) for term in terms]
    if most is not None and len(words) > most:
        more = len(words) - most
        words = [
            *words[:most],
            ngettext("%(count)s more", "%(count)s more", more) % {"count": more},
        ]
    if len(words) == 1:
        return words[0]
    return gettext("%(first)s and %(last)s") % {"first": ", ".join(words[:-1]), "last": words[-1]}


def term_counts(relation: str) -> dict[int, int]:
    """How many published organisations have each term of `relation` (the overview pages'
    cached counts)."""
    return overviews.record_counts(relation, ORGANISATIONS)["organisation"]


def term_weights(relation: str, ids: list[int]) -> dict[int, float]:
    """The weight of each of `ids`: its squared inverse frequency among the published
    organisations, from the cached counts of the overview pages."""
    counts = term_counts(relation)
    total = overviews.organisation_total()
    return {pk: math.log((1 + total) / (1 + counts.get(pk, 0))) ** 2 for pk in ids}


@dataclass(frozen=True)
class Term:
    """One of the organisation's own terms, as the ranking counts it."""

    vocabulary: str  # a key of VOCABULARIES
    pk: int
    value: float  # what sharing it adds to a score (its weight times its vocabulary's factor)
    holders: int  # how many published organisations have it

    @property
    def link(self) -> tuple[str, str]:
        """The link table and its column naming the term."""
        return VOCABULARIES_LINKS[self.vocabulary]


def own_terms(weights: dict) -> list[Term]:
    """The organisation's terms, the heaviest first (then the rarest, for a stable order)."""
    terms = []
    for name, (relation, _, factor) in VOCABULARIES.items():
        counts = term_counts(relation.field.name)
        for pk, weight in weights[name].items():
            terms.append(Term(name, pk, weight * factor, counts.get(pk, 0)))
    return sorted(terms, key=lambda t: (-t.value, t.holders, t.vocabulary, t.pk))


def placeholders(values) -> str:
    return ", ".join(["%s"] * len(values))


def weighed(relation, field: str, weights: dict[int, float], factor: float):
    """SQL for each organisation's summed weight of the terms in `weights` (floats, so that
    summing is cheap): one GROUP BY over the link rows of those terms."""
    through = relation.through._meta.db_table
    cases = " ".join(f"WHEN {pk:d} THEN CAST(%s AS DOUBLE PRECISION)" for pk in weights)
    sql = (
        f"SELECT organisation_id, SUM(CASE {field}_id {cases} ELSE 0 END) AS weight "
        f"FROM {through} WHERE {field}_id IN ({placeholders(weights)}) GROUP BY organisation_id"
    )
    return sql, [value * factor for value in weights.values()] + list(weights)


def holders(relation, field: str, ids: list) -> tuple[str, list]:
    """SQL for the organisations with any of the terms `ids` (none: an empty set)."""
    through = relation.through._meta.db_table
    if not ids:
        return f"SELECT organisation_id FROM {through} WHERE 1 = 0", []
    return (
        f"SELECT DISTINCT organisation_id FROM {through} WHERE {field}_id IN ({placeholders(ids)})",
        list(ids),
    )


def public_candidates() -> tuple[str, list]:
    """The SQL (and its parameters) of the public organisations, what the ranking reads of
    them: `public_organisations()` compiled, so that what is public is said in one place."""
    public = public_organisations().order_by().values("id", "leadership", "name")
    return public.query.sql_with_params()


def run(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def every_candidate_ranked(organisation, weights, places, other_countries, limit) -> list[int]:
    """The ids of the best partners, best first, from every organisation sharing a focus area:
    one query over the link tables of the shared terms (grouped by organisation), joined to the
    organisations and their places. What the bounded ranking falls back on."""
    relation, field, factor = VOCABULARIES["focus"]
    focus_sql, params = weighed(relation, field, weights["focus"], factor)
    public_sql, public = public_candidates()
    params += public
    others, weight = [], "focus.weight"
    for name in ("groups", "levels"):
        if weights[name]:
            relation, field, factor = VOCABULARIES[name]
            sql, values = weighed(relation, field, weights[name], factor)
            others.append(f"LEFT JOIN ({sql}) AS {name} ON {name}.organisation_id = o.id")
            params += values
            weight += f" + COALESCE({name}.weight, 0)"
    cities_sql, cities = holders(Organisation.cities, "city", places["cities"])
    countries_sql, countries = holders(Organisation.countries, "country", places["countries"])
    elsewhere = "AND country.organisation_id IS NULL" if other_countries else ""
    # The candidates are the public organisations sharing a focus area (`focus`).
    sql = f"""
        SELECT o.id
        FROM ({focus_sql}) AS focus
        JOIN ({public_sql}) AS o ON o.id = focus.organisation_id
        {" ".join(others)}
        LEFT JOIN ({cities_sql}) AS city ON city.organisation_id = o.id
        LEFT JOIN ({countries_sql}) AS country ON country.organisation_id = o.id
        WHERE o.id <> %s {elsewhere}
        ORDER BY
            ({weight}) * CASE WHEN o.leadership IN ({placeholders(LED)})
                THEN %s ELSE 1.0 END DESC,
            city.organisation_id IS NOT NULL DESC,
            country.organisation_id IS NOT NULL DESC,
            o.name,
            o.id
        LIMIT %s
    """
    params += cities + countries + [organisation.pk, *LED, LED_BONUS, limit]
    return [pk for (pk,) in run(sql, params)]


def linked(table: str, column: str, ids: list, organisation_id: str) -> tuple[str, list]:
    """SQL: how many of `ids` the organisation `organisation_id` (a column) has in the link
    table, counted on the table's unique index on the organisation and the term. A count, not
    EXISTS, which PostgreSQL would turn into one join each, to plan for seconds."""
    return (
        f"(SELECT COUNT(*) FROM {table} AS has WHERE has.organisation_id = {organisation_id} "
        f"AND has.{column} IN ({placeholders(ids)}))",
        list(ids),
    )


def having(terms: list[Term], organisation_id: str) -> tuple[str, list]:
    """SQL: the organisation `organisation_id` (a column) has every one of `terms`."""
    conditions, params = [], []
    for name, (table, column) in VOCABULARIES_LINKS.items():
        mine = [term.pk for term in terms if term.vocabulary == name]
        if mine:
            count, values = linked(table, column, mine, organisation_id)
            conditions.append(f"{count} = {len(mine):d}")
            params += values
    return " AND ".join(conditions) or "1 = 1", params


def by_rarity(terms: list[Term]) -> list[Term]:
    return sorted(terms, key=lambda t: (t.holders, t.vocabulary, t.pk))


def sharing(terms: list[Term], places: dict, elsewhere: bool, most=None) -> tuple[str, list]:
    """SQL for the organisations that have every one of `terms` (outside the organisation's
    countries if `elsewhere`; at most `most` of them): the link rows of the rarest, each checked
    for the others by probes of the organisation's own link rows."""
    first, *others = by_rarity(terms)
    table, column = first.link
    conditions, params = having(others, "holder.organisation_id")
    if elsewhere and places["countries"]:
        count, values = linked(
            *PLACES_LINKS["countries"], places["countries"], "holder.organisation_id"
        )
        conditions, params = f"{conditions} AND {count} = 0", params + values
    sql = (
        f"SELECT holder.organisation_id FROM {table} AS holder "
        f"WHERE holder.{column} = %s AND {conditions}"
    )
    if most is not None:
        sql = f"SELECT organisation_id FROM ({sql} LIMIT {most:d}) AS sample"
    return sql, [first.pk, *params]


def holding_any(terms: list[Term], places: dict, elsewhere: bool) -> tuple[str, list]:
    """SQL for the organisations that have any of `terms` (outside the organisation's countries
    if `elsewhere`): the link rows of those terms, one vocabulary after the other."""
    selects, params = [], []
    for name, (table, column) in VOCABULARIES_LINKS.items():
        mine = [term.pk for term in terms if term.vocabulary == name]
        if not mine:
            continue
        sql = (
            f"SELECT DISTINCT holder.organisation_id FROM {table} AS holder "
            f"WHERE holder.{column} IN ({placeholders(mine)})"
        )
        params += mine
        if elsewhere and places["countries"]:
            countries = places["countries"]
            count, values = linked(*PLACES_LINKS["countries"], countries, "holder.organisation_id")
            sql, params = f"{sql} AND {count} = 0", params + values
        selects.append(sql)
    return " UNION ".join(selects), params


def within(places: dict, terms: list[Term], most: int) -> tuple[str, list]:
    """SQL for at most `most` organisations led by migrants, refugees or the diaspora in the
    organisation's cities (or, without any, its countries) that have every one of `terms`:
    those that, sharing all, come first of all."""
    table, column = PLACES_LINKS["cities" if places["cities"] else "countries"]
    ids = places["cities"] or places["countries"]
    shared, values = having(terms, "nearby.organisation_id")
    organisations = Organisation._meta.db_table
    sql = (
        f"SELECT nearby.organisation_id FROM {table} AS nearby "
        f"JOIN {organisations} AS led ON led.id = nearby.organisation_id "
        f"WHERE nearby.{column} IN ({placeholders(ids)}) "
        f"AND led.leadership IN ({placeholders(LED)}) AND {shared}"
    )
    params = [*ids, *LED, *values]
    return f"SELECT organisation_id FROM ({sql} LIMIT {most:d}) AS nearest", params


def in_any(name: str, ids: list, organisation_id: str) -> tuple[str, list]:
    """SQL: the organisation `organisation_id` has any of the places `ids` (`name`: "cities" or
    "countries")."""
    if not ids:
        return "(1 = 0)", []
    count, params = linked(*PLACES_LINKS[name], ids, organisation_id)
    return f"({count} > 0)", params


@dataclass(frozen=True)
class Ranked:
    """A candidate as ranked: its score and whether it is in the organisation's places."""

    pk: int
    score: float
    in_city: bool
    in_country: bool


@dataclass(frozen=True)
class Bound:
    """What each of the best partners satisfies (see the module's docstring)."""

    required: list  # the terms each shares
    any_of: list  # terms of which each shares at least one
    weight: float  # the least summed weight of its shared terms
    led: bool = False  # led by migrants, refugees or the diaspora
    city: bool = False  # in one of the organisation's cities
    country: bool = False  # in one of its countries
    city_or_country: bool = False  # in either


def weight_of(terms: list[Term], organisation_id: str) -> tuple[str, list]:
    """SQL: the summed value of the `terms` the organisation `organisation_id` shares, each
    vocabulary summed over its own link rows (in the order of the link table's unique index,
    so that equal sets of terms sum to equal floats)."""
    sums, params = [], []
    for name, (table, column) in VOCABULARIES_LINKS.items():
        mine = [term for term in terms if term.vocabulary == name]
        if not mine:
            continue
        cases = " ".join(f"WHEN {term.pk:d} THEN CAST(%s AS DOUBLE PRECISION)" for term in mine)
        sums.append(
            f"COALESCE((SELECT SUM(CASE shared.{column} {cases} ELSE 0 END) FROM {table} AS "
            f"shared WHERE shared.organisation_id = {organisation_id} AND shared.{column} IN "
            f"({placeholders(mine)})), 0)"
        )
        params += [term.value for term in mine] + [term.pk for term in mine]
    return " + ".join(sums), params


def ranked_among(
    source: tuple[str, list],
    shares_focus: bool,
    organisation,
    terms: list[Term],
    places: dict,
    limit: int,
    bound: Bound | None = None,
) -> list[Ranked]:
    """The best `limit` organisations of `source` (SQL for ids, as `organisation_id`; each
    known to share a focus area if `shares_focus`) that share a focus area, best first, with
    what ranked them, and only those within `bound`. The shared terms are summed from the link
    tables before the organisation is read (a fence keeps PostgreSQL from reading them all
    first), so that a candidate the bound leaves out costs a few index probes."""
    source_sql, params = source
    weight, values = weight_of(terms, "candidate.organisation_id")
    params = [*values, *params]
    where = []
    if not shares_focus:
        focus = [term.pk for term in terms if term.vocabulary == "focus"]
        count, values = linked(*VOCABULARIES_LINKS["focus"], focus, "candidate.organisation_id")
        where, params = [f"{count} > 0"], params + values
    city_sql, city = in_any("cities", places["cities"], "candidate.organisation_id")
    country_sql, country = in_any("countries", places["countries"], "candidate.organisation_id")
    led = ""
    if bound is not None:
        if bound.city:
            where, params = where + [city_sql], params + city
        if bound.country:
            where, params = where + [country_sql], params + country
        if bound.city_or_country:
            where, params = where + [f"({city_sql} OR {country_sql})"], params + city + country
        led = f"AND o.leadership IN ({placeholders(LED)})" if bound.led else ""
    candidates = f"""
        SELECT candidate.organisation_id AS id, {weight} AS weight
        FROM ({source_sql}) AS candidate
        WHERE {" AND ".join(where) or "1 = 1"}
    """
    if bound is not None:
        candidates = f"SELECT id, weight FROM ({candidates}) AS weighed WHERE weight >= %s"
        params.append(bound.weight)
    public_sql, public = public_candidates()
    fence = " MATERIALIZED" if connection.vendor == "postgresql" else ""
    sql = f"""
        WITH candidates AS{fence} ({candidates})
        SELECT ranked.id, ranked.score, ranked.in_city, ranked.in_country
        FROM (
            SELECT o.id, o.name,
                c.weight * CASE WHEN o.leadership IN ({placeholders(LED)})
                    THEN %s ELSE 1.0 END AS score,
                {city_sql.replace("candidate.organisation_id", "o.id")} AS in_city,
                {country_sql.replace("candidate.organisation_id", "o.id")} AS in_country
            FROM candidates AS c
            JOIN ({public_sql}) AS o ON o.id = c.id
            WHERE o.id <> %s {led}
        ) AS ranked
        ORDER BY ranked.score DESC, ranked.in_city DESC, ranked.in_country DESC, ranked.name,
            ranked.id
        LIMIT %s
    """
    params += [*LED, LED_BONUS, *city, *country, *public, organisation.pk]
    params += list(LED) if led else []
    rows = run(sql, [*params, limit])
    return [
        Ranked(pk, score, bool(in_city), bool(in_country))
        for pk, score, in_city, in_country in rows
    ]


def probed(terms: list[Term], places: dict, elsewhere: bool) -> tuple[tuple[str, list], bool]:
    """SQL for a sample of candidates likely to be among the best: at most PROBED organisations
    sharing the heaviest terms (as many as PROBE_TARGET organisations are expected to share,
    counting the terms as independent), as many led ones in the organisation's own places, and
    as many sharing the heaviest term alone (should the others be found only together,
    elsewhere); and whether each of them shares a focus area."""
    total = max(overviews.organisation_total(), 1)
    heaviest, expected = [], float(total)
    for term in terms:
        if heaviest and expected * term.holders / total < PROBE_TARGET:
            break
        heaviest.append(term)
        expected *= term.holders / total
    sql, params = sharing(heaviest, places, elsewhere, most=PROBED)
    samples = [f"SELECT organisation_id FROM ({sql}) AS shared"]
    if len(heaviest) > 1:
        sql, values = sharing(heaviest[:1], places, elsewhere, most=PROBED)
        samples.append(sql)
        params += values
    if not elsewhere and (places["cities"] or places["countries"]):
        sql, values = within(places, heaviest, most=PROBED)
        samples.append(sql)
        params += values
    return (" UNION ".join(samples), params), heaviest[0].vocabulary == "focus"


def bounded(terms: list[Term], found: list[Ranked], limit: int) -> Bound | None:
    """What each of the best `limit` partners satisfies, given that the candidates `found` (best
    first) are some of them (see the module's docstring); None when the bound would leave every
    candidate in."""
    if len(found) < limit:
        return None
    kth = found[-1]
    total = math.fsum(term.value for term in terms)
    margin = EPSILON * total  # float sums in another order differ by less
    slack = total - kth.score / LED_BONUS + margin
    required = [term for term in terms if term.value > slack]
    any_of, summed = [], 0.0
    for term in terms:
        if summed > slack:
            break
        any_of, summed = any_of + [term], summed + term.value
    led = kth.score > total + margin
    lightest = min((term.value for term in terms if term.value > 0), default=0.0)
    top = led and LED_BONUS * (total - lightest / 2) < kth.score
    return Bound(
        required=required,
        any_of=any_of,
        weight=kth.score / LED_BONUS - margin,
        led=led,
        city=top and kth.in_city,
        country=top and kth.in_city and kth.in_country,
        city_or_country=top and kth.in_country and not kth.in_city,
    )


def ranked_ids(organisation, weights: dict, places: dict, other_countries: bool, limit: int):
    """The ids of the best partners, best first, in two bounded queries: a sample, and the
    candidates that can still beat its `limit`-th (see the module's docstring)."""
    terms = own_terms(weights)
    source, shares_focus = probed(terms, places, other_countries)
    sample = ranked_among(source, shares_focus, organisation, terms, places, limit)
    bound = bounded(terms, sample, limit)
    focus = [term for term in terms if term.vocabulary == "focus"]
    if bound and bound.required:
        # Read from the rarest term each must share: the least weight checks the others.
        rarest = by_rarity(bound.required)[:1]
        source, shares_focus = sharing(rarest, places, other_countries), rarest[0] in focus
    elif (
        bound
        and bound.any_of
        and sum(t.holders for t in bound.any_of) < sum(t.holders for t in focus)
    ):
        source = holding_any(bound.any_of, places, other_countries)
        shares_focus = all(term in focus for term in bound.any_of)
    else:
        return every_candidate_ranked(organisation, weights, places, other_countries, limit)
    best = ranked_among(source, shares_focus, organisation, terms, places, limit, bound)
    return [row.pk for row in best]


def like_minded(organisation: Organisation, other_countries: bool = False, limit: int = 10):
    """The organisations most worth contacting as partners of `organisation`, best first.

    Cached until an edit could change them (`figure_tags.of_partners`): an edit of any
    organisation sharing one of its focus areas, before or after, or a change in how many
    organisations have one of its terms. The tokens are read before the weights and the
    candidates, and its own terms name the figure: partners ranked for the terms it had
    before an edit are never shown for the terms it has after."""
    own = {
        name: [term.pk for term in getattr(organisation, relation.field.name).all()]
        for name, (relation, _, _) in VOCABULARIES.items()
    }
    if not own["focus"]:
        return []
    places = {
        "countries": [country.pk for country in organisation.countries.all()],
        "cities": [city.pk for city in organisation.cities.all()],
    }
    fields = {name: relation.field.name for name, (relation, _, _) in VOCABULARIES.items()}
    depends = figure_tags.of_partners(
        {fields["focus"]: own["focus"]}, {fields[name]: pks for name, pks in own.items()}
    )
    caching.token(depends)  # read now: the weights and the ranking below are of this state
    weights = {name: term_weights(fields[name], own[name]) for name in VOCABULARIES}
    elsewhere = bool(other_countries and places["countries"])

    def partners():
        ids = ranked_ids(organisation, weights, places, elsewhere, limit)
        found = public_organisations().filter(pk__in=ids).prefetch_related(*OWN_TERMS)
        by_id = {candidate.pk: candidate for candidate in found}
        return [explained(by_id[pk], own, weights, places) for pk in ids if pk in by_id]

    # The partners with their terms, as read; their reasons are worded when shown.
    parts = (organisation.pk, elsewhere, limit, sorted(own.items()), sorted(places.items()))
    return caching.cached("like-minded-partners", parts, partners, depends)


def explained(candidate: Organisation, own: dict, weights: dict, places: dict) -> LikeMinded:
    """The candidate with its score and the shared terms, rarest first, as the query ranked it."""

    def shared(terms, name):
        found = [term for term in terms if term.pk in own[name]]
        return sorted(found, key=lambda term: -weights[name].get(term.pk, 0))

    affinity = sum(
        weights[name][term.pk] * factor
        for name, (relation, _, factor) in VOCABULARIES.items()
        for term in getattr(candidate, relation.field.name).all()
        if term.pk in weights[name]
    )
    return LikeMinded(
        organisation=candidate,
        score=round(affinity * (LED_BONUS if candidate.leadership in LED else 1.0), 2),
        shared_focus=shared(candidate.focus_areas.all(), "focus"),
        shared_target_groups=shared(candidate.target_groups.all(), "groups"),
        shared_levels=shared(candidate.levels.all(), "levels"),
        same_city=any(city.pk in places["cities"] for city in candidate.cities.all()),
        same_country=any(c.pk in places["countries"] for c in candidate.countries.all()),
    )
