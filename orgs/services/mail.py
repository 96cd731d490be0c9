"""The outbox: every mail the directory sends is a row before it is a message, so none is lost.

`queue` writes an `OutgoingMail` and queues the worker's task (`send_due_mail`, run by
`manage.py db_worker`) in the caller's transaction: both are kept, or neither. The worker takes
each due mail by a conditional update (one worker per mail, on SQLite and PostgreSQL alike),
sends it, and marks it sent. A server that is down, or answers "try later" (4xx), makes the
mail wait `MAIL_RETRY_SECONDS`, doubled at each attempt up to an hour, then be tried again, up
to `MAIL_MAX_ATTEMPTS` (then it is failed, for an editor to see). A recipient the server
refuses for good (5xx) bounces it: a listed person's address is then noted undeliverable.

Taking a mail also queues a check for when the claim expires (`MAIL_CLAIM_SECONDS`), so that a
worker that died while sending leaves the mail to the next one, not forgotten. A mail is sent
twice only if the worker dies between the server's acceptance and its own note of it; its
`Message-ID` is the same both times, so the recipient's mail system can tell.

A listed person's address is read from their `PersonalAddress` at the moment of sending: it is
in no row of the outbox, no log line and no error kept. A person erased meanwhile takes their
queued mail with them; one whose address was removed has it cancelled, as has a relayed message
to a person who withdrew their consent meanwhile. A mail's words (a visitor's message, a
personal link) are kept until it is sent or given up, then only that it was; the outbox
forgets finished mail after `MAIL_KEEP_DAYS`, and messages whose senders never confirmed their
address after `HELD_MESSAGE_DAYS`.
"""

import logging
import re
import smtplib
from datetime import timedelta
from email.utils import formataddr

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import task

from orgs.choices import AnswerKind, MailKind, MailStatus
from orgs.models import Advocate, ListedAnswer, Network, OutgoingMail, PersonalAddress

logger = logging.getLogger(__name__)

RETRY_AT_MOST = timedelta(hours=1)
ADDRESS = re.compile(r"[^\s<>\"'(),;:\[\]]+@[^\s<>\"'(),;:\[\]]+")


def queue(
    *,
    kind: str,
    to: Advocate | Network | str,
    subject: str,
    body: str,
    reply_to: str = "",
    sender_name: str = "",
    headers: dict | None = None,
    held: bool = False,
) -> OutgoingMail:
    """Keeps a mail to send, and the task that sends it, in the caller's transaction.

    `to` is a listed person (their private address is read when the mail is sent) or anyone
    else's address. A `held` mail waits for `release` (a sender confirming their address).
    """
    mail = OutgoingMail(
        kind=kind,
        subject=subject,
        body=body,
        reply_to=reply_to,
        sender_name=sender_name,
        headers=headers or {},
        status=MailStatus.HELD if held else MailStatus.QUEUED,
    )
    if isinstance(to, Advocate):
        mail.advocate = to
    elif isinstance(to, Network):
        mail.network = to
    else:
        mail.to_address = to
    with transaction.atomic():
        mail.save()
        if not held:
            send_due_mail.enqueue()
    return mail


def release(mail: OutgoingMail) -> bool:
    """Sends a held mail (its sender confirmed their address); false if it was not held."""
    with transaction.atomic():
        released = OutgoingMail.objects.filter(pk=mail.pk, status=MailStatus.HELD).update(
            status=MailStatus.QUEUED, next_attempt_at=timezone.now()
        )
        if released:
            send_due_mail.enqueue()
    return bool(released)


@task()
def send_due_mail() -> str:
    """The worker's task: sends every mail that is due (see `send_due`)."""
    sent = send_due()
    return f"{sent} sent"


def send_due() -> int:
    """Sends every mail that is due, each taken by one worker only; returns how many were sent."""
    forget_old()
    drop_unconfirmed()
    sent = 0
    for pk in due().values_list("pk", flat=True):
        mail = take(pk)
        if mail is not None and send(mail):
            sent += 1
    return sent


def drop_unconfirmed() -> int:
    """Deletes the relayed messages whose senders never confirmed their address within
    `HELD_MESSAGE_DAYS`."""
    stale = timezone.now() - timedelta(days=settings.HELD_MESSAGE_DAYS)
    deleted, _ = OutgoingMail.objects.filter(
        kind=MailKind.RELAYED, status=MailStatus.HELD, created_at__lt=stale
    ).delete()
    return deleted


def forget_old() -> int:
    """Deletes the outbox's rows of mail sent, or given up, more than `MAIL_KEEP_DAYS` ago (an
    invitation keeps its own row, without its mail)."""
    cutoff = timezone.now() - timedelta(days=settings.MAIL_KEEP_DAYS)
    given_up = [MailStatus.FAILED, MailStatus.BOUNCED, MailStatus.CANCELLED]
    deleted, _ = OutgoingMail.objects.filter(
        Q(status=MailStatus.SENT, sent_at__lt=cutoff)
        | Q(status__in=given_up, created_at__lt=cutoff)
    ).delete()
    return deleted


def due():
    now = timezone.now()
    return OutgoingMail.objects.filter(
        Q(status=MailStatus.QUEUED, next_attempt_at__lte=now)
        | Q(status=MailStatus.SENDING, claimed_until__lt=now)
    ).order_by("next_attempt_at", "pk")


def take(pk: int) -> OutgoingMail | None:
    """Claims one due mail for this worker, or none if another took it first."""
    now = timezone.now()
    until = now + timedelta(seconds=settings.MAIL_CLAIM_SECONDS)
    with transaction.atomic():
        taken = (
            due()
            .filter(pk=pk)
            .update(status=MailStatus.SENDING, claimed_until=until, attempts=F("attempts") + 1)
        )
        if not taken:
            return None
        # Should this worker die while sending, the check finds the mail again.
        send_due_mail.using(run_after=until + timedelta(seconds=1)).enqueue()
    return OutgoingMail.objects.select_related("advocate", "network").get(pk=pk)


def send(mail: OutgoingMail) -> bool:
    """Sends a taken mail and notes the outcome; true when the server accepted it."""
    address = recipient_address(mail)
    if address is None:
        finish(mail, MailStatus.CANCELLED, "The recipient's address was removed.")
        return False
    if mail.kind == MailKind.RELAYED and not accepts_messages(mail):
        finish(mail, MailStatus.CANCELLED, "The recipient withdrew their consent to messages.")
        return False
    try:
        get_connection(fail_silently=False).send_messages([message_of(mail, address)])
    except smtplib.SMTPRecipientsRefused as refused:
        code, reason = next(iter(refused.recipients.values()))
        error = scrubbed(f"{code} {decoded(reason)}")
        if code >= 500:
            bounce(mail, error)
        else:
            retry(mail, error)
        return False
    except (smtplib.SMTPException, OSError) as error:
        retry(mail, scrubbed(f"{type(error).__name__}: {error}"))
        return False
    except Exception as error:  # a mail that cannot be made (a bad header): trying again is vain
        finish(mail, MailStatus.FAILED, scrubbed(f"{type(error).__name__}: {error}"))
        logger.error("Mail %s cannot be sent: %s", mail.pk, scrubbed(str(error)))
        return False
    finish(mail, MailStatus.SENT, "")
    logger.info("Mail %s (%s) sent", mail.pk, mail.kind)
    return True


def listed_owner(mail: OutgoingMail) -> dict:
    if mail.advocate_id:
        return {"advocate_id": mail.advocate_id}
    return {"network_id": mail.network_id}


def recipient_address(mail: OutgoingMail) -> str | None:
    if mail.to_address:
        return mail.to_address
    addresses = PersonalAddress.objects.filter(**listed_owner(mail))
    return addresses.values_list("email", flat=True).first()


def accepts_messages(mail: OutgoingMail) -> bool:
    """Whether the listed person still accepts messages, read when their message is sent."""
    return PersonalAddress.objects.filter(**listed_owner(mail), accepts_messages=True).exists()


def message_of(mail: OutgoingMail, address: str) -> EmailMessage:
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "localhost"
    headers = {
        "Message-ID": f"<mail-{mail.pk}.{mail.created_at:%Y%m%d%H%M%S}@{domain}>",
        **mail.headers,
    }
    return EmailMessage(
        subject=" ".join(mail.subject.split()),  # a name with a line break is still one line
        body=mail.body,
        from_email=sender_of(mail),
        to=[address],
        reply_to=[mail.reply_to] if mail.reply_to else None,
        headers=headers,
    )


def sender_of(mail: OutgoingMail) -> str:
    """The directory's address, with the visitor's name when it relays their words (their
    address is the Reply-To, never the From: the directory's server cannot sign for it)."""
    if not mail.sender_name:
        return settings.DEFAULT_FROM_EMAIL
    name = f"{mail.sender_name} via the Migrant-led Europe directory"
    return formataddr((name, settings.DEFAULT_FROM_EMAIL))


def decoded(reason) -> str:
    return reason.decode(errors="replace") if isinstance(reason, bytes) else str(reason)


def scrubbed(error: str) -> str:
    """The server's words without any address: servers repeat the recipient's, in whatever
    form they received it (another case, an internationalised domain in ASCII)."""
    return ADDRESS.sub("<an address>", error)[:500]


def retry(mail: OutgoingMail, error: str) -> None:
    if mail.attempts >= settings.MAIL_MAX_ATTEMPTS:
        finish(mail, MailStatus.FAILED, error)
        logger.error("Mail %s given up after %s attempts: %s", mail.pk, mail.attempts, error)
        return
    wait = min(
        timedelta(seconds=settings.MAIL_RETRY_SECONDS * 2 ** (mail.attempts - 1)), RETRY_AT_MOST
    )
    when = timezone.now() + wait
    with transaction.atomic():
        mine(mail).update(
            status=MailStatus.QUEUED, next_attempt_at=when, claimed_until=None, last_error=error
        )
        send_due_mail.using(run_after=when).enqueue()
    logger.warning("Mail %s not sent (%s); trying again at %s", mail.pk, error, when.isoformat())


def bounce(mail: OutgoingMail, error: str) -> None:
    with transaction.atomic():
        finish(mail, MailStatus.BOUNCED, error)
        note_undeliverable(mail, error)
    logger.warning("Mail %s bounced: %s", mail.pk, error)


def mark_bounced(mail: OutgoingMail, reason: str = "") -> None:
    """An editor's note that a mail came back later (a bounce report in the sender's box)."""
    with transaction.atomic():
        OutgoingMail.objects.filter(pk=mail.pk).update(
            status=MailStatus.BOUNCED, last_error=reason[:500] or "Reported bounced by an editor."
        )
        note_undeliverable(mail, reason)


def note_undeliverable(mail: OutgoingMail, reason: str) -> None:
    if mail.advocate_id or mail.network_id:
        ListedAnswer.objects.create(
            kind=AnswerKind.UNDELIVERABLE,
            advocate_id=mail.advocate_id,
            network_id=mail.network_id,
            detail=f"Mail #{mail.pk}: {reason}"[:500],
        )


def finish(mail: OutgoingMail, status: str, error: str) -> None:
    """Notes what became of a mail this worker took. Its words go (a visitor's message, the
    personal link of a notice, a stop link in its headers): only that it was sent stays."""
    mail.status = status
    fields = {"status": status, "claimed_until": None, "last_error": error}
    if status == MailStatus.SENT:
        fields["sent_at"] = timezone.now()
    fields.update(body="", headers={})
    mine(mail).update(**fields)


def mine(mail: OutgoingMail):
    """The mail, if this worker's claim on it still holds (a worker slower than its claim
    leaves the outcome to the one that took it next)."""
    return OutgoingMail.objects.filter(
        pk=mail.pk, status=MailStatus.SENDING, claimed_until=mail.claimed_until
    )
