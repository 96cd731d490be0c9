"""Like-minded organisations: the partner a person reading the reports would expect comes first.

The expectations are written from the reports, not from the ranking: organisations doing the
same rare work (LGBTIQ refugees, deportation and detention, Syrian reconstruction, refugee
media) should find each other before organisations that merely serve "migrants" too.
"""

import pytest

from orgs.models import Organisation
from orgs.selectors.partners import like_minded

pytestmark = pytest.mark.django_db


def partners_of(slug: str, **options) -> list[str]:
    return [
        match.organisation.slug
        for match in like_minded(Organisation.objects.get(slug=slug), **options)
    ]


@pytest.mark.parametrize(
    "slug, expected, within",
    [
        # Both work on deportation and detention (EPIM Annex 2; UNHCR 2020).
        ("finjan", "women-for-refugee-women", 1),
        # The two organisations working with LGBTIQ refugees and migrants.
        ("pride-equality-international", "eurasian-coalition-on-male-health", 3),
        # Syrian diaspora organisations working on peace-building and reconstruction.
        ("syrbanism", "syrian-cultural-institute", 3),
        # Refugee-led health work in the same city, Athens.
        ("humanity-crew", "velos-youth", 5),
        # Refugee and migrant media.
        ("alkompis-media", "refugee-radio-network", 5),
    ],
)
def test_the_partner_a_person_would_expect_is_near_the_top(slug, expected, within):
    assert expected in partners_of(slug)[:within]


def test_every_partner_shares_a_focus_area_and_says_so():
    organisation = Organisation.objects.get(slug="refugee-radio-network")
    own = set(organisation.focus_areas.values_list("pk", flat=True))
    matches = like_minded(organisation)
    assert matches
    for match in matches:
        assert own & {term.pk for term in match.organisation.focus_areas.all()}
        assert match.reasons[0].startswith("Both work on ")


def test_led_organisations_come_first_at_equal_affinity_and_ties_go_to_the_same_place():
    matches = like_minded(Organisation.objects.get(slug="humanity-crew"))
    scores = [match.score for match in matches]
    assert scores == sorted(scores, reverse=True)
    velos = next(match for match in matches if match.organisation.slug == "velos-youth")
    assert velos.same_city and "in the same city" in velos.reasons


def test_generic_terms_weigh_little():
    """Sharing only common target groups and a common focus scores below a rare shared focus."""
    finjan = like_minded(Organisation.objects.get(slug="finjan"))[0]
    radio = like_minded(Organisation.objects.get(slug="refugee-radio-network"))
    assert finjan.score > max(match.score for match in radio if not match.shared_focus[1:])


def test_a_long_list_of_shared_groups_is_cut_short():
    matches = like_minded(Organisation.objects.get(slug="humanity-crew"))
    groups = [reason for match in matches for reason in match.reasons if "work with" in reason]
    assert any(reason.endswith("more") for reason in groups)


def test_other_countries_only():
    for slug in partners_of("humanity-crew", other_countries=True):
        assert "GR" not in set(
            Organisation.objects.get(slug=slug).countries.values_list("code", flat=True)
        )


def test_a_hidden_organisation_is_nobodys_partner_and_the_ranking_fills_its_place():
    """The ranking's SQL joins `published()`'s own: what is public is said in one place."""
    before = partners_of("humanity-crew")
    assert len(before) == 10  # as many as asked for: another takes the hidden one's place
    hidden = Organisation.objects.get(slug=before[0])
    hidden.is_published = False
    hidden.save()
    after = partners_of("humanity-crew")
    assert hidden.slug not in after
    assert after[: len(before) - 1] == before[1:]
    assert len(after) == len(before)
