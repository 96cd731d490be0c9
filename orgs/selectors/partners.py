"""Like-minded organisations: partners worth contacting, best first, with the reasons in words.

A candidate must share at least one focus area. Each shared term weighs by how rare it is
among the published organisations (the square of its inverse document frequency), so that a
shared "LGBTIQ" or "deportation and detention" counts for much and a shared "migrants" for
little; focus areas weigh more than target groups, which weigh more than levels of work.
Migrant-, refugee- and diaspora-led organisations come first (their score is raised by
`LED_BONUS`), and at equal scores the same city, then the same country, comes before the
alphabet. The ranking runs in the database, in one query: the link rows of the organisation's
own terms, weighted and summed per organisation (one GROUP BY per vocabulary), joined to the
organisations and their places. The term frequencies are the overview pages' cached counts (see
`overviews.record_counts`), and the partners found are cached until the directory changes.
"""

import math
from dataclasses import dataclass

from django.db import connection
from django.utils.translation import gettext, ngettext

from orgs import caching
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
# (relation, the through table's field naming the term, how much a shared term of it counts)
VOCABULARIES = {
    "focus": (Organisation.focus_areas, "focusarea", 3.0),
    "groups": (Organisation.target_groups, "targetgroup", 0.5),
    "levels": (Organisation.levels, "worklevel", 0.25),
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


def term_weights(relation: str, ids: list[int]) -> dict[int, float]:
    """The weight of each of `ids`: its squared inverse frequency among the published
    organisations, from the cached counts of the overview pages."""
    counts = overviews.record_counts(relation, ORGANISATIONS)["organisation"]
    total = overviews.organisation_total()
    return {pk: math.log((1 + total) / (1 + counts.get(pk, 0))) ** 2 for pk in ids}


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


def ranked_ids(organisation, weights: dict, places: dict, other_countries: bool, limit: int):
    """The ids of the best partners, best first: one query over the link tables of the shared
    terms (grouped by organisation), joined to the organisations and their places."""
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
            o.name
        LIMIT %s
    """
    params += cities + countries + [organisation.pk, *LED, LED_BONUS, limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [pk for (pk,) in cursor.fetchall()]


def like_minded(organisation: Organisation, other_countries: bool = False, limit: int = 10):
    """The organisations most worth contacting as partners of `organisation`, best first."""
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
    weights = {
        name: term_weights(relation.field.name, own[name])
        for name, (relation, _, _) in VOCABULARIES.items()
    }
    elsewhere = bool(other_countries and places["countries"])

    def partners():
        ids = ranked_ids(organisation, weights, places, elsewhere, limit)
        found = public_organisations().filter(pk__in=ids).prefetch_related(*OWN_TERMS)
        by_id = {candidate.pk: candidate for candidate in found}
        return [explained(by_id[pk], own, weights, places) for pk in ids if pk in by_id]

    # The partners with their terms, as read; their reasons are worded when shown.
    return caching.cached("like-minded-partners", (organisation.pk, elsewhere, limit), partners)


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
