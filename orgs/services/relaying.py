"""Messages from visitors relayed to the listed who chose to be reachable, without the sender
ever seeing the address.

`write_to` keeps a relayed message in the outbox (`mail.queue`, kind RELAYED): the recipient
is the listed record, so the private address is read only when the worker sends it, and the
sender is its Reply-To. It refuses, with words for the sender, a person who does not accept
messages, a message too long or with too many links, and a sender over a limit (per sender's
address, per client address, per recipient; counted in the shared cache).

Nobody may write in someone else's name: the first message from an address a browser session
has not confirmed is held, and its sender gets a signed link (`confirm_sender`) that releases
it. A held message never confirmed is dropped after HELD_MESSAGE_DAYS.

Every relayed message ends with a one-click "stop messages" link (`stop_messages`, also in its
List-Unsubscribe header, RFC 8058) that withdraws the person's consent at once.
"""

import hashlib
import re

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from orgs.choices import MailKind, MailStatus
from orgs.models import Advocate, Network, OutgoingMail
from orgs.services import answers, mail, rate_limits

Listed = Advocate | Network

SENDER_CHECK_SALT = "orgs.relaying.sender-check"
STOP_SALT = "orgs.relaying.stop-messages"
# A sender confirms their address within a day; the message waits a few days more, then goes.
SENDER_CHECK_SECONDS = 24 * 3600
DAY, HOUR = 24 * 3600, 3600
# What a reader would follow as a link: an address with a scheme, or one starting "www.".
LINK = re.compile(r"\b(?:https?|ftp)://|\bwww\.", re.IGNORECASE)
NAME_MAX_CHARS = 100
# What the outbox keeps of an address (`OutgoingMail.reply_to`, an EmailField).
ADDRESS_MAX_CHARS = OutgoingMail._meta.get_field("reply_to").max_length


class Refused(Exception):
    """Why a message was not relayed (or a link not followed), in words for the sender, with
    the HTTP status its page answers with."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


def write_to(
    listed: Listed,
    *,
    sender_name: str,
    sender_email: str,
    body: str,
    client: str,
    confirmed_senders: list[str] | tuple[str, ...] = (),
) -> OutgoingMail:
    """Keeps a message to relay to `listed`: sent at once when this browser session already
    confirmed `sender_email`, held until the sender follows the link mailed to them otherwise.
    Raises `Refused` when it may not be relayed."""
    sender_name = " ".join(sender_name.split())[:NAME_MAX_CHARS]
    sender_email = sender_email.strip()
    body = body.strip()
    check_message(listed, sender_name, sender_email, body)
    check_limits(listed, sender_email, client)
    mail.drop_unconfirmed()
    confirmed = sender_email.lower() in {address.lower() for address in confirmed_senders}
    with transaction.atomic():
        relayed = mail.queue(
            kind=MailKind.RELAYED,
            to=listed,
            subject=relayed_subject(sender_name),
            body=relayed_body(listed, sender_name, sender_email, body),
            reply_to=sender_email,
            sender_name=sender_name,
            headers=unsubscribe_headers(listed),
            held=not confirmed,
        )
        if not confirmed:
            ask_sender_to_confirm(relayed, listed)
    count_message(listed, sender_email, client, goes=confirmed)
    return relayed


def check_message(listed: Listed, sender_name: str, sender_email: str, body: str) -> None:
    if not answers.accepts_messages(listed):
        raise Refused(
            _("%(name)s does not accept messages through the directory.") % {"name": listed.name},
            status=403,
        )
    if not sender_name:
        raise Refused(_("Give your name, so that the person knows who writes."))
    try:
        validate_email(sender_email)
        if len(sender_email) > ADDRESS_MAX_CHARS:
            raise ValidationError("too long")
    except ValidationError:
        raise Refused(_("Give an email address that works: the answer goes there.")) from None
    if not body:
        raise Refused(_("Write a message."))
    if len(body) > settings.MESSAGE_MAX_CHARS:
        raise Refused(
            _("Your message is %(length)s characters long; it may be %(most)s at most.")
            % {"length": len(body), "most": settings.MESSAGE_MAX_CHARS}
        )
    if links_in(body) > settings.MESSAGE_MAX_LINKS:
        raise Refused(
            _("Your message holds %(links)s links; it may hold %(most)s at most.")
            % {"links": links_in(body), "most": settings.MESSAGE_MAX_LINKS}
        )


def links_in(body: str) -> int:
    return len(LINK.findall(body))


# Limits, counted in the shared cache once a message is kept (held ones too: a held message
# costs its sender a confirmation mail).


def limit_names(listed: Listed, sender_email: str, client: str) -> dict[str, str]:
    # The sender's address is hashed: a cache key is no place for it.
    sender = hashlib.sha256(sender_email.lower().encode()).hexdigest()[:32]
    return {
        "sender": f"messages:sender:{sender}",
        "client": f"messages:client:{client}",
    }


def check_limits(listed: Listed, sender_email: str, client: str) -> None:
    names = limit_names(listed, sender_email, client)
    if not rate_limits.within(names["sender"], settings.MESSAGES_PER_SENDER_PER_DAY):
        raise Refused(
            _("You have written many messages from this address today. Please try again tomorrow."),
            status=429,
        )
    if not rate_limits.within(names["client"], settings.MESSAGES_PER_CLIENT_PER_HOUR):
        raise Refused(
            _(
                "Many messages were sent from your connection in the last hour. Please try again "
                "later."
            ),
            status=429,
        )
    check_recipient_limit(listed)


def count_message(listed: Listed, sender_email: str, client: str, *, goes: bool) -> None:
    """Counts a kept message against its sender's limits and, once it goes (at once, or when
    its sender confirms), against its recipient's: a message never confirmed costs the person
    nothing, so made-up senders cannot use up their day."""
    names = limit_names(listed, sender_email, client)
    rate_limits.count(names["sender"], DAY)
    rate_limits.count(names["client"], HOUR)
    if goes:
        count_for_recipient(listed)


def recipient_limit(listed: Listed) -> str:
    return f"messages:{type(listed).__name__.lower()}:{listed.pk}"


def count_for_recipient(listed: Listed) -> None:
    rate_limits.count(recipient_limit(listed), DAY)


def check_recipient_limit(listed: Listed) -> None:
    if not rate_limits.within(recipient_limit(listed), settings.MESSAGES_PER_RECIPIENT_PER_DAY):
        raise Refused(
            _("%(name)s has received many messages today. Please try again tomorrow.")
            % {"name": listed.name},
            status=429,
        )


# The relayed message, in English: the directory does not know the recipient's language, and
# the reports they are listed in are in English.


def relayed_subject(sender_name: str) -> str:
    return f"{sender_name} wrote to you through the Migrant-led Europe directory"


def relayed_body(listed: Listed, sender_name: str, sender_email: str, body: str) -> str:
    return render_to_string(
        "mail/relayed_message.txt",
        {
            "sender_name": sender_name,
            "sender_email": sender_email,
            "body": body,
            "record_url": absolute(listed.get_absolute_url()),
            "stop_url": stop_url(listed),
        },
    )


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def stop_url(listed: Listed) -> str:
    """The one-click link that withdraws the person's consent, in no language prefix: a mail
    system posting to it (RFC 8058) follows no redirect."""
    token = signing.dumps([type(listed).__name__.lower(), listed.pk], salt=STOP_SALT)
    with translation.override(settings.LANGUAGE_CODE):
        return absolute(reverse("orgs:stop_messages", args=[token]))


def unsubscribe_headers(listed: Listed) -> dict[str, str]:
    return {
        "List-Unsubscribe": f"<{stop_url(listed)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


# The sender confirms their address, in the language they wrote in.


def ask_sender_to_confirm(relayed: OutgoingMail, listed: Listed) -> OutgoingMail:
    token = signing.dumps(relayed.pk, salt=SENDER_CHECK_SALT)
    body = render_to_string(
        "mail/sender_check.txt",
        {
            "sender_name": relayed.sender_name,
            "name": listed.name,
            "confirm_url": absolute(reverse("orgs:confirm_sender", args=[token])),
            "days": settings.HELD_MESSAGE_DAYS,
        },
    )
    return mail.queue(
        kind=MailKind.SENDER_CHECK,
        to=relayed.reply_to,
        # No name: the subject stays in the outbox, and the person may ask to be erased.
        subject=_("Confirm your address to send your message through the directory"),
        body=body,
    )


def held_message(token: str) -> OutgoingMail:
    """The message a sender's confirmation link names; `Refused` for a link that is not one,
    has expired, or whose message is gone."""
    try:
        pk = signing.loads(token, salt=SENDER_CHECK_SALT, max_age=SENDER_CHECK_SECONDS)
    except signing.SignatureExpired:
        raise Refused(
            _("This link has expired: a link works for a day. Please write your message again."),
            status=410,
        ) from None
    except signing.BadSignature:
        raise Refused(
            _("This link is not one the directory sent. Check that you copied all of it."),
            status=404,
        ) from None
    relayed = (
        OutgoingMail.objects.filter(pk=pk, kind=MailKind.RELAYED)
        .select_related("advocate", "network")
        .first()
    )
    if relayed is None or relayed.status == MailStatus.CANCELLED:
        raise Refused(
            _("This message is no longer waiting to be sent. Please write it again."), status=410
        )
    return relayed


def confirm_sender(token: str) -> OutgoingMail:
    """The sender followed their link: their held message goes (once, however often they
    follow it), unless the person withdrew their consent meanwhile."""
    relayed = held_message(token)
    if relayed.status == MailStatus.HELD and not answers.accepts_messages(relayed.listed):
        OutgoingMail.objects.filter(pk=relayed.pk, status=MailStatus.HELD).update(
            status=MailStatus.CANCELLED
        )
        raise Refused(
            _("%(name)s no longer accepts messages through the directory.")
            % {"name": relayed.listed.name},
            status=410,
        )
    if relayed.status == MailStatus.HELD:
        check_recipient_limit(relayed.listed)
    if mail.release(relayed):
        count_for_recipient(relayed.listed)
    return relayed


# The person stops messages.


def listed_of_stop_token(token: str) -> Listed:
    try:
        kind, pk = signing.loads(token, salt=STOP_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        raise Refused(
            _("This link is not one the directory sent. Check that you copied all of it."),
            status=404,
        ) from None
    model = {"advocate": Advocate, "network": Network}.get(kind)
    listed = model.objects.filter(pk=pk).first() if model else None
    if listed is None:
        raise Refused(_("This record is no longer in the directory."), status=404)
    return listed


def stop_messages(token: str) -> Listed:
    """Withdraws the person's consent to messages at once (nothing changes when it was
    already withdrawn); returns the person."""
    listed = listed_of_stop_token(token)
    answers.set_consent(listed, False, detail="The stop link in a relayed message")
    return listed
