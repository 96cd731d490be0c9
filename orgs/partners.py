"""Like-minded organisations: partners worth contacting, best first, with the reasons in words.

A candidate must share at least one focus area. Each shared term weighs by how rare it is
among the published organisations (the square of its inverse document frequency), so that a
shared "LGBTIQ" or "deportation and detention" counts for much and a shared "migrants" for
little; focus areas weigh more than target groups, which weigh more than levels of work.
Migrant-, refugee- and diaspora-led organisations come first (their score is raised by
`LED_BONUS`), and at equal scores the same city, then the same country, comes before the
alphabet. The ranking runs in the database: one query of term frequencies per vocabulary and
one ranked query.
"""

import math
from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FloatField,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext, ngettext

from .models import Leadership, Organisation
from .selectors import public_organisations

LED = [Leadership.MIGRANT_LED, Leadership.REFUGEE_LED, Leadership.DIASPORA_LED]
LED_BONUS = 1.25
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
            levels = gettext(" and ").join(level.name.lower() for level in self.shared_levels)
            reasons.append(gettext("both work at %(levels)s level") % {"levels": levels})
        if self.same_city:
            reasons.append(gettext("in the same city"))
        elif self.same_country:
            reasons.append(gettext("in the same country"))
        return reasons


def names(terms, most: int | None = None) -> str:
    """ "a, b and c", or "a, b, c and 2 more" past `most` terms."""
    words = [term.name.lower() for term in terms]
    if most is not None and len(words) > most:
        more = len(words) - most
        words = [
            *words[:most],
            ngettext("%(count)s more", "%(count)s more", more) % {"count": more},
        ]
    if len(words) == 1:
        return words[0]
    return gettext("%(first)s and %(last)s") % {"first": ", ".join(words[:-1]), "last": words[-1]}


def term_weights(
    relation, field: str, ids: list[int], published: QuerySet, total: int
) -> dict[int, float]:
    """The weight of each of `ids`: its squared inverse frequency among the `total` published."""
    if not ids:
        return {}
    through = relation.through.objects.filter(organisation__in=published, **{f"{field}__in": ids})
    counts = dict(through.values_list(field).annotate(count=Count("organisation")))
    return {pk: math.log((1 + total) / (1 + counts.get(pk, 0))) ** 2 for pk in ids}


def shared_weight(relation, field: str, weights: dict[int, float]):
    """The summed weights of the terms in `weights` an organisation has (a subquery)."""
    if not weights:
        return Value(0.0)
    weight = Case(
        *[When(**{f"{field}_id": pk}, then=Value(value)) for pk, value in weights.items()],
        default=Value(0.0),
        output_field=FloatField(),
    )
    through = relation.through.objects.filter(
        organisation=OuterRef("pk"), **{f"{field}__in": list(weights)}
    )
    summed = through.values("organisation").annotate(total=Sum(weight)).values("total")
    return Coalesce(Subquery(summed, output_field=FloatField()), Value(0.0))


def like_minded(organisation: Organisation, other_countries: bool = False, limit: int = 10):
    """The organisations most worth contacting as partners of `organisation`, best first."""
    own = {
        name: [term.pk for term in getattr(organisation, relation.field.name).all()]
        for name, (relation, _, _) in VOCABULARIES.items()
    }
    if not own["focus"]:
        return []
    published = public_organisations()
    candidates = published.exclude(pk=organisation.pk)
    countries = [country.pk for country in organisation.countries.all()]
    cities = [city.pk for city in organisation.cities.all()]
    if other_countries and countries:
        candidates = candidates.exclude(countries__in=countries)
    focus_relation, focus_field, _ = VOCABULARIES["focus"]
    shares_focus = focus_relation.through.objects.filter(
        organisation=OuterRef("pk"), **{f"{focus_field}__in": own["focus"]}
    )
    total = published.count()
    weights = {
        name: term_weights(relation, field, own[name], published, total)
        for name, (relation, field, _) in VOCABULARIES.items()
    }
    score = sum(
        (
            shared_weight(relation, field, weights[name]) * Value(factor)
            for name, (relation, field, factor) in VOCABULARIES.items()
        ),
        Value(0.0),
    )
    ranked = (
        candidates.filter(Exists(shares_focus))
        .annotate(
            affinity=score,
            score=Case(
                When(leadership__in=LED, then=F("affinity") * Value(LED_BONUS)),
                default=F("affinity"),
                output_field=FloatField(),
            ),
            same_city=Exists(
                Organisation.cities.through.objects.filter(
                    organisation=OuterRef("pk"), city__in=cities
                )
            ),
            same_country=Exists(
                Organisation.countries.through.objects.filter(
                    organisation=OuterRef("pk"), country__in=countries
                )
            ),
        )
        .order_by("-score", "-same_city", "-same_country", "name")
        .prefetch_related("focus_areas", "target_groups", "levels", "countries", "cities")[:limit]
    )
    return [explained(candidate, own, weights) for candidate in ranked]


def explained(candidate: Organisation, own: dict, weights: dict) -> LikeMinded:
    def shared(terms, name):
        found = [term for term in terms if term.pk in own[name]]
        return sorted(found, key=lambda term: -weights[name].get(term.pk, 0))

    return LikeMinded(
        organisation=candidate,
        score=round(candidate.score, 2),
        shared_focus=shared(candidate.focus_areas.all(), "focus"),
        shared_target_groups=shared(candidate.target_groups.all(), "groups"),
        shared_levels=shared(candidate.levels.all(), "levels"),
        same_city=candidate.same_city,
        same_country=candidate.same_country,
    )
