"""The home page's figures: migrant-, refugee- and diaspora-led organisations apart from public
bodies and others, unknown leadership last; and "unknown" listed last in facets and counts."""

import re

import pytest

from tests.responses import facet, result_count

pytestmark = pytest.mark.django_db


def figures(client):
    content = client.get("/").content.decode()
    section = re.search(r'<ul class="stats leadership-figures"[^>]*>(.*?)</ul>', content, re.S)
    return re.findall(r'<a href="([^"]+)"><strong>(\d+)</strong> ([^<]+)</a>', section.group(1))


def test_the_home_page_separates_led_organisations_from_public_bodies_and_others(client):
    # The 235 organisations of the five reports, each in exactly one group.
    assert [(label, int(count)) for url, count, label in figures(client)] == [
        ("migrant-led organisations", 55),
        ("refugee-led organisations", 40),
        ("diaspora-led organisations", 10),
        ("public bodies and international organisations", 50),
        ("other organisations", 19),
        ("organisations whose leadership is not known", 61),
    ]


def test_each_figure_links_to_the_list_of_exactly_those_organisations(client):
    for url, count, label in figures(client):
        response = client.get(url.replace("&amp;", "&"))
        assert response.status_code == 200, url
        assert result_count(response) == int(count), label


def test_unknown_leadership_is_the_last_leadership_facet_option(client):
    response = client.get("/organisations/")
    counts = facet(response, "leadership")
    # Unknown is the most common value (61, and public bodies), yet it comes last.
    assert counts["unknown"] == max(counts.values()) > 61
    assert list(counts)[-1] == "unknown"
    assert list(counts)[:-1] == sorted(list(counts)[:-1], key=lambda value: -counts[value])
    assert list(facet(response, "form"))[-1] == "unknown"


def test_unknown_leadership_is_the_last_group_of_the_counts_api(client):
    groups = client.get("/api/v1/stats/organisations/", {"group_by": "leadership"}).json()["groups"]
    counts = [group["count"] for group in groups]
    assert groups[-1]["value"] == "unknown"
    assert counts[-1] == max(counts)
