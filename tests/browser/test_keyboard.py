"""Keyboard users skip the navigation straight to the page's content."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_first_tab_reaches_a_visible_skip_link(page):
    page.goto("/")
    page.keyboard.press("Tab")

    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()


def test_skip_link_moves_focus_to_the_main_content(page):
    page.goto("/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")

    expect(page.get_by_role("main")).to_be_focused()
    # The next Tab continues inside the content, past the site navigation.
    page.keyboard.press("Tab")
    expect(page.get_by_label("Search organisations by name or topic")).to_be_focused()
