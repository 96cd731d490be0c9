"""Issue 14's test of a new user on a phone: search, open a refugee-led organisation, and reach a
partner in another country for a reason beyond "migrants"."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_athens_health_to_a_partner_abroad_on_a_phone(phone):
    phone.goto("/")
    search = phone.get_by_role("search", name="Search the directory")
    search.get_by_label("Search the directory").fill("Athens health")
    search.get_by_label("Search the directory").press("Enter")

    organisations = phone.get_by_role("list", name="Organisations found")
    first = organisations.locator("li").first
    expect(first).to_contain_text("Refugee-led")
    name = first.get_by_role("heading", level=3).inner_text()
    first.get_by_role("link", name=name).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(name)

    like_minded = phone.get_by_role("region", name="Like-minded organisations")
    like_minded.get_by_label("Only organisations in other countries").check()
    like_minded.get_by_role("button", name="Show").click()
    partner = like_minded.locator("ol.cards > li").first
    reasons = partner.locator(".reasons").inner_text()
    assert reasons.startswith("Both work on "), reasons
    shared_focus = reasons.removeprefix("Both work on ").split(";")[0]
    assert "migrants" not in shared_focus
    expect(partner).not_to_contain_text("Greece")

    partner_name = partner.get_by_role("heading", level=3).inner_text()
    partner.get_by_role("link", name=partner_name).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(partner_name)
