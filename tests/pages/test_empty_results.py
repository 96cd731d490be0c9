"""An empty list suggests near alternatives, each with its count, instead of a blank."""

import re

import pytest

from tests.pages.test_list_queries import ORGANISATION_LIST_QUERIES
from tests.responses import result_count

pytestmark = pytest.mark.django_db


def alternatives(response):
    section = re.search(
        r'<ul class="alternatives"[^>]*>(.*?)</ul>', response.content.decode(), re.S
    )
    assert section, "no alternatives"
    return [
        (url.replace("&amp;", "&"), label, int(count))
        for url, label, count in re.findall(
            r'<a href="([^"]+)">([^<]+)</a> <span class="count">\((\d+) ', section.group(1)
        )
    ]


def test_an_empty_country_focus_and_leadership_suggests_other_countries(client):
    query = {"country": "EE", "focus": "housing", "leadership": "refugee-led"}
    response = client.get("/organisations/", query)
    assert response.status_code == 200
    assert result_count(response) == 0
    # No refugee-led organisation in Estonia works on housing; four do elsewhere. Estonia has
    # none on housing, and none refugee-led, so dropping either of those finds nothing.
    assert alternatives(response) == [
        ("?focus=housing&leadership=refugee-led", "Any country instead of Estonia", 4),
        ("?focus=housing&leadership=refugee-led&country=GR", "Greece instead of Estonia", 1),
        ("?focus=housing&leadership=refugee-led&country=PT", "Portugal instead of Estonia", 1),
        ("?focus=housing&leadership=refugee-led&country=SE", "Sweden instead of Estonia", 1),
    ]


def test_each_suggestion_leads_to_a_list_of_as_many_records_as_it_says(client):
    query = {"country": "EE", "focus": "housing", "leadership": "refugee-led"}
    for url, label, count in alternatives(client.get("/organisations/", query)):
        assert result_count(client.get("/organisations/" + url)) == count, label


def test_an_empty_network_list_suggests_dropping_or_changing_one_filter(client):
    response = client.get("/networks/", {"type": "informal-group", "country": "TR"})
    suggested = [(label, count) for url, label, count in alternatives(response)]
    assert suggested[:3] == [
        ("Any type of network instead of Informal group", 4),
        ("Any country instead of Türkiye", 3),
        ("Joint provision of corresponding services instead of Informal group", 2),
    ]
    assert ("Ireland instead of Türkiye", 3) in suggested


def test_an_empty_search_suggests_the_list_without_it(client):
    response = client.get(
        "/organisations/", {"q": "no organisation is called this", "country": "DE"}
    )
    suggested = alternatives(response)
    assert suggested[0] == (
        "?country=DE",
        "Without the search “no organisation is called this”",
        36,
    )


def test_an_empty_list_of_advocates_suggests_alternatives_too(client):
    response = client.get("/advocates/", {"country": "EE", "focus": "housing"})
    assert result_count(response) == 0
    labels = [label for url, label, count in alternatives(response)]
    assert "Any focus area instead of Housing and accommodation" in labels


def test_the_suggestions_cost_one_count_query_per_chosen_filter(client, django_assert_num_queries):
    query = {"country": "EE", "focus": "housing", "leadership": "refugee-led"}
    # The list's queries without the page's ids, its rows and their 3 prefetches (a count of 0
    # fetches no page), plus one count for each of the 3 chosen filters.
    with django_assert_num_queries(ORGANISATION_LIST_QUERIES - 5 + 3):
        client.get("/organisations/", query)


def test_a_country_without_organisations_suggests_those_working_across_europe(
    client, assert_cold_and_warm
):
    # Cold: the countries' counts (one per kind of record), the focus areas of its organisations
    # (none: no query for their names), advocates, networks, and one count of the organisations
    # at EU or global level. Warm: advocates, networks and that count.
    response = assert_cold_and_warm("/countries/IS/", 7, 3)
    content = response.content.decode()
    assert "holds no organisation in Iceland" in content
    assert '<a href="/organisations/?level=eu&amp;level=global">' in content
    count = int(re.search(r"at EU or global level</a> <span class=\"count\">\((\d+)", content)[1])
    # 56 organisations of the five reports work at EU or global level (fixtures/*.json).
    assert count == result_count(client.get("/organisations/", {"level": ["eu", "global"]})) == 56


def test_a_focus_without_organisations_suggests_the_focus_of_its_networks(
    client, assert_cold_and_warm
):
    # Cold: the focus, the focus areas' counts (one per kind of record), the countries of its
    # organisations (none: no query for their names), networks, and one query for the related
    # focus areas. Warm: the focus, networks and the related focus areas.
    response = assert_cold_and_warm("/focus/sports/", 7, 3)
    content = response.content.decode()
    # No organisation of the five reports works on sports; 8 ERASMI 2021 networks do.
    assert (
        "<p>0 organisations, 0 advocates and 8 networks work on sports and leisure.</p>" in content
    )
    assert "Near alternatives" in content
    # The focus areas of those networks that the most organisations work on (fixtures/*.json).
    assert alternatives(response) == [
        ("/focus/integration/", "Integration and inclusion in general", 62),
        ("/focus/labour-market/", "Labour market and employment", 24),
        ("/focus/education/", "Education and training", 22),
    ]
