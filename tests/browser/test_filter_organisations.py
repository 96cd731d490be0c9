"""A visitor narrows the organisations to one country and one focus area, by ticking boxes
(the list follows at once, no button pressed) or, without JavaScript, with the submit button."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from .conftest import open_context

pytestmark = pytest.mark.browser

GERMANY = re.compile(r"^Germany \(\d+\)$")
INTEGRATION = re.compile(r"^Integration and inclusion in general \(\d+\)$")
HEADING = "Organisations in Germany working on integration and inclusion in general"


def expect_germans_working_on_integration(page):
    # 17 of Germany's 36 organisations work on integration in general (the five reports; G100
    # of the EPIM report's body among them).
    expect(page.locator("#result-count")).to_have_text(
        re.compile(r"^\s*17 organisations found, page 1 of 1\s*$|^\s*17 organisations found\s*$")
    )
    query = parse_qs(urlsplit(page.url).query)
    assert query == {"country": ["DE"], "focus": ["integration"]}
    expect(page.get_by_role("heading", level=1)).to_have_text(HEADING)
    assert page.title().startswith(HEADING)
    results = page.get_by_role("list", name="Organisations").locator(":scope > li")
    expect(results).to_have_count(17)
    expect(results.get_by_role("link", name="Refugee Radio Network")).to_be_visible()
    expect(results.get_by_role("link", name="Network for Refugee Voices")).to_be_visible()
    # Annex 2 places it in Brussels (line 626) and in Berlin (line 684): found in Germany too.
    expect(results.get_by_role("link", name="Diaspora Network Alliance")).to_be_visible()
    # Works on integration too, but only in Belgium (line 633).
    expect(results.get_by_role("link", name="Refugee Party")).to_have_count(0)
    for place in results.locator(".muted").all_inner_texts():
        assert "Germany" in place


def test_ticking_filters_updates_the_list_without_pressing_a_button(page):
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Organisations").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Organisations")
    page.evaluate("window.sameDocument = true")  # gone if the page were loaded again

    filters = page.get_by_role("form", name="Filter the list")
    expect(filters.get_by_role("button", name="Apply filters")).to_be_hidden()
    filters.get_by_role("checkbox", name=GERMANY).check()
    expect(page).to_have_url(re.compile(r"\?country=DE$"))
    expect(filters.get_by_role("checkbox", name=GERMANY)).to_be_focused()
    filters.get_by_role("checkbox", name=INTEGRATION).check()

    expect_germans_working_on_integration(page)
    assert page.evaluate("window.sameDocument") is True
    expect(filters.get_by_role("checkbox", name=INTEGRATION)).to_be_focused()


def test_choosing_a_sort_reorders_the_list_at_once(page):
    page.goto("/organisations/?country=DE")
    page.get_by_label("Sort by").select_option(label="Name, Z to A")
    expect(page).to_have_url(re.compile(r"\?country=DE&sort=-name$"))
    names = page.get_by_role("list", name="Organisations").locator(":scope > li h3")
    expect(names.first).not_to_have_text(re.compile(r"^A"))
    first, second = names.nth(0).inner_text(), names.nth(1).inner_text()
    assert first.casefold() >= second.casefold()


def test_the_back_button_returns_to_the_previous_filters(page):
    page.goto("/organisations/")
    filters = page.get_by_role("form", name="Filter the list")
    filters.get_by_role("checkbox", name=GERMANY).check()
    expect(page).to_have_url(re.compile(r"\?country=DE$"))
    page.go_back()
    expect(page).to_have_url(re.compile(r"/organisations/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Organisations")
    expect(filters.get_by_role("checkbox", name=GERMANY)).not_to_be_checked()


def test_without_javascript_the_submit_button_applies_the_filters_in_a_clean_url(browser, site_url):
    context = open_context(browser, site_url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/organisations/")
        filters = page.get_by_role("form", name="Filter the list")
        filters.get_by_role("checkbox", name=GERMANY).check()
        filters.get_by_role("checkbox", name=INTEGRATION).check()
        filters.get_by_role("button", name="Apply filters").click()
        # The form sends q= and sort= empty: the server redirects to the URL without them.
        expect(page).to_have_url(re.compile(r"/organisations/\?country=DE&focus=integration$"))
        expect_germans_working_on_integration(page)
    finally:
        context.close()
