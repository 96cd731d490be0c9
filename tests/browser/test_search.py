"""A visitor searches: from the home page's box, and from the search box in every page's header."""

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_searching_a_name_from_the_home_page_finds_that_organisation(page):
    page.goto("/")
    page.get_by_label("Search organisations by name or topic").fill("Refugee Radio")
    # The header has a search box too: this is the home page's own.
    home_search = page.get_by_role("search", name="Search organisations")
    home_search.get_by_role("button", name="Search").click()

    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Organisations matching “Refugee Radio”")
    assert parse_qs(urlsplit(page.url).query)["q"] == ["Refugee Radio"]
    expect(page.get_by_label("Search", exact=True)).to_have_value("Refugee Radio")
    results = page.get_by_role("list", name="Organisations")
    expect(results.get_by_role("link", name="Refugee Radio Network")).to_be_visible()


def search_from_the_header(page, words):
    header_search = page.get_by_role("search", name="Search the directory")
    header_search.get_by_label("Search the directory").fill(words)
    header_search.get_by_label("Search the directory").press("Enter")


def test_searching_a_city_and_a_topic_from_the_header_puts_the_refugee_led_there_first(page):
    page.goto("/sources/")
    search_from_the_header(page, "Athens health")

    expect(page.get_by_role("heading", level=1)).to_have_text("Search results for “Athens health”")
    assert parse_qs(urlsplit(page.url).query)["q"] == ["Athens health"]
    organisations = page.get_by_role("list", name="Organisations found")
    cards = organisations.get_by_role("heading", level=3)
    expect(cards).to_have_text(["Humanity Crew", "Velos Youth"])
    expect(organisations.get_by_text("Refugee-led")).to_have_count(2)

    page.get_by_role("link", name="Narrow these organisations with filters").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Organisations matching “Athens health”"
    )
    expect(page.get_by_label("Search", exact=True)).to_have_value("Athens health")


def test_a_country_named_in_its_own_language_finds_its_organisations(page):
    page.goto("/organisations/")
    search_from_the_header(page, "Ελλάδα")

    expect(page.get_by_role("heading", level=1)).to_have_text("Search results for “Ελλάδα”")
    organisations = page.get_by_role("list", name="Organisations found")
    expect(organisations.get_by_role("link", name="Greek Forum of Refugees")).to_be_visible()
    expect(organisations.get_by_role("heading", level=3)).to_have_count(7)


def test_a_name_typed_without_its_accents_is_found(page):
    page.goto("/")
    search_from_the_header(page, "Kolner Fluchtlingsrat")

    organisations = page.get_by_role("list", name="Organisations found")
    expect(organisations.get_by_role("link", name="Kölner Flüchtlingsrat")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("1 organisation")


def test_the_header_search_works_on_a_phone(phone):
    phone.goto("/networks/")
    box = phone.get_by_role("search", name="Search the directory").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360  # fits the screen
    search_from_the_header(phone, "Deutschland")

    expect(phone.get_by_role("heading", level=1)).to_have_text("Search results for “Deutschland”")
    # The 36 organisations in Germany: the best ten here, all of them in the list.
    phone.get_by_role("link", name="All 36 organisations found, with filters").click()
    expect(phone.locator("#result-count")).to_contain_text("36 organisations found")
