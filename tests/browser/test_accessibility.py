"""axe-core finds no moderate, serious or critical accessibility violation on the main pages."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

BLOCKING_IMPACTS = {"moderate", "serious", "critical"}

PAGES = {
    "home": "/",
    "organisations": "/organisations/",
    "organisations-filtered": "/organisations/?country=GR&leadership=refugee-led",
    "organisations-page-6": "/organisations/?page=6",
    "organisations-empty": "/organisations/?country=EE&focus=housing&leadership=refugee-led",
    "organisation": "/organisations/refugee-radio-network/",
    "advocate": "/advocates/abdalla-ahmed-mohamed/",
    "network": "/networks/magnet-network/",
    "surveys": "/surveys/",
    "survey-epim-2019": "/surveys/epim-2019-mapping/",
    "survey-erasmi-2020": "/surveys/erasmi-2020-network-survey/",
    "survey-urban-academy-2018": "/surveys/urban-academy-2018-dilemmas/",
    "survey-unhcr-2020": "/surveys/unhcr-2020-rlo-mapping/",
    "country": "/countries/DE/",
    "focus-area": "/focus/integration/",
    "focus-area-empty": "/focus/sports/",
    "country-empty": "/countries/IS/",
    "report": "/sources/epim-2019/",
    "networks": "/networks/",
    "networks-empty": "/networks/?type=informal-group&country=TR",
    "advocates": "/advocates/?country=de",
    "suggest-an-organisation": "/suggest/",
    "suggest-a-correction": "/organisations/refugee-radio-network/suggest/",
    "search-results": "/search/?q=Athens+health",
    "search-without-a-query": "/search/",
}


@pytest.fixture(scope="module")
def axe():
    return Axe()


def describe(violations):
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"    {node['target']}: {summary}")
    return "\n".join(lines)


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_page_has_no_serious_accessibility_violation(page, axe, path):
    response = page.goto(path)
    assert response.ok, f"{path} answered {response.status}"

    violations = axe.run(page).response["violations"]

    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, f"{path}:\n{describe(blocking)}"


LIST_PAGES = {
    "organisations": "/organisations/",
    "organisations-filtered": "/organisations/?country=GR&leadership=refugee-led&sort=country",
    "organisations-empty": "/organisations/?country=EE&focus=housing&leadership=refugee-led",
    "advocates": "/advocates/?country=de",
    "networks": "/networks/",
}


@pytest.mark.parametrize("path", LIST_PAGES.values(), ids=LIST_PAGES.keys())
def test_list_page_on_a_phone_has_no_serious_violation_with_the_filters_closed_or_open(
    phone, axe, path
):
    response = phone.goto(path)
    assert response.ok, f"{path} answered {response.status}"
    closed = axe.run(phone).response["violations"]
    blocking = [v for v in closed if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, f"{path}, filters closed:\n{describe(blocking)}"

    phone.get_by_role("button", name=re.compile(r"^Filters")).tap()
    expect(phone.get_by_role("form", name="Filter the list")).to_be_visible()
    opened = axe.run(phone).response["violations"]
    blocking = [v for v in opened if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, f"{path}, filters open:\n{describe(blocking)}"


def test_the_api_documentation_has_no_accessibility_violation_open_or_tried_out(page, axe):
    """Swagger UI, once it has drawn the operations from the schema: with the counts open
    (their filters, closed sets of values and example), then tried out and answered."""
    response = page.goto("/api/docs/")
    assert response.ok
    counts = page.locator("#operations-stats-v1_stats_organisations")
    counts.get_by_role("button", name=re.compile("Organisations counted by group")).click()
    as_csv = "/api/v1/stats/organisations/?group_by=country&format=csv"
    expect(counts.get_by_role("link", name=as_csv)).to_be_visible()
    violations = axe.run(page).response["violations"]
    assert not violations, f"/api/docs/, the counts open:\n{describe(violations)}"

    counts.get_by_role("button", name="Try it out").click()
    counts.get_by_label("group_by", exact=True).select_option("country")
    counts.get_by_role("button", name="Execute").click()
    expect(counts.locator(".live-responses-table")).to_contain_text("Germany")
    violations = axe.run(page).response["violations"]
    assert not violations, f"/api/docs/, the counts tried out:\n{describe(violations)}"
