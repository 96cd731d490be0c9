"""The like-minded ranking reads only the candidates that can still be among the best, and finds
the same partners, in the same order, as ranking every organisation sharing a focus area."""

import pytest

from orgs.models import Organisation
from orgs.selectors import partners
from orgs.selectors.partners import Bound, Ranked, Term, bounded

pytestmark = pytest.mark.django_db


def both_rankings(organisation: Organisation, other_countries: bool, limit: int):
    """(the bounded ranking's ids, every candidate's ranking's ids) of `organisation`."""
    own = {
        name: [term.pk for term in getattr(organisation, relation.field.name).all()]
        for name, (relation, _, _) in partners.VOCABULARIES.items()
    }
    weights = {
        name: partners.term_weights(relation.field.name, own[name])
        for name, (relation, _, _) in partners.VOCABULARIES.items()
    }
    places = {
        "countries": [country.pk for country in organisation.countries.all()],
        "cities": [city.pk for city in organisation.cities.all()],
    }
    elsewhere = bool(other_countries and places["countries"])
    arguments = (organisation, weights, places, elsewhere, limit)
    return partners.ranked_ids(*arguments), partners.every_candidate_ranked(*arguments)


@pytest.mark.parametrize(
    "probed, limit",
    [
        (partners.PROBED, 10),
        # A sample of a few, whose last found is far from the best: the bound is weak, and
        # still leaves out none of the best.
        (1, 2),
        (2, 5),
    ],
)
def test_every_organisation_gets_the_partners_of_ranking_every_candidate(
    monkeypatch, probed, limit
):
    monkeypatch.setattr(partners, "PROBED", probed)
    organisations = Organisation.objects.published().filter(focus_areas__isnull=False).distinct()
    compared = 0
    for organisation in organisations.prefetch_related(*partners.OWN_TERMS):
        for other_countries in (False, True):
            bounded_ids, every_ids = both_rankings(organisation, other_countries, limit)
            assert bounded_ids == every_ids, (organisation.slug, other_countries)
            compared += bool(every_ids)
    assert compared >= 250  # the reports' organisations with partners, at home and elsewhere


def term(vocabulary: str, pk: int, value: float, holders: int = 10) -> Term:
    return Term(vocabulary, pk, value, holders)


# V = 20: a candidate led and sharing all scores 25, one not led at most 20.
TERMS = [term("focus", 1, 12.0), term("focus", 2, 6.0), term("groups", 3, 2.0)]


def found(*scores, in_city=False, in_country=False) -> list[Ranked]:
    return [Ranked(pk, score, in_city, in_country) for pk, score in enumerate(scores, 1)]


def test_too_few_found_bound_nothing():
    assert bounded(TERMS, found(25.0, 25.0), limit=3) is None


def test_a_low_last_found_requires_no_term_but_one_of_the_heaviest():
    # 7.5 / 1.25 = 6: a candidate lacking any one term may still share 6 or more, one lacking
    # both focus areas shares 2 at most
    bound = bounded(TERMS, found(25.0, 7.5), limit=2)
    assert bound.required == []
    assert [t.pk for t in bound.any_of] == [1, 2]
    assert bound.weight == pytest.approx(6.0)


def test_the_terms_without_which_a_candidate_cannot_reach_the_last_found_are_required():
    # 17.5 / 1.25 = 14: lacking the focus of 12 caps the shared terms at 8; lacking the focus
    # of 6, at 14, which may still tie
    bound = bounded(TERMS, found(25.0, 17.5), limit=2)
    assert [t.pk for t in bound.required] == [1]
    assert [t.pk for t in bound.any_of] == [1]
    assert bound.weight == pytest.approx(14.0)
    assert not bound.led  # one not led and sharing all scores 20
    assert not (bound.city or bound.country or bound.city_or_country)


def test_past_what_one_not_led_can_score_only_the_led_remain():
    bound = bounded(TERMS, found(25.0, 22.5), limit=2)  # 18 of 20 shared, led
    assert [t.pk for t in bound.required] == [1, 2]  # lacking either: 14 or less
    assert bound.led
    assert not bound.city  # 22.5 is not the highest score there is: place decides nothing


@pytest.mark.parametrize(
    "in_city, in_country, expected",
    [
        (True, True, Bound([], [], 0.0, led=True, city=True, country=True)),
        (True, False, Bound([], [], 0.0, led=True, city=True)),
        (False, True, Bound([], [], 0.0, led=True, city_or_country=True)),
        (False, False, Bound([], [], 0.0, led=True)),
    ],
)
def test_at_the_highest_score_the_best_come_no_later_by_place(in_city, in_country, expected):
    bound = bounded(TERMS, found(25.0, 25.0, in_city=in_city, in_country=in_country), limit=2)
    assert len(bound.required) == 3
    assert (bound.led, bound.city, bound.country, bound.city_or_country) == (
        expected.led,
        expected.city,
        expected.country,
        expected.city_or_country,
    )


def test_one_not_led_sharing_all_is_not_the_highest_score_however_few_the_terms():
    """With one term of 4, a candidate not led sharing it scores 4, within half the term's
    value of the highest score (5): the led elsewhere still come first."""
    bound = bounded([term("focus", 1, 4.0)], found(5.0, 4.0, in_city=True), limit=2)
    assert not bound.led
    assert not bound.city
