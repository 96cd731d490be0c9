"""A citation takes the reader to the published report; survey charts read on a phone."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from .conftest import open_context

pytestmark = pytest.mark.browser

PHONE_WIDTH = 390
SMALLEST_TEXT = 12  # px

# Every element that holds text of its own, with the size it is drawn at: SVG text at its
# computed size times the SVG's scale on screen.
RENDERED_TEXT_SIZES = """
() => {
  const sizes = [];
  for (const element of document.querySelectorAll("main *")) {
    const ownText = [...element.childNodes].some(
      (node) => node.nodeType === Node.TEXT_NODE && node.textContent.trim()
    );
    if (!ownText || element.closest("title, script, style")) continue;
    const box = element.getBoundingClientRect();
    if (!box.width && !box.height) continue;  // not drawn (closed details, hidden text)
    let size = parseFloat(getComputedStyle(element).fontSize);
    if (element instanceof SVGElement) size *= element.getScreenCTM().a;
    sizes.push([element.tagName.toLowerCase(), element.textContent.trim().slice(0, 40), size]);
  }
  return sizes;
}
"""


@pytest.fixture
def phone_390(browser, site_url):
    context = open_context(
        browser,
        site_url,
        viewport={"width": PHONE_WIDTH, "height": 844},
        is_mobile=True,
        has_touch=True,
    )
    yield context.new_page()
    context.close()


def test_a_citation_link_goes_to_the_published_report(page):
    page.goto("/networks/iq-netzwerk-sachsen-anhalt/")
    sources = page.locator("#sources + ul")
    link = sources.get_by_role("link", name="Network-based cooperation for migrant").first
    assert link.get_attribute("href") == "https://www.erasmi.info"
    # The site under test reaches no other host (see conftest): the request is the proof.
    with page.expect_request("https://www.erasmi.info/") as request:
        link.click(no_wait_after=True)
    assert request.value.is_navigation_request()


def test_a_report_page_links_to_the_report(page):
    page.goto("/sources/unhcr-2020/")
    link = page.get_by_role("link", name="Read the report")
    assert link.get_attribute("href").startswith("https://reliefweb.int/report/")


@pytest.mark.parametrize(
    "path", ["/surveys/epim-2019-mapping/", "/surveys/erasmi-2020-network-survey/"]
)
def test_a_survey_page_on_a_390_pixel_phone_has_no_text_under_12_pixels(phone_390, path):
    phone_390.goto(path)
    sizes = phone_390.evaluate(RENDERED_TEXT_SIZES)
    svg_text = [size for size in sizes if size[0] == "text"]
    assert len(svg_text) > 50, "the charts' text was not measured"
    small = [size for size in sizes if size[2] < SMALLEST_TEXT - 0.01]
    assert not small, small[:10]
    width = phone_390.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH


def test_a_survey_page_on_a_390_pixel_phone_passes_axe(phone_390):
    phone_390.goto("/surveys/epim-2019-mapping/")
    violations = Axe().run(phone_390).response["violations"]
    blocking = [v["id"] for v in violations if v["impact"] in {"serious", "critical"}]
    assert not blocking


def test_chart_bars_that_link_look_like_links_and_show_focus(phone_390):
    phone_390.goto("/surveys/epim-2019-mapping/")
    label = phone_390.locator("a.bar-link .bar-label").first
    assert "underline" in label.evaluate("e => getComputedStyle(e).textDecorationLine")
    link = phone_390.locator("a.bar-link").first
    link.focus()
    outline = link.evaluate("e => getComputedStyle(e).outlineStyle")
    assert outline == "solid"


BAR_WIDTHS = """
() => [...document.querySelectorAll("svg.bar-chart rect.bar")].map(
  (bar) => bar.getBoundingClientRect().width
)
"""


@pytest.mark.parametrize("path", ["/", "/surveys/"])
def test_a_bar_is_as_wide_in_arabic_as_in_english(page, path):
    if path == "/surveys/":
        page.goto(path)
        path = page.locator("main a[href^='/surveys/']").first.get_attribute("href")
    page.goto(path)
    english = page.evaluate(BAR_WIDTHS)
    page.goto(f"/ar{path}")
    assert page.locator("html").get_attribute("dir") == "rtl"
    arabic = page.evaluate(BAR_WIDTHS)
    assert english and max(english) > 100
    assert arabic == pytest.approx(english, abs=0.01)
