"""Editors send the notice with a personal link, from the command or from admin: only to the
listed who have a private address and are published, never twice by mistake, and a dry run
writes nothing."""

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from orgs.choices import AnswerKind, MailKind, MailStatus
from orgs.models import Advocate, Invitation, ListedAnswer, Network, OutgoingMail
from orgs.services import invitations

pytestmark = pytest.mark.django_db

AUSTRIA = ["abdulhamid-kwieder", "durra-chiban", "edwar-hanna"]


def send(*args) -> str:
    out = io.StringIO()
    call_command("send_invitations", *args, stdout=out)
    return out.getvalue()


def nothing_written():
    return not (
        Invitation.objects.exists()
        or OutgoingMail.objects.exists()
        or ListedAnswer.objects.exists()
        or DBTaskResult.objects.exists()
    )


def test_an_invitation_queues_the_notice_and_records_the_answer(editor):
    advocate = Advocate.objects.get(slug="abdulhamid-kwieder")

    [(_, invitation)] = invitations.invite([advocate], by=editor).sent

    assert (invitation.advocate, invitation.sent_by, invitation.used_at) == (advocate, editor, None)
    assert invitation.expires_at - invitation.created_at == pytest.approx(
        timedelta(days=30), abs=timedelta(seconds=5)
    )
    assert (invitation.mail.kind, invitation.mail.advocate, invitation.mail.status) == (
        MailKind.INVITATION,
        advocate,
        MailStatus.QUEUED,
    )
    answer = ListedAnswer.objects.get()
    assert (answer.kind, answer.advocate, answer.invitation) == (
        AnswerKind.INVITED,
        advocate,
        invitation,
    )


def test_those_without_a_private_address_or_hidden_or_invited_are_skipped():
    without = Advocate.objects.get(slug="abdalla-ahmed-mohamed")
    hidden = Advocate.objects.get(slug="durra-chiban")
    Advocate.objects.filter(pk=hidden.pk).update(is_published=False)
    hidden.refresh_from_db()
    invited = Advocate.objects.get(slug="edwar-hanna")
    invitations.invite([invited])

    outcome = invitations.invite([without, hidden, invited])

    today = f"{timezone.localdate():%d %B %Y}"
    assert outcome.sent == []
    assert [(record.slug, reason) for record, reason in outcome.skipped] == [
        ("abdalla-ahmed-mohamed", "no private address"),
        ("durra-chiban", "not published"),
        ("edwar-hanna", f"already invited on {today}"),
    ]
    assert Invitation.objects.count() == 1


def test_again_invites_the_already_invited():
    advocate = Advocate.objects.get(slug="edwar-hanna")
    invitations.invite([advocate])

    assert len(invitations.invite([advocate], again=True).sent) == 1
    assert Invitation.objects.filter(advocate=advocate).count() == 2


def test_a_notice_that_bounced_does_not_count_as_sent():
    advocate = Advocate.objects.get(slug="edwar-hanna")
    [(_, invitation)] = invitations.invite([advocate]).sent
    OutgoingMail.objects.filter(pk=invitation.mail_id).update(status=MailStatus.BOUNCED)

    assert len(invitations.invite([advocate]).sent) == 1


def test_a_dry_run_writes_nothing():
    advocate = Advocate.objects.get(slug="edwar-hanna")

    outcome = invitations.invite([advocate], dry_run=True)

    assert outcome.sent == [(advocate, None)]
    assert nothing_written()


def test_the_command_s_dry_run_says_who_and_writes_nothing():
    out = send("--country", "at", "--dry-run")

    assert out.splitlines() == [
        "would write to advocate abdulhamid-kwieder",
        "would write to advocate durra-chiban",
        "would write to advocate edwar-hanna",
        "3 would be written to, 0 skipped; nothing was written (dry run).",
    ]
    assert nothing_written()


def test_running_the_command_again_writes_to_nobody_twice():
    # A first run stopped after the first person.
    invitations.invite([Advocate.objects.get(slug="abdulhamid-kwieder")])

    first = send("--country", "AT")
    second = send("--country", "AT")

    assert first.splitlines()[-1] == "2 notices queued (the worker sends them), 1 skipped."
    assert second.splitlines()[-1] == "0 notices queued (the worker sends them), 3 skipped."
    for slug in AUSTRIA:
        assert OutgoingMail.objects.filter(advocate__slug=slug).count() == 1


def test_only_names_the_advocates_and_networks_to_write_to():
    out = send("--only", "edwar-hanna", "--only", "magnet-network")

    assert out.splitlines() == [
        "notice queued for advocate edwar-hanna",
        "notice queued for network magnet-network",
        "2 notices queued (the worker sends them), 0 skipped.",
    ]
    assert OutgoingMail.objects.get(network__isnull=False).network == Network.objects.get(
        slug="magnet-network"
    )


def test_only_says_why_a_named_one_is_skipped():
    out = send("--only", "abdalla-ahmed-mohamed")
    assert "skipped advocate abdalla-ahmed-mohamed: no private address" in out.splitlines()


def test_an_unknown_slug_stops_the_command_before_anything_is_written():
    with pytest.raises(CommandError, match="has the slug nobody-at-all; nobody was written to"):
        send("--only", "edwar-hanna", "--only", "nobody-at-all")
    assert nothing_written()


def test_the_command_prints_no_private_address():
    addresses = [a.personal_address.email for a in Advocate.objects.filter(slug__in=AUSTRIA)]
    out = send("--country", "AT") + send("--country", "AT", "--dry-run")
    assert [address for address in addresses if address in out] == []


def test_the_admin_action_first_shows_who_would_be_written_to(client, editor):
    chosen = Advocate.objects.filter(slug__in=["edwar-hanna", "abdalla-ahmed-mohamed"])
    response = client.post(
        reverse("admin:orgs_advocate_changelist"),
        {"action": "send_notices", "_selected_action": [a.pk for a in chosen]},
    )

    page = response.content.decode()
    assert "<h2>To be written to (1)</h2>" in page
    assert "<li>Abdalla Ahmed Mohamed: no private address</li>" in page
    assert 'value="Send 1 notice"' in page
    assert nothing_written()


def test_the_admin_action_sends_once_confirmed_and_says_who_was_skipped(client, editor):
    chosen = Advocate.objects.filter(slug__in=["edwar-hanna", "abdalla-ahmed-mohamed"])
    response = client.post(
        reverse("admin:orgs_advocate_changelist"),
        {
            "action": "send_notices",
            "_selected_action": [a.pk for a in chosen],
            "confirm": "send",
        },
        follow=True,
    )

    shown = [str(message) for message in response.context["messages"]]
    assert shown == [
        "Notice queued for 1 (the worker sends it): Edwar Hanna.",
        "Skipped (no private address): Abdalla Ahmed Mohamed.",
    ]
    invitation = Invitation.objects.get()
    assert (invitation.advocate.slug, invitation.sent_by) == ("edwar-hanna", editor)


def test_the_network_admin_has_the_action_too(client, editor):
    network = Network.objects.get(slug="magnet-network")
    client.post(
        reverse("admin:orgs_network_changelist"),
        {"action": "send_notices", "_selected_action": [network.pk], "confirm": "send"},
    )
    assert Invitation.objects.get().network == network
