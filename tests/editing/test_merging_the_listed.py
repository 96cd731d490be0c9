"""A merge keeps what the listed did through their personal link: the notices sent to them, their
answers (the record of their consent), their mail still in the outbox, and their consent itself,
only as far as their answers record it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from orgs.choices import AnswerKind, MailKind, MailStatus
from orgs.models import (
    Advocate,
    Invitation,
    ListedAnswer,
    Organisation,
    OutgoingMail,
    PersonalAddress,
)
from orgs.services import answers, invitations, merging
from tests.worker import run_worker

pytestmark = pytest.mark.django_db


@pytest.fixture
def duplicate():
    """A listed advocate, invited, who consented to messages through their link."""
    advocate = Advocate.objects.get(slug="reshad-jalali")
    invitation = invitations.send_notice(advocate)
    answers.set_consent(advocate, True, invitation=invitation)
    return advocate


@pytest.fixture
def keep():
    return Advocate.objects.create(name="R. Jalali", slug="r-jalali")


def test_the_duplicates_invitations_answers_and_mail_move_to_the_advocate_kept(keep, duplicate):
    invitation_ids = list(duplicate.invitations.values_list("pk", flat=True))
    answer_kinds = list(duplicate.answers.order_by("at", "pk").values_list("kind", flat=True))
    mail_ids = list(duplicate.mail.values_list("pk", flat=True))

    merging.merge(keep, [duplicate])

    assert list(keep.invitations.values_list("pk", flat=True)) == invitation_ids
    assert len(invitation_ids) == 1
    assert list(keep.answers.order_by("at", "pk").values_list("kind", flat=True)) == [
        AnswerKind.INVITED,
        AnswerKind.CONSENTED,
    ]
    assert answer_kinds == [AnswerKind.INVITED, AnswerKind.CONSENTED]
    assert list(keep.mail.values_list("pk", flat=True)) == mail_ids
    assert len(mail_ids) == 1


def test_the_duplicates_queued_notice_is_still_sent_after_the_merge(smtp_server, keep, duplicate):
    address = duplicate.personal_address.email

    merging.merge(keep, [duplicate])
    run_worker()

    [notice] = smtp_server.to(address)
    assert notice["Subject"] == invitations.SUBJECT
    assert OutgoingMail.objects.get(kind=MailKind.INVITATION).status == MailStatus.SENT


def test_the_duplicates_address_moves_with_the_consent_the_person_gave(keep, duplicate):
    merging.merge(keep, [duplicate])
    address = PersonalAddress.objects.get(advocate=keep)
    assert address.accepts_messages is True
    assert answers.accepts_messages(keep) is True


def test_the_same_address_accepts_messages_when_the_duplicates_consent_is_on_record(
    keep, duplicate
):
    PersonalAddress.objects.create(
        advocate=keep, email=duplicate.personal_address.email.upper(), source_id=1, locator="x"
    )
    merging.merge(keep, [duplicate])
    assert PersonalAddress.objects.get(advocate=keep).accepts_messages is True


def test_the_same_address_ticked_without_an_answer_on_record_does_not_accept_messages(keep):
    duplicate = Advocate.objects.get(slug="reshad-jalali")
    PersonalAddress.objects.filter(advocate=duplicate).update(accepts_messages=True)
    PersonalAddress.objects.create(
        advocate=keep,
        email=duplicate.personal_address.email,
        source_id=1,
        locator="x",
        accepts_messages=True,
    )
    merging.merge(keep, [duplicate])
    assert PersonalAddress.objects.get(advocate=keep).accepts_messages is False


def test_the_same_address_does_not_accept_messages_when_the_last_word_was_to_withdraw(
    keep, duplicate
):
    PersonalAddress.objects.create(
        advocate=keep,
        email=duplicate.personal_address.email,
        source_id=1,
        locator="x",
        accepts_messages=True,
    )
    answers.record_answer(keep, AnswerKind.CONSENTED)
    later = timezone.now() + timedelta(minutes=5)
    answers.set_consent(duplicate, False)
    ListedAnswer.objects.filter(advocate=duplicate, kind=AnswerKind.WITHDREW).update(at=later)

    merging.merge(keep, [duplicate])

    assert PersonalAddress.objects.get(advocate=keep).accepts_messages is False
    assert list(keep.answers.order_by("at", "pk").values_list("kind", flat=True)) == [
        AnswerKind.INVITED,
        AnswerKind.CONSENTED,
        AnswerKind.CONSENTED,
        AnswerKind.WITHDREW,
    ]


def test_the_duplicates_links_keep_working_for_the_advocate_kept(keep, duplicate):
    invitation = Invitation.objects.get(advocate=duplicate)
    merging.merge(keep, [duplicate])
    opened = invitations.check_link(invitations.token_for(invitation))
    assert opened.listed == keep


def test_an_answer_given_for_a_duplicate_organisation_follows_the_organisation_kept(duplicate):
    kept = Organisation.objects.get(slug="mosaico")
    merged = Organisation.objects.get(slug="uniao-de-refugiados-em-portugal")
    answer = answers.confirm(duplicate, organisation=merged)

    merging.merge(kept, [merged])

    answer.refresh_from_db()
    assert (answer.kind, answer.organisation, answer.advocate) == (
        AnswerKind.CONFIRMED,
        kept,
        duplicate,
    )
