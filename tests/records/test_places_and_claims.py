"""Where records are and who leads them, as the reports say it: every country, every claim."""

import pytest

from orgs.models import (
    Advocate,
    Affiliation,
    LeadershipClaim,
    Membership,
    Network,
    Organisation,
    OrganisationAlias,
    Source,
)
from orgs.seeding.registry import Registry
from orgs.services.leadership import summarise_leadership

pytestmark = pytest.mark.django_db


def codes(record) -> set[str]:
    return {country.code for country in record.countries.all()}


def listed(client, url, **filters) -> set[str]:
    page = client.get(url, filters).context["page"]
    slugs = {record.slug for record in page.object_list}
    for number in range(2, page.paginator.num_pages + 1):
        more = client.get(url, {**filters, "page": number}).context["page"]
        slugs |= {record.slug for record in more.object_list}
    return slugs


@pytest.mark.parametrize(
    "slug, countries",
    [
        # EPIM rows 626 (Brussels, Belgium) and 684 (Berlin, Germany)
        ("diaspora-network-alliance", {"BE", "DE"}),
        # EPIM rows 692 (Berlin, Germany) and 714 (Rome, Italy)
        ("network-for-refugee-voices", {"DE", "IT"}),
    ],
)
def test_a_record_the_reports_place_in_two_countries_is_found_under_both(client, slug, countries):
    organisation = Organisation.objects.get(slug=slug)
    assert codes(organisation) == countries
    for code in countries:
        assert slug in listed(client, "/organisations/", country=code)


@pytest.mark.parametrize(
    "slug, country, city",
    [
        # line 674, "Demande Asile ... . Stalin-grade connection Radio", Paris, France
        ("stalin-grade-connection-radio", "FR", "Paris"),
        # line 761, "UREP AND FÓRUM REFÚGIO PORTUGAL", Lisbon, Portugal
        ("forum-refugio-portugal", "PT", "Lisbon"),
    ],
)
def test_every_organisation_a_shared_cell_names_gets_the_rows_place(slug, country, city):
    organisation = Organisation.objects.get(slug=slug)
    assert codes(organisation) == {country}
    assert [c.name for c in organisation.cities.all()] == [city]


@pytest.mark.parametrize("model", [Organisation, Advocate, Network])
def test_cities_and_countries_agree(model):
    records = model.objects.prefetch_related("countries", "cities")
    assert records.exists()
    for record in records:
        for city in record.cities.all():
            assert city.country.code in codes(record), (record.slug, city.slug)


def claim(leadership, evidence, key, year, locator="l"):
    return LeadershipClaim(
        leadership=leadership,
        evidence=evidence,
        source=Source(key=key, year=year),
        locator=locator,
    )


def test_the_leadership_summary_is_the_strongest_claim_then_the_earliest_report():
    named = claim("refugee-led", "named-by-report", "unhcr-2020", 2020)
    self_described = claim("migrant-led", "self-described", "epim-2019", 2019)
    editorial = claim("not-migrant-led", "editorial", "churchill-2018", 2018)
    assert summarise_leadership([named, editorial, self_described]) == (
        "migrant-led",
        "self-described",
    )
    assert summarise_leadership([editorial, named]) == ("refugee-led", "named-by-report")
    later = claim("diaspora-led", "named-by-report", "erasmi-2021", 2021)
    assert summarise_leadership([later, named]) == ("refugee-led", "named-by-report")
    assert summarise_leadership([]) == ("unknown", "none")


def test_every_organisations_leadership_is_the_summary_of_its_claims():
    organisations = Organisation.objects.prefetch_related("leadership_claims__source")
    for organisation in organisations:
        expected = summarise_leadership(list(organisation.leadership_claims.all()))
        assert (organisation.leadership, organisation.leadership_evidence) == expected


def test_two_reports_make_two_claims_each_with_its_place():
    amsterdam = Organisation.objects.get(slug="city-of-amsterdam")
    claims = {(c.source.key, c.leadership) for c in amsterdam.leadership_claims.all()}
    assert claims == {
        ("churchill-2018", "not-migrant-led"),
        ("urban-academy-2018", "not-migrant-led"),
    }


def test_each_annex_row_that_self_describes_leadership_is_a_claim(client):
    alliance = Organisation.objects.get(slug="diaspora-network-alliance")
    locators = {c.locator for c in alliance.leadership_claims.all()}
    assert locators == {"Annex 2, Belgium, line 626", "Annex 2, Germany, line 684"}
    content = client.get(alliance.get_absolute_url()).content.decode()
    assert "Annex 2, Germany" in content and "Diaspora-led, self-described" in content
    assert "line 684" not in content


def test_an_alias_keeps_the_report_that_spelled_it():
    alias = OrganisationAlias.objects.get(
        organisation__slug="european-council-on-refugees-and-exiles", name="ECRE"
    )
    assert alias.source.key == "epim-2019"


def test_a_former_affiliation_says_so(client):
    # EPIM line 627: "(Former) Roma health Fund"
    affiliation = Affiliation.objects.get(
        advocate__slug="bernadett-varga", organisation__slug="roma-health-fund"
    )
    assert affiliation.is_current is False
    content = client.get(affiliation.advocate.get_absolute_url()).content.decode()
    assert "Roma health Fund</a> (former)" in content


def test_an_affiliation_and_a_membership_keep_every_citation_not_the_first():
    registry = Registry(vocabularies={}, reports=["epim-2019", "urban-academy-2018"])
    registry.affiliate("a-person", "an-organisation", "", "epim-2019", "Annex 2, line 1")
    registry.affiliate("a-person", "an-organisation", "Chair", "urban-academy-2018", "line 9")
    affiliation = registry.affiliations[("a-person", "an-organisation")]
    assert affiliation["role"] == "Chair"
    assert [c[:2] for c in affiliation["citations"]] == [
        ("epim-2019", "Annex 2, line 1"),
        ("urban-academy-2018", "line 9"),
    ]
    registry.add_member("a-network", "an-organisation", "member", "epim-2019", "line 2")
    registry.add_member("a-network", "an-organisation", "coordinator", "epim-2019", "line 3")
    membership = registry.memberships[("a-network", "an-organisation")]
    assert membership["role"] == "coordinator"
    assert len(membership["citations"]) == 2


def test_every_affiliation_and_membership_is_cited():
    for affiliation in Affiliation.objects.prefetch_related("citations"):
        assert affiliation.citations.all(), affiliation
    for membership in Membership.objects.prefetch_related("citations"):
        assert membership.citations.all(), membership


def test_network_aliases_are_records_that_search_finds(client):
    network = Network.objects.get(slug="a-misura-di-bambino")
    alias = network.aliases.get(name="A Misura di Bambino Percorsi di affido professionale di MSNA")
    assert alias.source.key == "erasmi-2021"
    response = client.get("/networks/", {"q": "Percorsi di affido"})
    assert [n.slug for n in response.context["page"].object_list] == [network.slug]
