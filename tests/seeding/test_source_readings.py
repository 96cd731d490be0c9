"""Readings of the reports that a review corrected, each checked against what the report says."""

import pytest
from django.db.models import Q

from orgs.models import Network, Organisation
from tests.seeding.test_citation_locators import cited_lines, seed_lines

pytestmark = pytest.mark.django_db

# The ERASMI profiles whose "Field(s) of action" tick "Culture and sports" (004_...txt lines
# 850, 919, 1294, 1344, 1807, 1866, 2072 and 2141).
CULTURE_AND_SPORTS = {
    "caritas-diakonie-zora-netzwerk-halberstadt",
    "integrationsnetzwerk-dortmund-lokal-willkommen",
    "newcomers-network-harz",
    "narrative-4-girls-stories",
    "orti-in-pace",
    "grupp-39",
    "tuzla-municipality-mother-child-education-centre",
    "tuzla-social-assistance-and-solidarity-platform",
}


def networks_in(focus: str) -> set[str]:
    return set(Network.objects.filter(focus_areas__slug=focus).values_list("slug", flat=True))


def test_every_network_that_ticked_culture_and_sports_is_in_both_fields_and_no_other_in_sports():
    assert networks_in("sports") == CULTURE_AND_SPORTS
    assert CULTURE_AND_SPORTS <= networks_in("culture")
    for network in Network.objects.filter(slug__in=CULTURE_AND_SPORTS):
        assert "culture and sports" in network.focus_raw.replace("&", "and").casefold()


def test_the_stadtteilmuetter_work_with_families_as_the_report_says():
    # "The Stadteilmütter focused on working with families" (001_...txt line 180).
    slug = "stadtteilmuetter-im-landesrahmenprogramm-neukoelln"
    organisation = Organisation.objects.get(slug=slug)
    assert [group.slug for group in organisation.target_groups.all()] == ["families"]
    assert "working with families" in seed_lines("churchill-2018")[180 - 1]
    assert organisation.target_groups_raw == "The Stadteilmütter focused on working with families"


def test_the_city_of_turin_cites_the_line_its_description_comes_from():
    organisation = Organisation.objects.get(slug="city-of-turin")
    (citation,) = organisation.citations.filter(source__key="urban-academy-2018")
    assert cited_lines(citation.locator) == [344, 348]
    assert "Communities round tables" in organisation.description
    assert "“Communities round tables”" in seed_lines("urban-academy-2018")[348 - 1]


def test_the_humanaid_address_is_the_lithuania_snapshot_entrys_not_an_organisation():
    address = "https://www.facebook.com/HumanaidLT/community/?ref=page_internal"
    assert seed_lines("unhcr-2020")[198 - 1].strip() == address
    artscape = Organisation.objects.get(slug="artscape")
    assert artscape.website == address
    (citation,) = artscape.citations.all()
    assert 198 in cited_lines(citation.locator)
    assert "Lithuania" in citation.locator
    assert not Organisation.objects.filter(
        Q(name__icontains="humanaid") | Q(aliases__name__icontains="humanaid")
    ).exists()


# Organisations named only in a report's body, which its text calls migrant-led, refugee-led,
# migrant organisations or a self-organised group (fixtures/source/README.md, "Which bodies get
# a record"): slug -> (report, leadership, a line cited, the report's words on that line).
BODY_ONLY = {
    "syrian-volunteers-in-the-netherlands": (
        "epim-2019", "refugee-led", 46, "the refugee-led organisation Syrian Volunteers"
    ),
    "g100-new-voices-for-europe": ("epim-2019", "migrant-led", 558, "a grassroots migrant network"),
    "begegnungs-und-fortbildungszentrum-muslimischer-frauen": (
        "churchill-2018", "migrant-led", 186, "led by migrant and refugee communities themselves"
    ),
    "bundesverband-netzwerke-von-migrantenorganisationen": (
        "churchill-2018", "migrant-led", 267, "migrant organisations (such as Bv NeMo"
    ),
    "bundesverband-russischsprachiger-eltern": (
        "churchill-2018", "migrant-led", 267, "or BVRE - *Bundesverband russischsprachiger Eltern*"
    ),
    "rise-refugee-ideas-and-solutions-for-europe": (
        "churchill-2018", "migrant-led", 269, "the self-organised group RISE"
    ),
}  # fmt: skip


@pytest.mark.parametrize("slug", sorted(BODY_ONLY))
def test_a_body_that_the_report_calls_migrant_or_refugee_led_has_a_record_with_its_words(slug):
    report, leadership, line, words = BODY_ONLY[slug]
    assert words in seed_lines(report)[line - 1]
    organisation = Organisation.objects.get(slug=slug)
    (claim,) = organisation.leadership_claims.filter(source__key=report)
    assert claim.leadership == leadership
    assert line in cited_lines(claim.locator)
    assert words.replace("*", "").split(" (such")[0].casefold() in claim.quote.casefold()
    assert organisation.leadership == leadership


def test_the_body_only_organisations_are_these_six():
    body_only = Organisation.objects.exclude(
        Q(citations__locator__startswith="Annex 2")
        | Q(citations__locator__startswith="Appendix A")
        | Q(citations__source__key__in=["urban-academy-2018", "unhcr-2020", "erasmi-2021"])
    )
    assert set(body_only.values_list("slug", flat=True)) == set(BODY_ONLY)
