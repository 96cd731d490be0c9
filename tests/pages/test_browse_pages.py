"""Home, advocates, networks, countries, focus areas and reports pages."""

import pytest

from orgs.models import Advocate, Network, Organisation

pytestmark = pytest.mark.django_db


def test_home_shows_what_the_directory_holds_and_ways_in(client):
    response = client.get("/")
    assert response.status_code == 200
    counts = response.context["counts"]
    assert counts["organisations"] == Organisation.objects.count()
    assert counts["reports"] == 5
    content = response.content.decode()
    assert 'role="search"' in content and 'name="q"' in content
    assert "<svg" in content and "Organisations by country" in content
    assert "/organisations/?leadership=refugee-led" in content
    assert "/focus/integration/" in content


def test_home_runs_a_fixed_number_of_queries(assert_cold_and_warm):
    # Cold: counts of organisations, advocates, networks and reports; the headline figures by
    # leadership (one query, conditional counts); countries and focus areas, each with one count
    # per kind of record. Warm: the countries and the focus areas, their counts cached.
    assert_cold_and_warm("/", 14, 2)


def test_the_advocates_list_filters_by_country(client):
    response = client.get("/advocates/", {"country": "PT"})
    page = response.context["page"]
    assert page.paginator.count == Advocate.objects.filter(countries="PT").count() > 0
    assert all(
        "PT" in {country.code for country in advocate.countries.all()}
        for advocate in page.object_list
    )


def test_the_advocates_list_rejects_an_unknown_focus(client):
    response = client.get("/advocates/", {"focus": "knitting"})
    assert response.status_code == 400
    assert b"Select a valid choice" in response.content


def test_the_advocate_page_shows_organisations_places_and_sources(client):
    response = client.get("/advocates/larry-macaulay/")
    content = response.content.decode()
    assert "Refugee Radio Network" in content
    assert "Hamburg" in content
    assert "Annex 2, Germany" in content
    assert "685" not in content


@pytest.mark.parametrize(
    "url, cold, warm",
    [
        ("/countries/DE/", 13, 9),
        ("/focus/housing/", 11, 7),
        ("/sources/epim-2019/", 11, 8),
        ("/advocates/larry-macaulay/", 10, 10),  # with its aliases
        ("/countries/", 4, 1),  # the countries, and a count per kind of record when cold
        ("/focus/", 4, 1),
        ("/sources/", 4, 1),
    ],
)
def test_overview_and_detail_pages_run_a_fixed_number_of_queries(
    assert_cold_and_warm, url, cold, warm
):
    assert assert_cold_and_warm(url, cold, warm).status_code == 200


@pytest.mark.parametrize(
    "filters, expected",
    [
        ({"type": "informal-group"}, {"type": "informal-group"}),
        ({"country": "TR"}, {"country": "TR"}),
        ({"formalisation": "formal"}, {"formalisation": "formal"}),
        ({"focus": "housing"}, {"focus": "housing"}),
    ],
)
def test_the_networks_list_filters(client, filters, expected):
    page = client.get("/networks/", filters).context["page"]
    lookups = {
        "type": "network_type__slug",
        "country": "countries",
        "formalisation": "formalisation",
        "focus": "focus_areas__slug",
    }
    name, value = next(iter(expected.items()))
    assert page.paginator.count == Network.objects.filter(**{lookups[name]: value}).count() > 0


def test_the_networks_list_explains_the_seven_types(client):
    response = client.get("/networks/")
    assert len(response.context["network_types"]) == 7
    assert b"Joint provision of corresponding services" in response.content


def test_the_network_page_shows_its_profile_coordinator_members_and_type(client):
    network = Network.objects.get(name="Grupp 39")
    response = client.get(network.get_absolute_url())
    content = response.content.decode()
    assert network.network_type.definition in content
    for membership in network.memberships.all():
        assert membership.organisation.get_absolute_url() in content
    assert "Appendix" in content


def test_the_network_page_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    url = Network.objects.get(name="EMINENT Network").get_absolute_url()
    # the network with its type, 6 prefetches, memberships and their citations, citations
    with django_assert_num_queries(10):
        client.get(url)


def test_a_country_page_lists_what_the_directory_holds_there(client):
    response = client.get("/countries/GR/")
    content = response.content.decode()
    assert "Greece" in content
    assert "Greek Forum of Refugees" in content
    assert "/organisations/?country=GR" in content


def test_a_country_code_in_lowercase_leads_to_the_country_and_an_unknown_one_is_not_found(client):
    assert client.get("/countries/gr/", follow=True).status_code == 200
    assert client.get("/countries/XX/").status_code == 404
    assert client.get("/countries/123/").status_code == 404


def test_a_country_without_organisations_says_so(client):
    response = client.get("/countries/IS/")
    assert response.status_code == 200
    assert b"holds no organisation in Iceland" in response.content


def test_the_focus_pages_list_areas_and_their_organisations(client):
    assert b"Housing and accommodation" in client.get("/focus/").content
    response = client.get("/focus/housing/")
    assert (
        response.context["organisation_count"]
        == Organisation.objects.filter(focus_areas__slug="housing").count()
    )
    assert client.get("/focus/knitting/").status_code == 404


def test_a_report_page_lists_what_came_from_it(client):
    response = client.get("/sources/churchill-2018/")
    assert (
        response.context["organisation_count"]
        == 20
        + Organisation.objects.filter(citations__source__key="churchill-2018")
        .exclude(citations__locator__startswith="Appendix A")
        .distinct()
        .count()
    )
    assert "Kölner Flüchtlingsrat" in response.content.decode()
    assert client.get("/sources/no-such-report/").status_code == 404


def test_the_reports_page_lists_the_five_reports(client):
    response = client.get("/sources/")
    assert len(response.context["sources"]) == 5


@pytest.mark.parametrize(
    "filters, lookup",
    [
        ({"city": "gr-athens"}, {"cities__slug": "gr-athens"}),
        ({"focus": "health"}, {"focus_areas__slug": "health"}),
        ({"target_group": "roma"}, {"target_groups__slug": "roma"}),
        ({"level": "global"}, {"levels__slug": "global"}),
        ({"source": "urban-academy-2018"}, {"citations__source__key": "urban-academy-2018"}),
        # Nour eihouda AL FADEL works with refugees and on radio: "Refugee Radio" finds her too.
        (
            {"q": "Refugee Radio Network"},
            {"organisations__name__icontains": "Refugee Radio Network"},
        ),
    ],
)
def test_each_advocate_filter_selects_the_matching_advocates(client, filters, lookup):
    page = client.get("/advocates/", filters).context["page"]
    expected = Advocate.objects.filter(**lookup).distinct().count()
    assert page.paginator.count == expected > 0
