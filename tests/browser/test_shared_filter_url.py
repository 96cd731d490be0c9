"""A filtered list's URL, sent to someone else, opens the same list."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SHARED = "/organisations/?country=GR&leadership=refugee-led"
REFUGEE_LED_IN_GREECE = ["Greek Forum of Refugees", "Humanity Crew", "Velos Youth"]


def test_a_shared_filtered_url_opens_the_same_list_with_its_filters_shown(new_context):
    page = new_context().new_page()
    page.goto(SHARED)

    expect(page.locator("#result-count")).to_have_text(re.compile(r"^\s*3 organisations found\s*$"))
    results = page.get_by_role("list", name="Organisations").locator(":scope > li h3")
    expect(results).to_have_text(REFUGEE_LED_IN_GREECE)
    chips = page.locator(".active-filters")
    expect(chips.get_by_role("button")).to_have_count(2)
    expect(chips.get_by_role("button", name="Remove filter Country: Greece")).to_be_visible()
    expect(
        chips.get_by_role("button", name="Remove filter Leadership: Refugee-led")
    ).to_be_visible()
    filters = page.get_by_role("form", name="Filter the list")
    expect(filters.get_by_role("checkbox", name=re.compile(r"^Greece \("))).to_be_checked()
    expect(filters.get_by_role("checkbox", name=re.compile(r"^Refugee-led \("))).to_be_checked()


def test_removing_a_filter_chip_widens_the_list(new_context):
    page = new_context().new_page()
    page.goto(SHARED)

    page.get_by_role("button", name="Remove filter Leadership: Refugee-led").click()

    expect(page).to_have_url("/organisations/?country=GR")
    # All seven organisations in Greece, whatever their leadership.
    expect(page.locator("#result-count")).to_have_text(re.compile(r"^\s*7 organisations found\s*$"))
    chips = page.locator(".active-filters").get_by_role("button")
    expect(chips).to_have_count(1)
    expect(chips).to_have_accessible_name("Remove filter Country: Greece")
