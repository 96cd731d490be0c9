"""A visitor narrows the organisations to one country and one focus area."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_filtering_by_country_and_focus_lists_only_that_countrys_organisations(page):
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Organisations").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Organisations")

    filters = page.get_by_role("form", name="Filter the list")
    country = filters.get_by_role("group", name="Country")
    country.get_by_role("checkbox", name=re.compile(r"^Germany \(\d+\)$")).check()
    focus = filters.get_by_role("group", name="Focus area")
    focus.get_by_role(
        "checkbox", name=re.compile(r"^Integration and inclusion in general \(\d+\)$")
    ).check()
    filters.get_by_role("button", name="Apply filters").click()

    # 16 of Germany's 33 organisations work on integration in general (the five reports).
    expect(page.locator("#result-count")).to_have_text(
        re.compile(r"^\s*16 organisations found\s*$")
    )
    query = parse_qs(urlsplit(page.url).query)
    assert query["country"] == ["DE"]
    assert query["focus"] == ["integration"]
    results = page.get_by_role("list", name="Organisations").locator(":scope > li")
    expect(results).to_have_count(16)
    expect(results.get_by_role("link", name="Refugee Radio Network")).to_be_visible()
    expect(results.get_by_role("link", name="Network for Refugee Voices")).to_be_visible()
    # Annex 2 places it in Brussels (line 626) and in Berlin (line 684): found in Germany too.
    expect(results.get_by_role("link", name="Diaspora Network Alliance")).to_be_visible()
    # Works on integration too, but only in Belgium (line 633).
    expect(results.get_by_role("link", name="Refugee Party")).to_have_count(0)
    for place in results.locator(".muted").all_inner_texts():
        assert "Germany" in place
