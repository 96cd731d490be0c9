"""A visitor types a name into the home page's search box."""

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_searching_a_name_from_the_home_page_finds_that_organisation(page):
    page.goto("/")
    page.get_by_label("Search organisations by name or topic").fill("Refugee Radio")
    page.get_by_role("search").get_by_role("button", name="Search").click()

    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Organisations matching “Refugee Radio”")
    assert parse_qs(urlsplit(page.url).query)["q"] == ["Refugee Radio"]
    expect(page.get_by_label("Search", exact=True)).to_have_value("Refugee Radio")
    results = page.get_by_role("list", name="Organisations")
    expect(results.get_by_role("link", name="Refugee Radio Network")).to_be_visible()
