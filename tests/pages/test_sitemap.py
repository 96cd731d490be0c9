"""The sitemap (an index of paginated sections, each address in the four languages with its
alternates) and robots.txt, as a search engine reads them."""

import xml.etree.ElementTree as ET
from urllib.robotparser import RobotFileParser

import pytest

from orgs.models import Organisation
from orgs.pages.sitemaps import OrganisationSitemap

pytestmark = pytest.mark.django_db

HOST = "http://testserver"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
ORGANISATION = "/organisations/new-communities-partnership/"
SECTIONS = ["pages", "overviews", "organisations", "advocates", "networks"]


def parsed(response) -> ET.Element:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    return ET.fromstring(response.content)


def index_locations(response) -> list[str]:
    return [loc.text for loc in parsed(response).iter(f"{SITEMAP}loc")]


def addresses(response) -> dict[str, dict[str, str]]:
    """Each address of a sitemap with its alternates by language."""
    found = {}
    for url in parsed(response).iter(f"{SITEMAP}url"):
        alternates = {link.get("hreflang"): link.get("href") for link in url.iter(f"{XHTML}link")}
        found[url.find(f"{SITEMAP}loc").text] = alternates
    return found


def test_the_index_lists_every_section(client, django_assert_num_queries):
    # the overviews' four vocabularies; per kind of record, its latest change and its count
    with django_assert_num_queries(4 + 3 * 2):
        response = client.get("/sitemap.xml")
    assert index_locations(response) == [f"{HOST}/sitemap-{name}.xml" for name in SECTIONS]


def test_an_organisation_is_listed_in_each_language_with_its_alternates(
    client, django_assert_num_queries
):
    with django_assert_num_queries(2):  # the count, then the page's slugs and dates
        response = client.get("/sitemap-organisations.xml")
    found = addresses(response)
    # EPIM 2019 107, ERASMI 2021 48, Urban Academy 2018 36, Churchill 2018 23, UNHCR 2020 21.
    assert len(found) == 235 * 4
    alternates = {
        "en": HOST + ORGANISATION,
        "fr": f"{HOST}/fr{ORGANISATION}",
        "de": f"{HOST}/de{ORGANISATION}",
        "ar": f"{HOST}/ar{ORGANISATION}",
        "x-default": HOST + ORGANISATION,
    }
    for language in ("en", "fr", "de", "ar"):
        assert found[alternates[language]] == alternates


def test_the_networks_of_the_erasmi_compendium_are_listed(client):
    found = addresses(client.get("/sitemap-networks.xml"))
    assert len(found) == 23 * 4  # the 23 profiles of the ERASMI 2021 Appendix
    assert f"{HOST}/ar/networks/new-communities-partnership-ncp/" in found


def test_an_advocate_and_the_lists_and_overviews_are_listed(client):
    assert f"{HOST}/fr/advocates/abdul-azim-azad/" in addresses(
        client.get("/sitemap-advocates.xml")
    )
    pages = addresses(client.get("/sitemap-pages.xml"))
    assert f"{HOST}/de/organisations/" in pages and f"{HOST}/ar/" in pages
    assert pages[f"{HOST}/fr/"]["x-default"] == f"{HOST}/"
    overviews = addresses(client.get("/sitemap-overviews.xml"))
    for path in ("/countries/IE/", "/focus/housing/", "/sources/erasmi-2021/"):
        assert f"{HOST}/fr{path}" in overviews


def test_a_hidden_organisation_is_not_listed(client):
    Organisation.objects.filter(slug="new-communities-partnership").update(is_published=False)
    found = addresses(client.get("/sitemap-organisations.xml"))
    assert len(found) == 234 * 4
    assert HOST + ORGANISATION not in found


def test_a_large_section_is_paginated_and_each_page_read_alone(
    client, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(OrganisationSitemap, "limit", 100 * 4)
    section = f"{HOST}/sitemap-organisations.xml"
    listed = index_locations(client.get("/sitemap.xml"))
    assert [loc for loc in listed if "organisations" in loc] == [
        section,
        f"{section}?p=2",
        f"{section}?p=3",
    ]
    with django_assert_num_queries(2):
        last = addresses(client.get("/sitemap-organisations.xml", {"p": 3}))
    assert len(last) == 35 * 4
    pages = [set(addresses(client.get("/sitemap-organisations.xml", {"p": p}))) for p in (1, 2)]
    assert len(pages[0] | pages[1] | set(last)) == 235 * 4


@pytest.mark.parametrize("page", ["4", "0", "two"])
def test_a_page_beyond_the_section_is_not_found(client, monkeypatch, page):
    monkeypatch.setattr(OrganisationSitemap, "limit", 100 * 4)
    assert client.get("/sitemap-organisations.xml", {"p": page}).status_code == 404


def test_an_unknown_section_is_not_found(client):
    assert client.get("/sitemap-people.xml").status_code == 404


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_from_private_pages(
    client, settings, django_assert_num_queries
):
    settings.ADMIN_PATH = "editors-7f3a/"
    with django_assert_num_queries(0):
        response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert f"Sitemap: {HOST}/sitemap.xml" in text.splitlines()
    assert "editors-7f3a" not in text  # admin's address stays unknown to robots
    for rule in ("Disallow: /*/suggest/", "Disallow: /*/write/", "Disallow: /*.csv"):
        assert rule in text.splitlines()
    robots = RobotFileParser()
    robots.parse(text.splitlines())
    for path in ["/", ORGANISATION, "/fr/organisations/?country=IE", "/sitemap.xml", "/ar/"]:
        assert robots.can_fetch("*", HOST + path), path
    for path in [
        "/api/v1/organisations/",
        "/search/?q=housing",
        "/de/search/?q=housing",
        "/suggest/",
        "/fr/messages/confirm/a-token/",
        "/messages/stop/a-token/",
        "/listed/a-token/",
        "/ar/listed/record/",
    ]:
        assert not robots.can_fetch("*", HOST + path), path
