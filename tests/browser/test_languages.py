"""The interface in other languages: a task in French on a desktop, the Arabic layout (right to
left) on a phone, and axe on every page type in French, German and Arabic."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.pages.test_languages import PAGES

from .conftest import open_context

pytestmark = pytest.mark.browser

# axe's findings that fail a page: moderate ones too.
BLOCKING_IMPACTS = {"moderate", "serious", "critical"}


def test_a_search_filtered_by_ticking_and_a_partner_in_french(page):
    page.goto("/fr/")
    search = page.get_by_role("search", name="Rechercher dans le répertoire")
    search.get_by_label("Rechercher dans le répertoire").fill("Athens health")
    search.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Résultats de recherche pour « Athens health »"
    )
    expect(page).to_have_url(re.compile(r"/fr/search/\?q=Athens\+health$"))

    section = page.get_by_role("region", name=re.compile(r"^Organisations \(\d+\)$"))
    section.get_by_role(
        "link", name=re.compile(r"^(Affiner ces organisations|Les \d+ organisations)")
    ).click()
    expect(page).to_have_url(re.compile(r"/fr/organisations/\?q=Athens\+health$"))

    # Ticking a box applies it at once, no button pressed.
    filters = page.get_by_role("form", name="Filtrer la liste")
    filters.get_by_role(
        "checkbox", name=re.compile(r"^Dirigée par des personnes réfugiées \(")
    ).check()
    expect(page).to_have_url(
        re.compile(r"/fr/organisations/\?q=Athens\+health&leadership=refugee-led$")
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Organisations dirigées par des personnes réfugiées correspondant à « Athens health »"
    )
    expect(page.locator("#result-count")).to_have_text(
        re.compile(r"^\s*\d+ organisations? trouvées?\s*$")
    )
    # The language switcher follows the filters.
    english = page.get_by_role("navigation", name="Langue").get_by_role("link", name="English")
    expect(english).to_have_attribute(
        "href", "/organisations/?q=Athens+health&leadership=refugee-led"
    )

    first = page.get_by_role("list", name="Organisations").locator(":scope > li").first
    expect(first).to_contain_text("Dirigée par des personnes réfugiées")
    name = first.get_by_role("heading", level=3).inner_text()
    first.get_by_role("link", name=name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page).to_have_url(re.compile(r"/fr/organisations/[-a-z0-9]+/$"))

    partners = page.get_by_role("region", name="Organisations proches")
    reasons = partners.locator("ol.cards > li .reasons").first.inner_text()
    assert reasons.startswith("Toutes deux travaillent sur : "), reasons

    page.get_by_role("navigation", name="Langue").get_by_role("link", name="English").click()
    expect(page).to_have_url(re.compile(r"/organisations/[-a-z0-9]+/$"))
    assert "/fr/" not in page.url
    expect(page.get_by_role("region", name="Like-minded organisations")).to_be_visible()


@pytest.fixture
def phone_390(browser, site_url):
    context = open_context(
        browser, site_url, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    yield context.new_page()
    context.close()


def right_edge_of_text(page, selector: str) -> float:
    return page.evaluate(
        """(selector) => {
            const range = document.createRange();
            range.selectNodeContents(document.querySelector(selector));
            return range.getBoundingClientRect().right;
        }""",
        selector,
    )


def test_the_arabic_layout_on_a_phone_runs_right_to_left(phone_390):
    phone = phone_390
    phone.goto("/ar/organisations/")
    html = phone.locator("html")
    expect(html).to_have_attribute("dir", "rtl")
    expect(html).to_have_attribute("lang", "ar")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    # Text starts at the right: the heading's text ends at the right margin (1rem).
    assert right_edge_of_text(phone, "main h1") == pytest.approx(390 - 16, abs=2)
    assert phone.evaluate("getComputedStyle(document.querySelector('main h1')).direction") == "rtl"

    filters = phone.get_by_role("form", name="تصفية القائمة")
    expect(filters).to_be_hidden()
    phone.get_by_role("button", name="عوامل التصفية", exact=True).tap()
    expect(filters).to_be_visible()
    box = filters.bounding_box()
    assert box["x"] == 0 and box["width"] == 390
    filters.locator("#facet-country").get_by_text(re.compile(r"^اعرض الكل \(\d+\)$")).tap()
    filters.get_by_role("checkbox", name=re.compile(r"^اليونان \(")).tap()
    filters.get_by_role("checkbox", name=re.compile(r"^يقودها لاجئون \(")).tap()

    # The three refugee-led organisations in Greece of the reports.
    show = filters.get_by_role("button", name="اعرض 3 نتائج")
    expect(show).to_be_visible()
    expect(phone).to_have_url(re.compile(r"/ar/organisations/\?country=GR&leadership=refugee-led$"))
    show.tap()
    expect(filters).to_be_hidden()
    expect(phone.get_by_role("heading", level=1)).to_have_text(
        "المنظمات التي يقودها لاجئون في اليونان"
    )
    results = phone.get_by_role("list", name="المنظمات").locator(":scope > li h3")
    expect(results).to_have_text(["Greek Forum of Refugees", "Humanity Crew", "Velos Youth"])
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert right_edge_of_text(phone, "#result-count") == pytest.approx(390 - 16, abs=2)


@pytest.fixture(scope="module")
def one_page(browser, site_url):
    """One browser page for every axe run of the module, to keep them fast."""
    context = open_context(browser, site_url)
    yield context.new_page()
    context.close()


def describe(violations) -> str:
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} at {[node['target'] for node in v['nodes']]}"
        for v in violations
    )


@pytest.mark.parametrize("language", ["fr", "de", "ar"])
def test_every_page_type_passes_axe_in_every_language(one_page, language):
    axe = Axe()
    failures = []
    for name, path in PAGES.items():
        response = one_page.goto(f"/{language}{path}")
        assert response.ok, f"/{language}{path} answered {response.status}"
        violations = axe.run(one_page).response["violations"]
        blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
        if blocking:
            failures.append(f"{name} (/{language}{path}):\n{describe(blocking)}")
    assert not failures, "\n".join(failures)
