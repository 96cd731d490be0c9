"""On a 360 pixel wide phone the pages fit the screen and the filters work."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PHONE_WIDTH = 360


@pytest.mark.parametrize(
    "path",
    ["/", "/organisations/", "/organisations/refugee-radio-network/"],
    ids=["home", "organisations", "organisation"],
)
def test_page_fits_a_phone_screen_without_sideways_scrolling(phone, path):
    response = phone.goto(path)
    assert response.ok, f"{path} answered {response.status}"
    scroll_width = phone.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= PHONE_WIDTH, f"{path} is {scroll_width}px wide on a 360px screen"


def test_filters_and_results_can_be_used_on_a_phone(phone):
    phone.goto("/organisations/")
    phone.get_by_role("button", name="Filters", exact=True).tap()
    filters = phone.get_by_role("form", name="Filter the list")
    search = filters.get_by_label("Search", exact=True)
    search.fill("refugee")
    search.press("Enter")
    filters.locator("#facet-country").get_by_text(re.compile(r"^Show all \d+$")).tap()
    filters.get_by_role("group", name="Country").get_by_role(
        "checkbox", name=re.compile(r"^Greece \(")
    ).tap()
    filters.get_by_role("button", name=re.compile(r"^Show \d+ results?$")).tap()

    expect(phone).to_have_url(re.compile(r"[?&]country=GR(&|$)"))
    results = phone.get_by_role("list", name="Organisations").locator(":scope > li")
    expect(results.first).to_be_visible()
    for place in results.locator(".muted").all_inner_texts():
        assert "Greece" in place
    first = results.first.get_by_role("link")
    box = first.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE_WIDTH
    name = first.inner_text()
    first.tap()
    expect(phone.get_by_role("heading", level=1)).to_have_text(name)
