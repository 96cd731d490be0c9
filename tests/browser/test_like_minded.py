"""From an organisation, a visitor finds a like-minded partner in another country."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_like_minded_partner_in_another_country_is_one_click_away(page):
    page.goto("/organisations/refugee-radio-network/")
    where = page.locator("dl.facts dt:text-is('Where') + dd")
    expect(where.get_by_role("link")).to_have_attribute("href", "/countries/DE/")

    like_minded = page.get_by_role("region", name="Like-minded organisations")
    like_minded.get_by_label("Only organisations in other countries").check()
    like_minded.get_by_role("button", name="Show").click()

    expect(page).to_have_url("/organisations/refugee-radio-network/?other_countries=1#like-minded")
    expect(like_minded.get_by_label("Only organisations in other countries")).to_be_checked()
    first = like_minded.locator("ol.cards > li").first.get_by_role("link")
    name = first.inner_text()
    first.click()

    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(where).not_to_contain_text("Germany")
