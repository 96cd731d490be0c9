"""The whole loop, tried as its people would, against a real SMTP server on loopback: an editor
sends the notice to the advocates of one country; one of them follows the link, corrects their
organisation's description and consents to messages; an editor approves the correction; a
visitor writes to the advocate from the public page while the SMTP server is down for a while;
the message arrives once, with the visitor as Reply-To; the organisation's page says it was
confirmed by the organisation; and the advocate's address is in no page, answer, export or log.
"""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from orgs.choices import MailStatus
from orgs.models import Advocate, Organisation, OutgoingMail, Suggestion
from tests.records.test_listed_corrections import organisation_form
from tests.worker import run_worker, time_passes

pytestmark = pytest.mark.django_db

SLUG = "abdulhamid-kwieder"  # listed by EPIM 2019 in Austria, with his own address
DESCRIPTION = "We document anti-Muslim racism in Austria and stand by the people it hurts."
VISITOR = {
    "sender_name": "Amina Yusuf",
    "sender_email": "amina@example.org",
    "body": "Hello, we run a refugee-led project in Graz and would like to work with you.",
}


def path_in(message, pattern: str) -> str:
    [path] = re.findall(rf"http://localhost:8000({pattern})", message.get_content())
    return path


def test_the_listed_confirm_correct_and_become_reachable_without_their_address_showing(
    smtp_server, client, editor, log_output
):
    advocate = Advocate.objects.get(slug=SLUG)
    address = advocate.personal_address.email
    organisation = advocate.organisations.get()
    seen = []  # every answer any of them got

    # An editor sends the notice to the advocates of Austria.
    output = StringIO()
    call_command("send_invitations", country="AT", stdout=output)
    run_worker()
    austrians = Advocate.objects.filter(countries="AT", personal_address__isnull=False)
    assert len(smtp_server.messages) == austrians.count() > 1
    [notice] = smtp_server.to(address)
    assert address not in output.getvalue()

    # He follows his link, corrects his organisation's description and consents to messages.
    person = Client()
    link = path_in(notice, r"/listed/[^/\s]+/")
    seen += [person.get(link), person.post(link)]
    correction = person.post(
        "/listed/record/", organisation_form(organisation, description=DESCRIPTION)
    )
    consent = person.post("/listed/record/", {"action": "consent", "accepts": "on"})
    seen += [correction, consent, person.get("/listed/record/")]
    assert (correction.status_code, consent.status_code) == (302, 302)

    # An editor approves the correction from the queue.
    suggestion = Suggestion.objects.get(organisation=organisation)
    approval = client.post(
        reverse("admin:orgs_suggestion_change", args=[suggestion.pk]),
        {"message": suggestion.message, "editor_note": "", "_approve": "Approve"},
    )
    assert approval.status_code == 302
    assert Organisation.objects.get(pk=organisation.pk).description == DESCRIPTION

    # A visitor writes to him from his public page; the SMTP server is down meanwhile.
    visitor = Client()
    page = visitor.get(advocate.get_absolute_url())
    assert f"Write to {advocate.name}" in page.content.decode()
    smtp_server.stop()
    sent = visitor.post(f"{advocate.get_absolute_url()}write/", VISITOR)
    seen += [page, sent, visitor.get(sent["Location"])]
    run_worker()
    assert smtp_server.to("amina@example.org") == []
    waiting = OutgoingMail.objects.get(to_address="amina@example.org")
    assert (waiting.status, waiting.attempts) == (MailStatus.QUEUED, 1)

    smtp_server.start()  # back a minute later
    time_passes(minutes=1)
    run_worker()
    [check] = smtp_server.to("amina@example.org")
    confirmation = path_in(check, r"/messages/confirm/\S+/")
    seen += [visitor.get(confirmation), visitor.post(confirmation)]
    run_worker()
    time_passes(hours=2)  # every retry and check that was waiting
    run_worker()

    [relayed] = smtp_server.to(address)[1:]  # after the notice: exactly one message
    assert relayed["Reply-To"] == "amina@example.org"
    assert VISITOR["body"] in relayed.get_content()
    assert len(smtp_server.to("amina@example.org")) == 1
    assert address not in check.get_content()

    # The organisation's page says who confirmed it, and when.
    organisation_page = visitor.get(organisation.get_absolute_url())
    seen.append(organisation_page)
    today = date_format(timezone.localdate())
    assert f"Confirmed by the organisation on {today}." in organisation_page.content.decode()

    # His address is in no page, answer, export or log line.
    seen += [
        visitor.get(f"/api/advocates/{SLUG}/"),
        visitor.get("/api/advocates/", {"country": "AT", "format": "csv"}),
        visitor.get("/advocates/", {"country": "AT"}),
        visitor.get(f"/fr{advocate.get_absolute_url()}"),
    ]
    for response in seen:
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert address.encode() not in body, response.request["PATH_INFO"]
        assert address not in str(response.headers)
    assert address not in log_output.getvalue()
