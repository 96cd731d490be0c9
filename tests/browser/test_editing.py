"""An editor corrects a record in admin; a visitor's correction is published once approved."""

import pytest
from playwright.sync_api import expect

from .conftest import EDITOR

pytestmark = pytest.mark.browser


def sign_in(page):
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(EDITOR[0])
    page.get_by_label("Password").fill(EDITOR[1])
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()


def test_an_editor_edits_an_organisation_and_sees_it_on_its_public_page(page):
    sign_in(page)
    page.get_by_role("link", name="Organisations", exact=True).click()
    page.get_by_role("searchbox").fill("Islamophobia")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Documentation center against Islamophobia").click()

    page.get_by_label("Description").fill("Documents anti-Muslim racism in Austria.")
    page.get_by_label("Founded").fill("2014")
    page.locator("input[name=_continue]").first.click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    page.get_by_role("link", name="View on site").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Documentation center against Islamophobia"
    )
    expect(page.locator("main")).to_contain_text("Documents anti-Muslim racism in Austria.")


def test_a_visitors_correction_is_public_only_after_an_editor_approves_it(new_context):
    visitor = new_context().new_page()
    visitor.goto("/organisations/mosaico/")
    visitor.get_by_role("link", name="Suggest a correction").click()
    visitor.get_by_label("What is wrong, and what is right?").fill("Our website is missing.")
    visitor.get_by_label("Correct website").fill("https://mosaico.example.org")
    visitor.get_by_label("This is my organisation").check()
    visitor.get_by_label("Your email address").fill("member@example.net")
    visitor.get_by_role("button", name="Send to the editors").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Thank you")

    visitor.goto("/organisations/mosaico/")
    expect(visitor.locator("main")).not_to_contain_text("mosaico.example.org")

    editor = new_context().new_page()
    sign_in(editor)
    editor.goto("/admin/orgs/suggestion/?status__exact=pending")
    row = editor.locator("#result_list tbody tr", has_text="Mosaico")
    row.get_by_role("checkbox").check()
    editor.locator("select[name=action]").select_option("approve")
    editor.get_by_role("button", name="Go").click()
    expect(editor.locator(".messagelist")).to_contain_text("1 suggestion approved")

    visitor.reload()
    expect(visitor.get_by_role("link", name="https://mosaico.example.org")).to_be_visible()
    expect(visitor.locator("main")).to_contain_text("Suggestions from the public")
    expect(visitor.locator("main")).not_to_contain_text("member@example.net")


def test_an_editor_merges_two_organisations_keeping_the_duplicates_description(page):
    sign_in(page)
    page.goto("/admin/orgs/organisation/?countries__code__exact=AT")
    page.get_by_role("searchbox").fill("Community")
    page.get_by_role("button", name="Search").click()
    for name in ("Community Online Capacity Pool", "UNHCR Community Dialogue"):
        page.get_by_role("checkbox", name=f"Select this object for an action - {name}").check()
    page.locator("select[name=action]").select_option("merge_selected")
    page.get_by_role("button", name="Go").click()

    records = page.locator("#merge-records")
    expect(records).to_contain_text("Series of webinars for RLOs")
    expect(records).to_contain_text("Facebook group created by UNHCR in Austria")
    page.get_by_role("radio", name="Keep Community Online Capacity Pool").check()
    page.get_by_role("radio", name="Description of UNHCR Community Dialogue").check()
    page.get_by_label("Why (for the history)").fill("One UNHCR programme, listed twice")
    page.get_by_role("button", name="Merge into the chosen record").click()
    expect(page.locator(".messagelist")).to_contain_text(
        "Merged UNHCR Community Dialogue into Community Online Capacity Pool."
    )

    page.get_by_role("link", name="View on site").first.click()
    main = page.locator("main")
    expect(main).to_contain_text("Facebook group created by UNHCR in Austria")
    expect(main).not_to_contain_text("Series of webinars for RLOs")
