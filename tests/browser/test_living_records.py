"""Issue 26's pages in a real browser: the listed person's link and record, the "Write to …"
form and what follows it, the confirmed line, the filter of confirmed records and the editors'
dashboard of the listed have no serious accessibility violation in any language; a listed
person allows messages with the keyboard alone, and a visitor's message written on a phone
reaches them once the visitor confirmed their address; and no page the browser saw holds the
person's private address.

The state each page needs is made in the site's own database by the services (`site_shell`),
and mail goes out through the site's own worker to a real SMTP server on loopback.
"""

import json
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.conftest import EDITOR, open_context
from tests.browser.test_accessibility import BLOCKING_IMPACTS, describe

pytestmark = pytest.mark.browser

LANGUAGES = {"en": "", "fr": "/fr", "de": "/de", "ar": "/ar"}
# Abdul Azim Azad has a private address and works for the organisation below: his pages are
# the ones axe reads. Adam Labaran, also with a private address, goes through the whole loop.
READ_BY_AXE = "abdul-azim-azad"
HIS_ORGANISATION = "european-spokespersons-team-of-belgium-undocumented-people"
GOES_THROUGH_THE_LOOP = "adam-labaran"
VISITOR = {"name": "Amina Yusuf", "email": "amina@example.org"}
MESSAGE = "Hello, we run a refugee-led radio in Lyon and would like to work with you."
# More than the record page's fields and links: a focus never reached fails, not loops.
MOST_TABS = 400

# Two personal links (one only read, one opened), consent to messages, the organisation
# confirmed by him, and a message held for its sender's confirmation; printed as JSON.
PREPARE_PAGES = f"""
import json
from orgs.choices import MailKind
from orgs.models import Advocate, Organisation, OutgoingMail
from orgs.services import answers, invitations, relaying

advocate = Advocate.objects.get(slug={READ_BY_AXE!r})
organisation = Organisation.objects.get(slug={HIS_ORGANISATION!r})
to_read = invitations.send_notice(advocate)
to_open = invitations.send_notice(advocate)
answers.set_consent(advocate, True)
answers.confirm(advocate, organisation=organisation)
relaying.write_to(
    advocate,
    sender_name={VISITOR["name"]!r},
    sender_email="someone@example.org",
    body={MESSAGE!r},
    client="192.0.2.1",
)
check = OutgoingMail.objects.get(kind=MailKind.SENDER_CHECK, to_address="someone@example.org")
print(json.dumps({{
    "link_to_read": invitations.token_for(to_read),
    "link_to_open": invitations.token_for(to_open),
    "sender_check": check.body,
    "stop_url": relaying.stop_url(advocate),
    "private_address": advocate.personal_address.email,
}}))
"""
INVITE = f"""
from orgs.models import Advocate
from orgs.services import invitations

invitations.invite(Advocate.objects.filter(slug={GOES_THROUGH_THE_LOOP!r}))
"""
RUN_WORKER = "from tests.worker import run_worker; run_worker()"


def printed_json(output: str) -> dict:
    """The last line the shell printed (the shell itself may print before it)."""
    return json.loads(output.strip().splitlines()[-1])


def path_of(link: str, site_url: str) -> str:
    assert link.startswith(site_url + "/"), link
    return link.removeprefix(site_url)


def links_in(text: str, site_url: str, path: str) -> list[str]:
    return re.findall(re.escape(site_url) + re.escape(path) + r"\S+/", text)


@pytest.fixture(scope="module")
def axe():
    return Axe()


@pytest.fixture(scope="module")
def prepared(site_shell, site_url):
    state = printed_json(site_shell(PREPARE_PAGES))
    [confirm_link] = links_in(state["sender_check"], site_url, "/messages/confirm/")
    state["confirm_path"] = path_of(confirm_link, site_url)
    state["stop_path"] = path_of(state["stop_url"], site_url)
    return state


@pytest.fixture(scope="module")
def signed_in_to_his_record(browser, site_url, prepared):
    """The browser profile of the person once they opened their link: its cookies."""
    context = open_context(browser, site_url)
    page = context.new_page()
    page.goto(f"/listed/{prepared['link_to_open']}/")
    page.get_by_role("button", name="Open my record").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your record: Abdul Azim Azad")
    state = context.storage_state()
    context.close()
    return state


@pytest.fixture
def listed_page(browser, site_url, signed_in_to_his_record):
    context = open_context(browser, site_url, storage_state=signed_in_to_his_record)
    yield context.new_page()
    context.close()


def assert_accessible_and_private(page, axe, prepared, what: str):
    content = page.content()
    assert prepared["private_address"] not in content, f"{what} shows the private address"
    violations = axe.run(page).response["violations"]
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, f"{what}:\n{describe(blocking)}"


def open_page(page, path: str, status: int = 200):
    response = page.goto(path)
    assert response.status == status, f"{path} answered {response.status}"


language = pytest.mark.parametrize("prefix", LANGUAGES.values(), ids=LANGUAGES.keys())


@language
def test_the_personal_link_page_has_no_serious_violation(page, axe, prepared, prefix):
    open_page(page, f"{prefix}/listed/{prepared['link_to_read']}/")
    expect(page.locator("main form button")).to_be_visible()
    assert_accessible_and_private(page, axe, prepared, f"{prefix}/listed/<token>/")


@language
def test_the_record_page_has_no_serious_violation(listed_page, axe, prepared, prefix):
    open_page(listed_page, f"{prefix}/listed/record/")
    expect(listed_page.locator("#id_accepts")).to_be_checked()
    assert_accessible_and_private(listed_page, axe, prepared, f"{prefix}/listed/record/")


@language
def test_the_personal_link_page_once_the_link_was_used_has_no_serious_violation(
    page, axe, prepared, signed_in_to_his_record, prefix
):
    open_page(page, f"{prefix}/listed/{prepared['link_to_open']}/", status=410)
    expect(page.locator("main form button")).to_be_visible()  # "Send me a new link"
    assert_accessible_and_private(page, axe, prepared, f"{prefix}/listed/<used token>/")


@language
def test_the_record_page_without_the_link_has_no_serious_violation(page, axe, prepared, prefix):
    open_page(page, f"{prefix}/listed/record/", status=403)
    assert_accessible_and_private(page, axe, prepared, f"{prefix}/listed/record/, signed out")


@language
def test_the_record_page_once_a_choice_is_saved_has_no_serious_violation(
    listed_page, axe, prepared, prefix
):
    open_page(listed_page, f"{prefix}/listed/record/")
    listed_page.locator("form", has=listed_page.locator("#id_accepts")).locator(
        "button[type=submit]"
    ).click()
    expect(listed_page.get_by_role("status")).to_be_visible()
    assert_accessible_and_private(listed_page, axe, prepared, f"{prefix}/listed/record/, saved")


@language
def test_the_record_page_with_a_correction_refused_has_no_serious_violation(
    listed_page, axe, prepared, prefix
):
    open_page(listed_page, f"{prefix}/listed/record/")
    correction = listed_page.locator("form", has=listed_page.locator("#id_name"))
    correction.locator("#id_name").fill("")
    correction.locator("button[type=submit]").click()
    # The locator finds the form again in the page that answered (400, the form bound).
    expect(correction.locator(".errorlist")).to_be_visible()
    assert_accessible_and_private(
        listed_page, axe, prepared, f"{prefix}/listed/record/, the name left empty"
    )


@language
def test_a_consenting_advocate_s_page_with_the_write_to_form_has_no_serious_violation(
    page, axe, prepared, prefix
):
    open_page(page, f"{prefix}/advocates/{READ_BY_AXE}/")
    expect(page.locator("form.write-to-form")).to_be_visible()
    assert_accessible_and_private(page, axe, prepared, f"{prefix}/advocates/{READ_BY_AXE}/")


@language
def test_the_write_to_form_sent_empty_has_no_serious_violation(page, axe, prepared, prefix):
    open_page(page, f"{prefix}/advocates/{READ_BY_AXE}/write/")
    page.locator("form.write-to-form button[type=submit]").click()
    expect(page.locator("form.write-to-form .errorlist").first).to_be_visible()
    assert_accessible_and_private(page, axe, prepared, f"{prefix}/advocates/.../write/, empty")


@language
def test_the_check_your_mailbox_page_has_no_serious_violation(page, axe, prepared, prefix):
    open_page(page, f"{prefix}/messages/check-your-mailbox/")
    assert_accessible_and_private(page, axe, prepared, f"{prefix}/messages/check-your-mailbox/")


@language
def test_the_sender_s_confirmation_page_has_no_serious_violation(page, axe, prepared, prefix):
    open_page(page, prefix + prepared["confirm_path"])
    expect(page.locator("main form button")).to_be_visible()
    assert_accessible_and_private(page, axe, prepared, f"{prefix}/messages/confirm/<token>/")


@language
def test_the_stop_messages_page_has_no_serious_violation(page, axe, prepared, prefix):
    open_page(page, prefix + prepared["stop_path"])
    expect(page.locator("main form button")).to_be_visible()
    assert_accessible_and_private(page, axe, prepared, f"{prefix}/messages/stop/<token>/")


@language
def test_an_organisation_page_with_the_confirmed_line_has_no_serious_violation(
    page, axe, prepared, prefix
):
    open_page(page, f"{prefix}/organisations/{HIS_ORGANISATION}/")
    expect(page.locator("p.confirmed")).to_be_visible()
    assert_accessible_and_private(page, axe, prepared, f"{prefix}/organisations/.../")


@language
def test_the_list_of_confirmed_organisations_has_no_serious_violation(page, axe, prepared, prefix):
    open_page(page, f"{prefix}/organisations/?confirmed=true")
    expect(page.locator("#id_confirmed")).to_be_checked()
    assert_accessible_and_private(page, axe, prepared, f"{prefix}/organisations/?confirmed=true")


def test_the_editors_dashboard_of_the_listed_has_no_serious_violation(page, axe, prepared):
    open_page(page, "/admin/login/?next=/admin/listed/")
    page.get_by_label("Username").fill(EDITOR[0])
    page.get_by_label("Password").fill(EDITOR[1])
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The listed: invitations and answers")
    assert_accessible_and_private(page, axe, prepared, "/admin/listed/")


# The whole loop, the keyboard for the listed person, a phone for the visitor.


def tab_to(page, target, most: int = MOST_TABS) -> None:
    """Presses Tab until `target` has the focus, as a keyboard user moves through a page."""
    handle = target.element_handle()
    for _ in range(most):
        page.keyboard.press("Tab")
        if page.evaluate("element => document.activeElement === element", handle):
            return
    pytest.fail(f"{most} presses of Tab never reached {target}")


def test_a_listed_person_allows_messages_and_a_visitor_s_message_written_on_a_phone_reaches_them(
    new_context, phone, site_url, site_shell, smtp_server
):
    seen = []

    def remember(page):
        seen.append((page.url, page.content()))

    def run_worker():
        site_shell(RUN_WORKER, EMAIL_HOST="127.0.0.1", EMAIL_PORT=str(smtp_server.port))

    site_shell(INVITE)
    run_worker()
    # The worker sends whatever else the site queued before (other tests' mail) too.
    [(private_address, notice)] = [
        (address, message)
        for addresses, message in smtp_server.mailbox.received
        for address in addresses
        if message.get_content().startswith("Dear Adam Labaran,")
    ]
    [link] = links_in(notice.get_content(), site_url, "/listed/")

    listed = new_context().new_page()
    listed.goto(path_of(link, site_url))
    remember(listed)
    open_record = listed.get_by_role("button", name="Open my record")
    tab_to(listed, open_record)
    listed.keyboard.press("Enter")
    expect(listed.get_by_role("heading", level=1)).to_have_text("Your record: Adam Labaran")
    remember(listed)

    consent = listed.get_by_label("People may write to me through the directory")
    expect(consent).not_to_be_checked()
    tab_to(listed, consent)
    listed.keyboard.press("Space")
    expect(consent).to_be_checked()
    tab_to(listed, listed.get_by_role("button", name="Save my choice"))
    listed.keyboard.press("Enter")
    expect(listed.get_by_role("status")).to_have_text(
        "Saved: people may write to you through the directory."
    )
    expect(listed.get_by_label("People may write to me through the directory")).to_be_checked()
    remember(listed)

    phone.goto(f"/advocates/{GOES_THROUGH_THE_LOOP}/")
    remember(phone)
    form = phone.get_by_role("region", name="Write to Adam Labaran")
    form.get_by_label("Your name").fill(VISITOR["name"])
    form.get_by_label("Your email address").fill(VISITOR["email"])
    form.get_by_label("Your message").fill(MESSAGE)
    form.get_by_role("button", name="Send to Adam Labaran").tap()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Check your mailbox")
    remember(phone)

    run_worker()
    assert len(smtp_server.to(private_address)) == 1  # the notice: held until the visitor confirms
    [check] = smtp_server.to(VISITOR["email"])
    [confirm_link] = links_in(check.get_content(), site_url, "/messages/confirm/")
    phone.goto(path_of(confirm_link, site_url))
    remember(phone)
    phone.get_by_role("button", name="Confirm and send my message").tap()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Your message is on its way")
    remember(phone)

    run_worker()
    [_, relayed] = smtp_server.to(private_address)
    assert relayed["Reply-To"] == VISITOR["email"]
    assert MESSAGE in relayed.get_content()
    assert [url for url, content in seen if private_address in content] == []
