"""A filtered list's title and heading say what is filtered."""

import re

import pytest

pytestmark = pytest.mark.django_db


def title_and_heading(client, url, query):
    content = client.get(url, query).content.decode()
    title = re.search(r"<title>(.*?) · Migrant-led Europe directory</title>", content).group(1)
    heading = re.search(r"<h1>(.*?)</h1>", content).group(1)
    return title, heading


@pytest.mark.parametrize(
    "url, query, expected",
    [
        ("/organisations/", {}, "Organisations"),
        (
            "/organisations/",
            {"leadership": "refugee-led", "country": "GR", "focus": "health"},
            "Refugee-led organisations in Greece working on health and healthcare",
        ),
        (
            "/organisations/",
            {"leadership": ["migrant-led", "diaspora-led"], "city": "de-berlin", "country": "DE"},
            "Migrant-led or diaspora-led organisations in Berlin, Germany",
        ),
        (
            "/organisations/",
            {"target_group": "women", "level": "eu", "source": "epim-2019"},
            "Organisations for migrant and refugee women at EU level named in "
            "Migrant-led advocacy across Europe",
        ),
        (
            "/organisations/",
            {"leadership": "unknown", "form": "public-authority"},
            "Organisations (Leadership: Unknown; Form: Public authority)",
        ),
        ("/advocates/", {"country": ["PT", "ES"]}, "Advocates in Portugal or Spain"),
        (
            "/networks/",
            {"type": "informal-group", "focus": "lgbtiq"},
            "Networks working on LGBTIQ+ rights and safety (Type of network: Informal group)",
        ),
    ],
)
def test_the_title_and_heading_name_the_filters(client, url, query, expected):
    assert title_and_heading(client, url, query) == (expected, expected)


def test_a_search_is_named_in_the_heading(client):
    title, heading = title_and_heading(client, "/organisations/", {"q": "radio"})
    assert heading == "Organisations matching “radio”"


def test_a_wrong_filter_keeps_the_plain_heading(client):
    title, heading = title_and_heading(client, "/organisations/", {"country": "XX"})
    assert (title, heading) == ("Organisations", "Organisations")
