"""The notice reaches the listed person, and its personal link opens their own record, once,
and nothing else; a spent or expired link is refused with a clear page, and a new one can be
asked for. The person's own address appears on no page of the flow."""

import time
from datetime import timedelta

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from orgs.choices import AnswerKind, MailKind, SuggestionStatus
from orgs.models import Advocate, Invitation, ListedAnswer, Network, OutgoingMail, Suggestion
from orgs.services import erasure, invitations
from tests.servers import get, gunicorn
from tests.worker import run_worker

pytestmark = pytest.mark.django_db

SLUG = "abdulhamid-kwieder"


@pytest.fixture
def advocate():
    return Advocate.objects.get(slug=SLUG)


@pytest.fixture
def invitation(advocate):
    [(_, invitation)] = invitations.invite([advocate]).sent
    return invitation


def link_of(invitation) -> str:
    return reverse("orgs:listed_link", args=[invitations.token_for(invitation)])


@pytest.fixture
def signed_in(client, invitation):
    """The person opened their link: the client acts for their record."""
    client.post(link_of(invitation))
    return client


def test_the_notice_reaches_the_private_address_with_its_citation_and_link(
    smtp_server, advocate, invitation, settings
):
    run_worker()

    [message] = smtp_server.to(advocate.personal_address.email)
    body = message.get_content().replace("\r\n", "\n")
    assert message["Subject"] == (
        "You are listed in the Migrant-led Europe directory: what it holds and your choices"
    )
    assert (
        "- Migrant-led advocacy across Europe: challenges and opportunities (2019), "
        "Annex 2, Austria, line 623"
    ) in body
    assert "Organisations: Documentation center against Islamophobia\n" in body
    assert f"http://localhost:8000{link_of(invitation)}" in body
    assert "Article 6(1)(f)" in body
    assert "data-protection authority" in body
    assert "If you do nothing, nothing changes" in body
    assert advocate.personal_address.email not in body


def test_a_get_shows_whose_record_and_does_not_spend_the_link(client, invitation):
    response = client.get(link_of(invitation))

    assert response.status_code == 200
    assert "Abdulhamid Kwieder" in response.content.decode()
    assert response["Referrer-Policy"] == "same-origin"
    invitation.refresh_from_db()
    assert invitation.used_at is None


def test_posting_the_link_opens_that_record_with_a_new_session(client, invitation):
    client.get(link_of(invitation))
    before = client.session.session_key

    response = client.post(link_of(invitation))

    assert response.status_code == 302
    assert response["Location"] == "/listed/record/"
    assert client.session.session_key != before
    assert client.session.get_expiry_age() == 3 * 3600
    invitation.refresh_from_db()
    assert invitation.used_at is not None
    page = client.get("/listed/record/")
    assert page.status_code == 200
    assert "Your record: Abdulhamid Kwieder" in page.content.decode()


def test_a_used_link_is_refused_with_a_clear_page(client, invitation):
    client.post(link_of(invitation))

    for method in (client.get, client.post):
        response = method(link_of(invitation))
        assert response.status_code == 410
        assert "This link has been used" in response.content.decode()


def test_an_expired_link_is_refused_with_a_clear_page(client, invitation):
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )

    response = client.post(link_of(invitation))

    assert response.status_code == 410
    assert "This link has expired" in response.content.decode()
    assert SLUG not in client.session.get("listed", {}).values()


def test_a_tampered_link_is_refused(client, invitation):
    token = invitations.token_for(invitation)
    response = client.post(reverse("orgs:listed_link", args=[token[:-2] + "xx"]))
    assert response.status_code == 404
    assert "This link is not one the directory sent" in response.content.decode()


def test_a_link_with_another_invitation_s_id_is_refused(client, invitation):
    other = Invitation.objects.create(
        advocate=Advocate.objects.get(slug="adam-labaran"), expires_at=invitation.expires_at
    )
    signature = invitations.token_for(invitation).partition(":")[2]

    response = client.post(reverse("orgs:listed_link", args=[f"{other.pk}:{signature}"]))

    assert response.status_code == 404
    other.refresh_from_db()
    assert other.used_at is None


def test_a_link_signed_for_something_else_is_refused(client, invitation):
    token = signing.Signer(salt="another-purpose").sign(str(invitation.pk))
    response = client.get(reverse("orgs:listed_link", args=[token]))
    assert response.status_code == 404
    assert "This link is not one the directory sent" in response.content.decode()


def test_a_link_whose_record_was_erased_no_longer_opens_it(client, advocate, invitation):
    erasure.erase(advocate)

    response = client.post(link_of(invitation))

    assert response.status_code == 404
    assert "This link no longer opens a record" in response.content.decode()


def test_the_record_page_needs_an_opened_link(client):
    response = client.get("/listed/record/")
    assert response.status_code == 403
    assert "This page needs your personal link" in response.content.decode()


def test_the_record_page_reads_a_fixed_number_of_queries(signed_in, django_assert_num_queries):
    # The session; the record with its places, terms and citations; the invitation; the one
    # organisation the person works for with its places and terms; the consent; the choices of
    # the two correction forms.
    with django_assert_num_queries(20):
        response = signed_in.get("/listed/record/")
    assert response.status_code == 200


def test_confirming_through_the_page_dates_the_record(signed_in, advocate, invitation):
    response = signed_in.post("/listed/record/", {"action": "confirm"})

    assert response.status_code == 302
    advocate.refresh_from_db()
    assert advocate.confirmed_on == timezone.localdate()
    answer = ListedAnswer.objects.get(kind=AnswerKind.CONFIRMED)
    assert (answer.advocate, answer.invitation, answer.organisation) == (advocate, invitation, None)


def test_the_person_confirms_the_organisation_they_work_for(signed_in, advocate):
    organisation = advocate.affiliations.get().organisation

    signed_in.post("/listed/record/", {"action": "confirm", "organisation": organisation.pk})

    organisation.refresh_from_db()
    assert organisation.confirmed_on == timezone.localdate()
    assert ListedAnswer.objects.get(kind=AnswerKind.CONFIRMED).organisation == organisation


def test_a_form_naming_another_organisation_is_refused(signed_in, advocate):
    other = Advocate.objects.get(slug="adam-labaran").affiliations.get().organisation

    for action in ("confirm", "correct"):
        response = signed_in.post(
            "/listed/record/",
            {"action": action, "organisation": other.pk, "description": "Taken over."},
        )
        assert response.status_code == 403
    other.refresh_from_db()
    assert other.confirmed_on is None
    assert other.description != "Taken over."
    assert not ListedAnswer.objects.filter(kind=AnswerKind.CONFIRMED).exists()
    assert not Suggestion.objects.exists()


def test_consent_is_given_and_withdrawn_through_the_page(signed_in, advocate):
    signed_in.post("/listed/record/", {"action": "consent", "accepts": "on"})
    advocate.personal_address.refresh_from_db()
    assert advocate.personal_address.accepts_messages is True

    signed_in.post("/listed/record/", {"action": "consent"})
    advocate.personal_address.refresh_from_db()
    assert advocate.personal_address.accepts_messages is False
    kinds = ListedAnswer.objects.exclude(kind=AnswerKind.INVITED).order_by("at")
    assert list(kinds.values_list("kind", flat=True)) == ["consented", "withdrew"]


def test_a_removal_request_reaches_the_editors(signed_in, advocate, invitation):
    response = signed_in.post(
        "/listed/record/", {"action": "removal", "sure": "on", "message": "Please."}
    )

    assert response.status_code == 302
    request = Suggestion.objects.get()
    assert (request.advocate, request.invitation, request.is_own, request.status) == (
        advocate,
        invitation,
        True,
        SuggestionStatus.PENDING,
    )
    assert request.changes == {"removal": ["listed", "removed"]}
    assert "asks to be removed" in request.message
    assert request.message.endswith("Their words: Please.")
    assert ListedAnswer.objects.filter(kind=AnswerKind.REMOVAL, advocate=advocate).count() == 1


def test_a_removal_request_needs_the_box_ticked(signed_in):
    response = signed_in.post("/listed/record/", {"action": "removal"})
    assert response.status_code == 400
    assert "Tick the box to ask for removal." in response.content.decode()
    assert not Suggestion.objects.exists()


def test_signing_out_ends_the_session(signed_in):
    response = signed_in.post("/listed/record/", {"action": "sign-out"})
    assert "You are signed out" in response.content.decode()
    assert signed_in.get("/listed/record/").status_code == 403


def test_a_network_s_link_opens_the_network_s_record(client):
    network = Network.objects.get(slug="magnet-network")
    [(_, invitation)] = invitations.invite([network]).sent

    client.post(link_of(invitation))

    page = client.get("/listed/record/").content.decode()
    assert f"Your network's record: {network.name}</h1>" in page


def test_an_expired_link_gets_a_new_one_at_the_address_on_file(
    smtp_server, client, advocate, invitation
):
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    new_link = reverse("orgs:listed_new_link", args=[invitations.token_for(invitation)])

    response = client.post(new_link)
    run_worker()

    assert "a new link is on its way" in response.content.decode()
    messages = smtp_server.to(advocate.personal_address.email)
    assert len(messages) == 2
    renewed = Invitation.objects.filter(advocate=advocate).latest("created_at")
    assert renewed.mail.kind == MailKind.NEW_LINK
    assert link_of(renewed) in messages[1].get_content()


def test_asking_for_a_new_link_too_often_sends_no_more(client, advocate, invitation):
    client.post(link_of(invitation))
    new_link = reverse("orgs:listed_new_link", args=[invitations.token_for(invitation)])

    pages = {client.post(new_link).content for _ in range(5)}

    assert len(pages) == 1  # the same answer every time
    assert OutgoingMail.objects.filter(kind=MailKind.NEW_LINK).count() == 3


def test_a_new_link_for_an_unknown_token_says_the_same_and_sends_nothing(client):
    response = client.post(reverse("orgs:listed_new_link", args=["not-a-link"]))
    assert response.status_code == 200
    assert "a new link is on its way" in response.content.decode()
    assert not OutgoingMail.objects.exists()


def test_the_pages_speak_french(client, invitation):
    token = invitations.token_for(invitation)

    page = client.get(f"/fr/listed/{token}/")
    assert page.status_code == 200
    assert "Ouvrir ma fiche" in page.content.decode()

    client.post(f"/fr/listed/{token}/")
    record = client.get("/fr/listed/record/").content.decode()
    assert "Votre fiche : Abdulhamid Kwieder" in record
    assert "C’est exact" in record


def test_the_private_address_appears_in_no_page_of_the_flow(client, advocate, invitation):
    address = advocate.personal_address.email
    organisation = advocate.affiliations.get().organisation
    token = invitations.token_for(invitation)
    responses = [
        client.get(link_of(invitation)),
        client.post(link_of(invitation)),
        client.get("/listed/record/"),
        client.post("/listed/record/", {"action": "confirm"}),
        client.post("/listed/record/", {"action": "consent", "accepts": "on"}),
        client.post("/listed/record/", {"action": "correct", "name": "", "roles": "x"}),
        client.post(
            "/listed/record/",
            {"action": "correct", "organisation": organisation.pk, "email": "not an address"},
        ),
        client.get("/fr/listed/record/"),
        client.post("/listed/record/", {"action": "removal", "sure": "on"}),
        client.post("/listed/record/", {"action": "sign-out"}),
        client.get(link_of(invitation)),
        client.post(reverse("orgs:listed_new_link", args=[token])),
    ]
    for response in responses:
        seen = response.content.decode() + repr(sorted(response.items()))
        assert address not in seen


def test_a_personal_link_is_kept_out_of_the_logs(client, invitation, log_output):
    client.post(link_of(invitation))
    client.post(link_of(invitation))  # refused, and logged as such

    logged = log_output.getvalue()
    assert "Gone: /listed/<personal link>/" in logged
    assert invitations.token_for(invitation) not in logged


def test_the_server_s_access_lines_name_the_page_of_a_link_but_not_the_link(tmp_path):
    # A link the server refuses without reading the database, so an empty one does.
    env = {
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        "WEB_CONCURRENCY": "1",
    }
    with gunicorn(env, tmp_path) as (base, log):
        status = get(f"{base}/fr/listed/12:AbCdEfGh-secret/")[0]
        deadline = time.monotonic() + 5
        while "/fr/listed/<personal link>/ HTTP" not in log.read_text():
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)

    assert status == 404
    assert "AbCdEfGh-secret" not in log.read_text()
