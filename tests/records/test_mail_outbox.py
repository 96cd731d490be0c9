"""Mail goes through the outbox to a real SMTP server on loopback, and none is lost: a server
that is down delays it, a recipient refused bounces it, a worker that died leaves it to the
next, an erased person's mail goes with them, and a listed person's address is in no row or log.
"""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from orgs.choices import AnswerKind, MailKind, MailStatus
from orgs.models import Advocate, ListedAnswer, Network, OutgoingMail
from orgs.services import answers, erasure, mail
from tests.worker import run_worker, time_passes

pytestmark = pytest.mark.django_db


@pytest.fixture
def advocate():
    return Advocate.objects.filter(personal_address__isnull=False).order_by("slug").first()


def queue_to(recipient, subject="Your record in the directory"):
    return mail.queue(
        kind=MailKind.INVITATION, to=recipient, subject=subject, body="What we hold about you."
    )


def test_a_mail_to_an_advocate_reaches_their_private_address(smtp_server, advocate):
    queued = queue_to(advocate)
    assert smtp_server.messages == []  # the worker sends it, not the request

    run_worker()

    [message] = smtp_server.to(advocate.personal_address.email)
    assert message["Subject"] == "Your record in the directory"
    assert message["Message-ID"].startswith(f"<mail-{queued.pk}.")
    assert "What we hold about you." in message.get_content()
    queued.refresh_from_db()
    assert (queued.status, queued.attempts) == (MailStatus.SENT, 1)
    assert queued.sent_at is not None


def test_a_network_s_mail_goes_to_its_private_address(smtp_server):
    network = Network.objects.filter(personal_address__isnull=False).first()
    queue_to(network)
    run_worker()
    assert len(smtp_server.to(network.personal_address.email)) == 1


def test_the_outbox_never_holds_a_listed_person_s_address(advocate):
    queued = queue_to(advocate)
    row = OutgoingMail.objects.filter(pk=queued.pk).values().get()
    assert advocate.personal_address.email not in repr(row)


def test_a_mail_and_its_task_are_kept_together_or_not_at_all(advocate):
    with pytest.raises(RuntimeError), transaction.atomic():
        queue_to(advocate)
        raise RuntimeError("what caused the mail failed")
    assert not OutgoingMail.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_a_server_down_delays_mail_and_every_message_arrives_exactly_once(smtp_server):
    recipients = list(Advocate.objects.filter(personal_address__isnull=False)[:3])
    smtp_server.stop()
    for recipient in recipients:
        queue_to(recipient)

    run_worker()  # the server is down: nothing is sent, nothing is given up
    assert set(OutgoingMail.objects.values_list("status", "attempts")) == {(MailStatus.QUEUED, 1)}
    assert "ConnectionRefusedError" in OutgoingMail.objects.first().last_error
    assert run_worker() == 0  # each waits a minute before its next attempt

    smtp_server.start()
    time_passes(minutes=1)
    run_worker()
    time_passes(hours=2)  # every later check, each claim's expiry included
    run_worker()

    for recipient in recipients:
        assert len(smtp_server.to(recipient.personal_address.email)) == 1
    assert len(smtp_server.messages) == 3
    assert set(OutgoingMail.objects.values_list("status", "attempts")) == {(MailStatus.SENT, 2)}


def test_each_failed_attempt_waits_twice_as_long_as_the_last(smtp_server, advocate, settings):
    smtp_server.stop()
    queued = queue_to(advocate)
    waits = []
    for _ in range(3):
        before = timezone.now()
        run_worker()
        queued.refresh_from_db()
        waits.append(round((queued.next_attempt_at - before).total_seconds() / 60))
        time_passes(hours=2)
    assert waits == [1, 2, 4]


def test_a_mail_is_given_up_after_the_last_attempt(smtp_server, advocate, settings):
    settings.MAIL_MAX_ATTEMPTS = 2
    smtp_server.stop()
    queued = queue_to(advocate)
    run_worker()
    time_passes(hours=2)
    run_worker()
    queued.refresh_from_db()
    assert (queued.status, queued.attempts) == (MailStatus.FAILED, 2)
    smtp_server.start()
    time_passes(hours=2)
    run_worker()
    queued.refresh_from_db()
    assert (queued.status, queued.attempts) == (MailStatus.FAILED, 2)
    assert smtp_server.messages == []


def test_a_worker_that_died_while_sending_leaves_the_mail_to_the_next(smtp_server, advocate):
    queued = queue_to(advocate)
    assert mail.take(queued.pk) is not None  # and then the worker died
    assert mail.take(queued.pk) is None  # no other worker takes it while the claim holds

    run_worker()
    assert smtp_server.messages == []
    time_passes(minutes=11)
    run_worker()
    assert len(smtp_server.to(advocate.personal_address.email)) == 1


def test_a_refused_address_bounces_and_is_noted_undeliverable_without_the_address(
    smtp_server, advocate, log_output
):
    address = advocate.personal_address.email
    smtp_server.refuse(address)
    queued = queue_to(advocate)

    run_worker()

    queued.refresh_from_db()
    assert queued.status == MailStatus.BOUNCED
    assert queued.last_error.startswith("550 ")
    assert address not in queued.last_error
    answer = ListedAnswer.objects.get(advocate=advocate)
    assert answer.kind == AnswerKind.UNDELIVERABLE
    assert address not in answer.detail
    assert f"Mail {queued.pk} bounced" in log_output.getvalue()
    assert address not in log_output.getvalue()
    time_passes(hours=2)
    run_worker()
    assert smtp_server.mailbox.received == []  # never retried
    queued.refresh_from_db()
    assert (queued.status, queued.attempts) == (MailStatus.BOUNCED, 1)


def test_an_erased_person_gets_nothing(smtp_server, advocate):
    queue_to(advocate)
    erasure.erase(advocate)
    run_worker()
    assert smtp_server.messages == []
    assert not OutgoingMail.objects.exists()


def test_a_mail_to_a_person_whose_address_was_removed_is_cancelled(smtp_server, advocate):
    queued = queue_to(advocate)
    advocate.personal_address.delete()
    run_worker()
    queued.refresh_from_db()
    assert queued.status == MailStatus.CANCELLED
    assert smtp_server.messages == []


def test_a_held_mail_waits_for_its_release(smtp_server):
    held = mail.queue(
        kind=MailKind.SENDER_CHECK,
        to="visitor@example.org",
        subject="Confirm",
        body="Please confirm.",
        held=True,
    )
    run_worker()
    assert smtp_server.messages == []
    assert mail.release(held)
    assert not mail.release(held)  # once only
    run_worker()
    assert len(smtp_server.to("visitor@example.org")) == 1


def test_a_relayed_message_names_its_sender_as_reply_to(smtp_server, advocate):
    answers.set_consent(advocate, True)
    mail.queue(
        kind=MailKind.RELAYED,
        to=advocate,
        subject="A question",
        body="Hello",
        reply_to="visitor@example.org",
        sender_name="Amina Yusuf",
        headers={"List-Unsubscribe": "<https://directory.example/stop/x/>"},
    )
    run_worker()
    [message] = smtp_server.messages
    assert message["Reply-To"] == "visitor@example.org"
    assert (
        message["From"] == "Amina Yusuf via the Migrant-led Europe directory <directory@localhost>"
    )
    assert message.get_content().strip() == "Hello"
    assert OutgoingMail.objects.get().body == ""  # carried, not kept
    assert message["List-Unsubscribe"] == "<https://directory.example/stop/x/>"


def test_the_outbox_forgets_finished_mail_after_a_year_and_keeps_the_rest(smtp_server, settings):
    recipients = list(Advocate.objects.filter(personal_address__isnull=False)[:3])
    old_sent, old_queued, recent = (queue_to(recipient) for recipient in recipients)
    year_ago = timezone.now() - timedelta(days=366)
    OutgoingMail.objects.filter(pk=old_sent.pk).update(status=MailStatus.SENT, sent_at=year_ago)
    OutgoingMail.objects.filter(pk__in=[old_sent.pk, old_queued.pk]).update(created_at=year_ago)

    run_worker()

    assert not OutgoingMail.objects.filter(pk=old_sent.pk).exists()
    assert OutgoingMail.objects.get(pk=old_queued.pk).status == MailStatus.SENT  # sent late
    assert OutgoingMail.objects.get(pk=recent.pk).status == MailStatus.SENT


def test_a_message_to_a_person_who_withdrew_consent_meanwhile_is_cancelled(smtp_server, advocate):
    answers.set_consent(advocate, True)
    queued = mail.queue(
        kind=MailKind.RELAYED, to=advocate, subject="A question", body="Hello", reply_to="v@x.org"
    )
    answers.set_consent(advocate, False)
    run_worker()
    queued.refresh_from_db()
    assert (queued.status, queued.body) == (MailStatus.CANCELLED, "")
    assert smtp_server.messages == []


def test_an_echoed_address_in_any_form_is_kept_out_of_errors_answers_and_logs(
    smtp_server, advocate, log_output
):
    address = advocate.personal_address
    address.email = "Jane.Doe@müller.example"
    address.save()
    smtp_server.refuse("Jane.Doe@xn--mller-kva.example")  # as the server received it
    queued = queue_to(advocate)

    run_worker()

    queued.refresh_from_db()
    assert queued.status == MailStatus.BOUNCED
    assert queued.last_error == (
        "550 5.1.1 <<an address>>: Recipient address rejected: no such user"
    )
    recorded = [queued.last_error, ListedAnswer.objects.get(advocate=advocate).detail]
    for text in [*recorded, log_output.getvalue()]:
        assert "jane.doe" not in text.lower() and "mller" not in text


def test_a_mail_that_cannot_be_made_fails_once_and_the_rest_still_go(smtp_server, settings):
    broken, fine = Advocate.objects.filter(personal_address__isnull=False)[:2]
    broken_mail = queue_to(broken)
    OutgoingMail.objects.filter(pk=broken_mail.pk).update(headers={"X-Bad": "a\nBcc: x@y.z"})
    queue_to(fine)

    run_worker()

    broken_mail.refresh_from_db()
    assert broken_mail.status == MailStatus.FAILED
    assert len(smtp_server.to(fine.personal_address.email)) == 1
    time_passes(hours=2)
    run_worker()
    broken_mail.refresh_from_db()
    assert (broken_mail.status, broken_mail.attempts) == (MailStatus.FAILED, 1)


def test_a_sent_mail_keeps_no_words_nor_links(smtp_server, advocate):
    queued = queue_to(advocate)
    run_worker()
    queued.refresh_from_db()
    assert (queued.status, queued.body, queued.headers) == (MailStatus.SENT, "", {})
    assert queued.subject == "Your record in the directory"


def test_a_slow_worker_does_not_overwrite_the_outcome_of_the_one_that_took_over(advocate):
    queued = queue_to(advocate)
    slow = mail.take(queued.pk)
    time_passes(minutes=15)  # its claim ran out; another worker took the mail and sent it
    again = mail.take(queued.pk)
    mail.finish(again, MailStatus.SENT, "")
    mail.finish(slow, MailStatus.FAILED, "timed out")
    queued.refresh_from_db()
    assert queued.status == MailStatus.SENT
