"""The relaying service: a held message goes once its sender confirms, and only then; it is
dropped when never confirmed, and cancelled when the person withdrew meanwhile; the links it
mails are refused when made up or expired; a sender's name cannot add a header.
"""

import time
from datetime import timedelta

import pytest
from django.core import signing
from django.utils import timezone

from orgs.choices import AnswerKind, MailKind, MailStatus
from orgs.models import Advocate, ListedAnswer, OutgoingMail
from orgs.services import answers, relaying
from tests.worker import run_worker

pytestmark = pytest.mark.django_db


@pytest.fixture
def advocate():
    advocate = Advocate.objects.get(slug="reshad-jalali")
    answers.set_consent(advocate, True)
    return advocate


def write(listed, sender_email="amina@example.org", confirmed=(), **changes):
    fields = {
        "sender_name": "Amina Yusuf",
        "sender_email": sender_email,
        "body": "Hello from Lyon.",
        "client": "192.0.2.1",
        "confirmed_senders": confirmed,
        **changes,
    }
    return relaying.write_to(listed, **fields)


def token_for(relayed) -> str:
    return signing.dumps(relayed.pk, salt=relaying.SENDER_CHECK_SALT)


class SignerOfTwoDaysAgo(signing.TimestampSigner):
    def timestamp(self):
        return signing.b62_encode(int(time.time()) - 2 * 24 * 3600)


def test_a_sender_already_confirmed_in_the_session_is_not_asked_again(advocate):
    relayed = write(advocate, sender_email="Amina@Example.org", confirmed=["amina@example.org"])
    assert relayed.status == MailStatus.QUEUED
    assert not OutgoingMail.objects.filter(kind=MailKind.SENDER_CHECK).exists()


def test_a_sender_not_yet_confirmed_gets_a_confirmation_and_the_message_waits(advocate):
    relayed = write(advocate)
    assert relayed.status == MailStatus.HELD
    check = OutgoingMail.objects.get(kind=MailKind.SENDER_CHECK)
    assert check.to_address == "amina@example.org"
    assert f"/messages/confirm/{token_for(relayed)}/" in check.body


def test_following_the_confirmation_twice_sends_the_message_once(smtp_server, advocate):
    relayed = write(advocate)
    relaying.confirm_sender(token_for(relayed))
    relaying.confirm_sender(token_for(relayed))
    run_worker()
    assert len(smtp_server.to(advocate.personal_address.email)) == 1


def test_a_message_whose_person_withdrew_meanwhile_is_cancelled_not_sent(smtp_server, advocate):
    relayed = write(advocate)
    answers.set_consent(advocate, False)
    with pytest.raises(relaying.Refused) as refused:
        relaying.confirm_sender(token_for(relayed))
    assert refused.value.status == 410
    assert refused.value.message == (
        "Reshad Jalali no longer accepts messages through the directory."
    )
    run_worker()
    assert smtp_server.to(advocate.personal_address.email) == []
    relayed.refresh_from_db()
    assert relayed.status == MailStatus.CANCELLED


def test_a_confirmation_link_older_than_a_day_is_refused(advocate):
    relayed = write(advocate)
    token = SignerOfTwoDaysAgo(salt=relaying.SENDER_CHECK_SALT).sign_object(relayed.pk)
    with pytest.raises(relaying.Refused) as refused:
        relaying.confirm_sender(token)
    assert refused.value.status == 410
    relayed.refresh_from_db()
    assert relayed.status == MailStatus.HELD


def test_a_confirmation_link_for_another_kind_of_mail_is_refused(advocate):
    write(advocate)
    check = OutgoingMail.objects.get(kind=MailKind.SENDER_CHECK)
    with pytest.raises(relaying.Refused) as refused:
        relaying.confirm_sender(token_for(check))
    assert refused.value.status == 410


def test_a_stop_link_signed_for_something_else_is_refused(advocate):
    token = signing.dumps(["advocate", advocate.pk], salt=relaying.SENDER_CHECK_SALT)
    with pytest.raises(relaying.Refused) as refused:
        relaying.stop_messages(token)
    assert refused.value.status == 404
    assert answers.accepts_messages(advocate)


def test_the_stop_link_withdraws_only_its_own_person_s_consent(advocate):
    other = (
        Advocate.objects.filter(personal_address__isnull=False)
        .exclude(pk=advocate.pk)
        .order_by("slug")
        .first()
    )
    answers.set_consent(other, True)
    stop_path = relaying.stop_url(advocate).removeprefix("http://localhost:8000")
    token = stop_path.removeprefix("/messages/stop/").removesuffix("/")
    assert relaying.stop_messages(token) == advocate
    assert (answers.accepts_messages(advocate), answers.accepts_messages(other)) == (False, True)
    answer = ListedAnswer.objects.get(advocate=advocate, kind=AnswerKind.WITHDREW)
    assert answer.detail == "The stop link in a relayed message"


def test_a_held_message_never_confirmed_is_dropped_after_a_few_days(advocate, settings):
    settings.HELD_MESSAGE_DAYS = 3
    old, recent = write(advocate), write(advocate, sender_email="other@example.org")
    OutgoingMail.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=4))
    OutgoingMail.objects.filter(pk=recent.pk).update(created_at=timezone.now() - timedelta(days=2))
    write(advocate, sender_email="third@example.org")
    assert list(
        OutgoingMail.objects.filter(kind=MailKind.RELAYED)
        .order_by("pk")
        .values_list("reply_to", flat=True)
    ) == ["other@example.org", "third@example.org"]


def test_a_sent_message_is_never_dropped(advocate):
    sent = write(advocate, confirmed=["amina@example.org"])
    OutgoingMail.objects.filter(pk=sent.pk).update(created_at=timezone.now() - timedelta(days=30))
    write(advocate, sender_email="other@example.org")
    assert OutgoingMail.objects.filter(pk=sent.pk).exists()


def test_a_sender_s_name_cannot_add_a_header(smtp_server, advocate):
    write(
        advocate,
        sender_name="Amina\r\nBcc: victim@example.org",
        confirmed=["amina@example.org"],
    )
    run_worker()
    [message] = smtp_server.to(advocate.personal_address.email)
    assert message["Subject"] == (
        "Amina Bcc: victim@example.org wrote to you through the Migrant-led Europe directory"
    )
    assert message["Bcc"] is None
    assert smtp_server.to("victim@example.org") == []


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"sender_name": "   "}, "Give your name, so that the person knows who writes."),
        (
            {"sender_email": "amina@"},
            "Give an email address that works: the answer goes there.",
        ),
        (
            {"sender_email": f"{'a' * 250}@example.org"},
            "Give an email address that works: the answer goes there.",
        ),
        ({"body": " \n "}, "Write a message."),
    ],
)
def test_a_message_without_a_name_an_address_or_words_is_refused(advocate, changes, message):
    with pytest.raises(relaying.Refused) as refused:
        write(advocate, **changes)
    assert (refused.value.status, refused.value.message) == (400, message)
    assert not OutgoingMail.objects.exists()


def test_a_message_refused_costs_its_sender_nothing(advocate, settings):
    settings.MESSAGES_PER_SENDER_PER_DAY = 1
    with pytest.raises(relaying.Refused):
        write(advocate, body="x" * 3001)
    assert write(advocate).status == MailStatus.HELD
