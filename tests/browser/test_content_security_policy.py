"""Pages run under the Content-Security-Policy without a single refusal, Swagger UI included."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

# A page that would load or run something the policy forbids makes Chromium report it.
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


def violations_while_loading(page, path: str, ready) -> list[str]:
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.add_init_script(RECORD_VIOLATIONS)
    response = page.goto(path)
    assert response.status == 200
    assert "default-src 'self'" in response.headers["content-security-policy"]
    expect(ready(page)).to_be_visible()
    page.wait_for_load_state("networkidle")
    refused = [text for text in console if "Content Security Policy" in text]
    return refused + page.evaluate("window.cspViolations")


def test_the_home_page_runs_with_no_csp_violation(page):
    assert violations_while_loading(page, "/", lambda p: p.get_by_role("heading", level=1)) == []


def test_the_organisations_list_and_its_filter_script_run_with_no_csp_violation(page):
    ready = lambda p: p.get_by_role("heading", level=1)  # noqa: E731
    assert violations_while_loading(page, "/organisations/", ready) == []
    # filters.js ran (it marks the page as enhanced).
    expect(page.locator("html")).to_have_class("enhanced")


def test_swagger_ui_renders_the_api_with_no_csp_violation(page):
    ready = lambda p: p.locator(".swagger-ui .info .title")  # noqa: E731
    assert violations_while_loading(page, "/api/docs/", ready) == []
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Directory of migrant-led")
    expect(page.locator(".opblock").first).to_be_visible()  # the operations, from the schema


def test_a_record_page_with_its_json_ld_runs_with_no_csp_violation(page):
    # The JSON-LD is a data block, not a script the policy would have to allow.
    path = "/fr/organisations/new-communities-partnership/"
    assert violations_while_loading(page, path, lambda p: p.get_by_role("heading", level=1)) == []
    expect(page.locator('script[type="application/ld+json"]')).to_have_count(1)
