"""Which record a name from someone's list is: the candidates, their scores, and a match only
when one is clearly right (`orgs.selectors.matching`), on the reports' own names."""

import pytest

from orgs.models import Organisation
from orgs.selectors.matching import candidates_for

pytestmark = pytest.mark.django_db

AYAD = "afghan-youth-association-in-denmark"


def best(name: str, **given):
    found = candidates_for(name, **given)
    assert found, f"no candidate for {name!r}"
    return found[0]


def slugs(found) -> list[str]:
    return [candidate.record.slug for candidate in found]


def test_the_exact_name_is_a_clear_match_with_the_full_name_score():
    candidate = best("Afghan Youth Association in Denmark")
    assert (candidate.record.slug, candidate.score, candidate.match) == (AYAD, 85.0, True)


def test_an_alias_finds_its_organisation():
    candidate = best("AYAD")
    assert (candidate.record.slug, candidate.score, candidate.match) == (AYAD, 85.0, True)


def test_a_name_typed_without_accents_is_the_name_with_them():
    candidate = best("Reseau des Exiles en France")
    assert candidate.record.slug == "reseau-des-exiles-en-france"
    assert (candidate.score, candidate.match) == (85.0, True)


def test_a_misspelt_name_still_matches_its_organisation():
    candidate = best("Afgan Youth Asociation in Denmark")
    assert (candidate.record.slug, candidate.match) == (AYAD, True)
    assert 80 <= candidate.score < 85


def test_a_name_nobody_in_the_directory_bears_is_never_a_match():
    found = candidates_for("Refugee Council of Nowhere", country="Greece", city="Athens")
    assert not any(candidate.match for candidate in found)


def test_a_name_with_no_word_in_the_directory_has_no_candidate():
    assert candidates_for("Zzyzx Qwvpt") == []


def test_the_city_in_german_raises_the_score_of_the_organisation_there():
    alone = best("Koelner Fluechtlingsrat")
    in_city = best("Koelner Fluechtlingsrat", city="Köln")  # stored as "Cologne"
    assert alone.record.slug == in_city.record.slug == "koelner-fluechtlingsrat"
    assert in_city.score == alone.score + 5


def test_the_country_in_french_raises_the_score_and_another_country_lowers_it():
    alone = best("European Council on Refugees and Exiles")
    in_belgium = best("European Council on Refugees and Exiles", country="Belgique")
    in_greece = best("European Council on Refugees and Exiles", country="Grèce")
    assert (alone.score, in_belgium.score, in_greece.score) == (85.0, 90.0, 75.0)


def test_the_website_raises_the_score_whatever_its_scheme_or_www():
    found = best("European Council on Refugees and Exiles", website="http://ecre.org")
    assert found.score == 95.0


def test_two_organisations_of_like_names_are_candidates_but_neither_a_match():
    found = candidates_for("Caritasverband")
    assert slugs(found) == [
        "caritasverband-fur-das-dekanat-halberstadt",  # its alias "Caritas" is closer
        "caritasverband-fur-das-bistum-magdeburg-ev",
    ]
    assert [candidate.match for candidate in found] == [False, False]


def test_a_hidden_organisation_is_never_a_candidate():
    Organisation.objects.filter(slug=AYAD).update(is_published=False)
    assert AYAD not in slugs(candidates_for("Afghan Youth Association in Denmark"))


def test_advocates_and_networks_are_matched_among_their_own_kind():
    advocate = best("Zouhair El Hairan", kind="advocate")
    network = best("Eminent Network", kind="network")
    assert (advocate.record.slug, advocate.match) == ("zouhair-el-hairan", True)
    assert (network.record.slug, network.match) == ("eminent-network", True)


def test_the_limit_bounds_the_candidates():
    assert len(candidates_for("Refugee", limit=3)) == 3


def test_a_name_costs_four_queries_whatever_it_finds(django_assert_num_queries):
    with django_assert_num_queries(4):
        candidates_for("Refugee", country="Deutschland", city="Köln", website="x.org")
    with django_assert_num_queries(4):
        candidates_for("Afghan Youth Association in Denmark")


def test_a_name_that_shortlists_nothing_costs_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        candidates_for("Zzyzx Qwvpt")
