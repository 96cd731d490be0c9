"""The map on a phone and a laptop: tapping Greece opens the organisations in Greece, whose own
map shows Greece's cities; axe finds nothing wrong with a map in any of the four languages."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.test_accessibility import BLOCKING_IMPACTS, describe

pytestmark = pytest.mark.browser

# A point of the map where Greece itself (not a city's dot over it) is what a tap reaches.
POINT_IN = """code => {
  const link = document.querySelector(`svg.map-drawing a[data-country="${code}"]`);
  const box = link.getBoundingClientRect();
  for (let row = 1; row < 40; row++) {
    for (let column = 1; column < 40; column++) {
      const x = box.left + box.width * column / 40, y = box.top + box.height * row / 40;
      if (document.elementFromPoint(x, y)?.closest("a") === link) return {x, y};
    }
  }
  return null;
}"""


def tap_country(page, code: str):
    page.locator(f'svg.map-drawing a[data-country="{code}"]').scroll_into_view_if_needed()
    point = page.evaluate(POINT_IN, code)
    assert point, f"no point of {code} is free to tap"
    page.mouse.click(point["x"], point["y"])


@pytest.mark.parametrize("viewport", ["page", "phone"])
def test_tapping_greece_on_the_home_map_lists_the_organisations_in_greece(viewport, request):
    page = request.getfixturevalue(viewport)
    page.goto("/")
    tap_country(page, "GR")
    expect(page).to_have_url(re.compile(r"/organisations/\?country=GR$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Greece")
    # The list's own map is zoomed to Greece, its cities named.
    expect(page.locator("svg.map-drawing text", has_text="Athens")).to_have_count(1)
    expect(page.get_by_role("list", name="Organisations").locator(":scope > li")).to_have_count(7)


def test_the_maps_table_is_the_keyboard_way_to_the_same_lists(page):
    page.goto("/")
    page.get_by_text("The map's numbers as a table").click()
    link = page.locator(".map-table").get_by_role("link", name="Greece", exact=True)
    link.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/organisations/\?country=GR$"))


@pytest.mark.parametrize("language", ["en", "fr", "de", "ar"])
def test_a_page_with_a_map_has_no_serious_accessibility_violation(page, language):
    prefix = "" if language == "en" else f"/{language}"
    page.goto(f"{prefix}/organisations/?country=GR")
    page.locator(".map-table summary").click()  # the table open, its links checked too
    results = Axe().run(page)
    blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, describe(blocking)
