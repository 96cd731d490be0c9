""" "Match my list" on a phone with the keyboard alone: upload a list, choose a runner-up, and
download the list with the directory's columns; axe finds nothing serious on either step."""

import csv
import io

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.test_accessibility import BLOCKING_IMPACTS, describe

pytestmark = pytest.mark.browser

MATCHING_TIMEOUT = 60_000  # milliseconds: each row is matched while the page waits
LIST = "Organisation,Country\nIntegrationsrat Köln,Germany\nCaritasverband,Germany\n"


def assert_no_serious_violation(page, step: str):
    violations = Axe().run(page).response["violations"]
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, f"{step}:\n{describe(blocking)}"


def test_a_list_is_matched_and_downloaded_with_the_keyboard_on_a_phone(phone, tmp_path):
    sheet = tmp_path / "funders.csv"
    sheet.write_text(LIST, encoding="utf-8")
    phone.goto("/match-my-list/")
    assert_no_serious_violation(phone, "upload")

    phone.keyboard.press("Tab")
    phone.keyboard.press("Enter")  # the skip link, to the content
    phone.keyboard.press("Tab")
    expect(phone.get_by_label("Your list")).to_be_focused()
    with phone.expect_file_chooser() as chooser:
        phone.keyboard.press("Space")
    chooser.value.set_files(sheet)
    phone.keyboard.press("Tab")
    expect(phone.get_by_role("button", name="Find the matches")).to_be_focused()
    with phone.expect_navigation(timeout=MATCHING_TIMEOUT):
        phone.keyboard.press("Enter")

    first = phone.get_by_role("group", name="Row 2: Integrationsrat Köln")
    second = phone.get_by_role("group", name="Row 3: Caritasverband")
    expect(first.get_by_role("radio", name="Integrationsrat, Stadt Köln")).to_be_checked()
    expect(second.get_by_role("radio", name="None of these")).to_be_checked()
    assert_no_serious_violation(phone, "matches")

    phone.keyboard.press("Tab")
    phone.keyboard.press("Enter")  # the skip link again
    for _ in range(5):  # the two columns, "Match again", the first row's choice, the second's
        phone.keyboard.press("Tab")
    expect(second.get_by_role("radio", name="None of these")).to_be_focused()
    phone.keyboard.press("ArrowUp")  # the runner-up above "None of these"
    runner_up = second.get_by_role("radio", name="Caritasverband für das Bistum Magdeburg e.V.")
    expect(runner_up).to_be_checked()
    phone.keyboard.press("Tab")
    download_button = phone.get_by_role("button", name="Download my list with the matches")
    expect(download_button).to_be_focused()
    with phone.expect_download() as download:
        phone.keyboard.press("Enter")

    assert download.value.suggested_filename == "funders-matched.csv"
    text = download.value.path().read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert [row[:3] for row in rows] == [
        ["Organisation", "Country", "Directory id"],
        ["Integrationsrat Köln", "Germany", "integrationsrat-stadt-koeln"],
        ["Caritasverband", "Germany", "caritasverband-fur-das-bistum-magdeburg-ev"],
    ]
