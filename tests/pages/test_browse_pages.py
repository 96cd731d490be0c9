"""Home, advocates, networks, countries, focus areas and reports pages."""

import re

import pytest

from orgs.models import Network
from tests.responses import listed, result_count

pytestmark = pytest.mark.django_db

# The numbers are counted in the fixtures (fixtures/*.json), where each record cites its report.


def test_home_shows_what_the_directory_holds_and_ways_in(client):
    response = client.get("/")
    assert response.status_code == 200
    content = response.content.decode()
    # EPIM 2019 107, ERASMI 2021 48, Urban Academy 2018 36, Churchill 2018 23, UNHCR 2020 21.
    assert '<a href="/organisations/"><strong>235</strong> organisations</a>' in content
    assert '<a href="/sources/"><strong>5</strong> reports</a>' in content
    assert 'role="search"' in content and 'name="q"' in content
    assert "<svg" in content and "Organisations by country" in content
    assert "/organisations/?leadership=refugee-led" in content
    assert "/focus/integration/" in content


def test_home_runs_a_fixed_number_of_queries(assert_cold_and_warm):
    # Cold: counts of organisations, advocates, networks and reports; the headline figures by
    # leadership (one query, conditional counts); countries and focus areas, each with one count
    # per kind of record; the map's organisations by city (one query, its coordinates with
    # it). Warm: the countries and the focus areas, their counts cached.
    assert_cold_and_warm("/", 15, 2)


def test_the_advocates_list_filters_by_country(client):
    response = client.get("/advocates/", {"country": "PT"})
    # EPIM 2019 Annex 2, Portugal: the 9 advocates of its Lisbon rows.
    assert result_count(response) == 9
    assert listed(response) == [
        f"/advocates/{slug}/"
        for slug in [
            "abdalla-ahmed-mohamed", "adam-labaran", "ana-paula-costa", "cyntia-de-paula",
            "ismail-haki", "md-enamul-hoque", "mubarak-hussein", "radwan-obai", "sabitri-shrestha",
        ]
    ]  # fmt: skip


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
        ("/countries/DE/", 14, 9),  # cold: the map's organisations by city too
        ("/focus/housing/", 11, 7),
        ("/sources/epim-2019/", 11, 8),
        ("/advocates/larry-macaulay/", 11, 11),  # with its aliases and networks
        ("/countries/", 4, 1),  # the countries, and a count per kind of record when cold
        ("/focus/", 4, 1),
        ("/sources/", 4, 1),
    ],
)
def test_overview_and_detail_pages_run_a_fixed_number_of_queries(
    assert_cold_and_warm, url, cold, warm
):
    assert assert_cold_and_warm(url, cold, warm).status_code == 200


# The 23 networks of the ERASMI 2021 compendium's Appendix, as its profiles classify them.
@pytest.mark.parametrize(
    "filters, expected",
    [
        ({"type": "informal-group"}, 3),  # the two Sligo projects and Narrative 4 Girls Stories
        ({"country": "TR"}, 4),  # two in Tuzla, Mahir Eller Projesi, Rebuilding the lives...
        ({"formalisation": "formal"}, 10),  # "Formal cooperation agreement"
        ({"focus": "housing"}, 7),
    ],
)
def test_the_networks_list_filters(client, filters, expected):
    response = client.get("/networks/", filters)
    assert result_count(response) == expected
    assert len(listed(response)) == expected


def test_the_networks_list_explains_the_seven_types(client):
    content = client.get("/networks/").content.decode()
    section = content.split("<h2>The seven network types</h2>")[1].split("</dl>")[0]
    # ERASMI 2021's seven types, each linked with the number of its 23 networks.
    assert re.findall(r'<dt><a href="\?type=([a-z-]+)">[^<]+</a> \((\d+)\)</dt>', section) == [
        ("non-state-integration-network", "5"),
        ("state-integration-network", "3"),
        ("project-consortium", "3"),
        ("inter-territorial-network", "1"),
        ("joint-provision-of-services", "3"),
        ("migrant-network", "5"),
        ("informal-group", "3"),
    ]
    assert "Joint provision of corresponding services" in section


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
    # the network with its type, 6 prefetches, memberships and their citations, citations;
    # its map's members by country and by city (cached after)
    with django_assert_num_queries(12):
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
    # 5 organisations and 7 advocates of EPIM 2019 Annex 2, 7 networks of ERASMI 2021.
    sentence = "5 organisations, 7 advocates and 7 networks work on housing and accommodation."
    assert sentence in response.content.decode()
    assert listed(response) == [
        "/organisations/alkompis-media/",
        "/organisations/bradford-city-of-sanctuary/",
        "/organisations/house-of-akina/",
        "/organisations/uniao-de-refugiados-em-portugal/",
        "/organisations/velos-youth/",
    ]
    assert client.get("/focus/knitting/").status_code == 404


def test_a_report_page_lists_what_came_from_it(client):
    response = client.get("/sources/churchill-2018/")
    # The 20 organisations of Appendix A (Berlin 6, Köln 5, Amsterdam 4, Brussels 5), and 4 the
    # body names: BFmF, the two federal associations of lines 257 and 267, and RISE.
    content = response.content.decode()
    assert "<h2>Organisations from this report (24)</h2>" in content
    assert len(listed(response)) == 24
    assert "Kölner Flüchtlingsrat" in content
    assert client.get("/sources/no-such-report/").status_code == 404


def test_the_reports_page_lists_the_five_reports(client):
    response = client.get("/sources/")
    assert sorted(listed(response)) == [
        "/sources/churchill-2018/",
        "/sources/epim-2019/",
        "/sources/erasmi-2021/",
        "/sources/unhcr-2020/",
        "/sources/urban-academy-2018/",
    ]


@pytest.mark.parametrize(
    "filters, expected",
    [
        # EPIM 2019 Annex 2, Greece, lines 694-699 (4), and Dionysia Lambiri (Urban Academy 2018,
        # Module 2, line 324).
        ({"city": "gr-athens"}, 5),
        ({"focus": "health"}, 19),  # rows of EPIM 2019 Annex 2
        ({"target_group": "roma"}, 1),  # Bernadett Varga, EPIM 2019 Annex 2, Belgium, line 627
        ({"level": "global"}, 22),  # rows of EPIM 2019 Annex 2 ("Global" or "All")
        ({"source": "urban-academy-2018"}, 37),  # every advocate the Urban Academy names
        # Every word must match: Larry Macaulay of Refugee Radio Network (EPIM 2019 Annex 2,
        # Germany, lines 685-687) only.
        ({"q": "Refugee Radio Network"}, 1),
    ],
)
def test_each_advocate_filter_selects_the_matching_advocates(client, filters, expected):
    response = client.get("/advocates/", filters)
    assert result_count(response) == expected
    assert len(listed(response)) == min(expected, 20)  # 20 a page
