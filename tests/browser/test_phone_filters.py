"""On a 390 pixel wide phone the filters open from a "Filters" button over the results and
close with "Show N results"."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import open_context

pytestmark = pytest.mark.browser


@pytest.fixture
def phone_390(browser, site_url):
    context = open_context(
        browser, site_url, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    yield context.new_page()
    context.close()


def test_the_phone_filter_panel_opens_over_the_results_and_shows_n_results(phone_390):
    phone = phone_390
    phone.goto("/organisations/")
    filters = phone.get_by_role("form", name="Filter the list")
    expect(filters).to_be_hidden()
    open_button = phone.get_by_role("button", name="Filters", exact=True)
    expect(open_button).to_have_attribute("aria-expanded", "false")

    open_button.tap()
    expect(filters).to_be_visible()
    expect(open_button).to_have_attribute("aria-expanded", "true")
    box = filters.bounding_box()
    assert box["x"] == 0 and box["width"] == 390  # over the results, the whole screen wide
    # Greece is not among the six countries with the most organisations: under "Show all".
    filters.locator("#facet-country").get_by_text(re.compile(r"^Show all \d+$")).tap()
    filters.get_by_role("checkbox", name=re.compile(r"^Greece \(")).tap()
    # Each choice reloads the list with the panel open: the next tap waits for that page, or
    # it could land on the page being left (the seven organisations in Greece).
    expect(filters.get_by_role("button", name="Show 7 results")).to_be_visible()
    expect(phone).to_have_url(re.compile(r"\?country=GR$"))
    filters.get_by_role("checkbox", name=re.compile(r"^Refugee-led \(")).tap()

    # The refugee-led organisations in Greece of the reports.
    show = filters.get_by_role("button", name="Show 3 results")
    expect(show).to_be_visible()
    expect(phone).to_have_url(re.compile(r"\?country=GR&leadership=refugee-led$"))
    show.tap()

    expect(filters).to_be_hidden()
    expect(phone.get_by_role("button", name="Filters (2)")).to_be_focused()
    results = phone.get_by_role("list", name="Organisations").locator(":scope > li h3")
    expect(results).to_have_text(["Greek Forum of Refugees", "Humanity Crew", "Velos Youth"])
    heading = phone.get_by_role("heading", level=1)
    expect(heading).to_have_text("Refugee-led organisations in Greece")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


def test_the_sort_sits_beside_the_result_count_on_a_phone(phone_390):
    phone_390.goto("/organisations/")
    count = phone_390.locator("#result-count").bounding_box()
    sort = phone_390.get_by_label("Sort by").bounding_box()
    assert sort["y"] < count["y"] + count["height"] + 60  # the same bar, not the page's end


def test_escape_closes_the_filter_panel(phone_390):
    phone_390.goto("/organisations/")
    phone_390.get_by_role("button", name="Filters", exact=True).tap()
    filters = phone_390.get_by_role("form", name="Filter the list")
    expect(filters).to_be_visible()
    phone_390.keyboard.press("Escape")
    expect(filters).to_be_hidden()
