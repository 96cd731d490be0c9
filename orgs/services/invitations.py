"""The notice to the listed (GDPR Art. 14) and the personal link it carries.

`invite` writes to each listed person (an advocate, or a network whose profile printed a
person's address) what the directory holds about them, where it comes from, why, their rights,
and a link to their own record: one transaction per person, so that a run stopped half-way
leaves every notice it wrote queued, and the next run skips whoever already has one (unless
`again`). Nobody without a private address, unpublished, or already invited is written to.

The link carries the invitation's id, signed with its own salt (`django.core.signing`): it is
good for `INVITATION_DAYS`, and opens the record once. Opening is a POST (mail scanners follow
links with GET, and must not spend them). A person whose link expired or was spent may ask for
a new one, which goes to the address on file, never to one they give; the answer is the same
whatever happens, and the asking is rate-limited.
"""

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from orgs.choices import AnswerKind, MailKind, MailStatus
from orgs.models import (
    Advocate,
    Affiliation,
    Invitation,
    ListedAnswer,
    Membership,
    Network,
    PersonalAddress,
)
from orgs.services import answers, mail, rate_limits

logger = logging.getLogger(__name__)

SALT = "orgs.invitations.personal-link"
# Mail that did not reach the person: an invitation sent with it does not count.
NOT_DELIVERED = (MailStatus.FAILED, MailStatus.BOUNCED, MailStatus.CANCELLED)
SUBJECT = "You are listed in the Migrant-led Europe directory: what it holds and your choices"
NEW_LINK_SUBJECT = "Your new personal link to the Migrant-led Europe directory"

Listed = Advocate | Network


@dataclass
class Invited:
    """What `invite` did: the invitations written (or, on a dry run, the records that would
    have one), and the records skipped with the reason."""

    sent: list[tuple[Listed, Invitation | None]] = field(default_factory=list)
    skipped: list[tuple[Listed, str]] = field(default_factory=list)


def owner_of(listed: Listed) -> dict:
    return {"advocate": listed} if isinstance(listed, Advocate) else {"network": listed}


def why_not(listed: Listed, again: bool = False) -> str:
    """Why the person is not to be written to, or "" when they are."""
    if listed.pk is None:
        return "erased"
    if not listed.is_published:
        return "not published"
    if not PersonalAddress.objects.filter(**owner_of(listed)).exists():
        return "no private address"
    if not again:
        earlier = delivered_invitations(listed).first()
        if earlier is not None:
            return f"already invited on {timezone.localdate(earlier.created_at):%d %B %Y}"
        bounced = undeliverable(listed)
        if bounced is not None:
            return (
                f"the address bounced on {timezone.localdate(bounced.at):%d %B %Y} (correct it, "
                "then send again on purpose)"
            )
    return ""


def undeliverable(listed: Listed) -> ListedAnswer | None:
    """The last note that the person's address is undeliverable: writing to it again only
    harms the directory's standing with mail servers."""
    return (
        ListedAnswer.objects.filter(**owner_of(listed), kind=AnswerKind.UNDELIVERABLE)
        .order_by("-at")
        .first()
    )


def delivered_invitations(listed: Listed):
    """The person's invitations whose mail is queued, sent, or on its way."""
    return Invitation.objects.filter(**owner_of(listed)).filter(
        Q(mail__isnull=True) | ~Q(mail__status__in=NOT_DELIVERED)
    )


def invite(listed_records, by=None, dry_run: bool = False, again: bool = False) -> Invited:
    """Sends each listed person the notice with a personal link (see the module docstring)."""
    outcome = Invited()
    for listed in listed_records:
        with transaction.atomic():
            if not dry_run:
                # One writer per person: a command and an editor's action at the same time
                # do not both write to them (PostgreSQL locks the row; SQLite writes one by one).
                locked = type(listed).objects.select_for_update().filter(pk=listed.pk)
                list(locked.values_list("pk", flat=True))
            reason = why_not(listed, again)
            if reason:
                outcome.skipped.append((listed, reason))
            elif dry_run:
                outcome.sent.append((listed, None))
            else:
                outcome.sent.append((listed, send_notice(listed, by=by)))
    return outcome


def send_notice(listed: Listed, by=None, kind: str = MailKind.INVITATION) -> Invitation:
    """One invitation, its notice queued and the answer "invited" recorded, or none of it."""
    sent_by = by if by is not None and by.pk else None
    with transaction.atomic():
        invitation = Invitation.objects.create(
            **owner_of(listed),
            sent_by=sent_by,
            expires_at=timezone.now() + timedelta(days=settings.INVITATION_DAYS),
        )
        invitation.mail = mail.queue(
            kind=kind,
            to=listed,
            subject=NEW_LINK_SUBJECT if kind == MailKind.NEW_LINK else SUBJECT,
            body=notice(listed, invitation, new_link=kind == MailKind.NEW_LINK),
        )
        invitation.save(update_fields=["mail"])
        detail = "A new link, asked for by the person" if kind == MailKind.NEW_LINK else ""
        answers.record_answer(listed, AnswerKind.INVITED, invitation=invitation, detail=detail)
    return invitation


def notice(listed: Listed, invitation: Invitation, new_link: bool = False) -> str:
    """The notice's text: plain English, what the directory holds and the person's rights."""
    is_advocate = isinstance(listed, Advocate)
    if is_advocate:
        organisations = Affiliation.objects.filter(advocate=listed).select_related("organisation")
        networks = Membership.objects.filter(advocate=listed).select_related("network")
    else:
        organisations = Affiliation.objects.none()
        networks = Membership.objects.none()
    with translation.override("en"):
        context = {
            "listed": listed,
            "is_advocate": is_advocate,
            "countries": [country.name for country in listed.countries.all()],
            "cities": [city.name for city in listed.cities.all()],
            "focus_areas": [term.name for term in listed.focus_areas.all()],
            "target_groups": [term.name for term in listed.target_groups.all()],
            "organisations": organisations,
            "networks": networks,
            "citations": listed.citations.select_related("source"),
            "link": absolute(reverse("orgs:listed_link", args=[token_for(invitation)])),
            "page": absolute(listed.get_absolute_url()),
            "privacy": absolute(reverse("orgs:privacy")),
            "expires_on": f"{timezone.localtime(invitation.expires_at):%d %B %Y}",
            "new_link": new_link,
        }
        return render_to_string("mail/invitation.txt", context)


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def token_for(invitation: Invitation) -> str:
    """The link's token: the invitation's id, signed. The invitation says when it expires and
    whether it was used, so the token needs no time of its own, and is the same every time."""
    return signing.Signer(salt=SALT).sign(str(invitation.pk))


class LinkRefused(Exception):
    """A personal link that opens nothing: `reason` is "tampered" (not signed by us, or cut),
    "unknown" (signed, but its invitation is gone with its record), "expired" or "used";
    `invitation` is the one it names, when it names one."""

    def __init__(self, reason: str, invitation: Invitation | None = None):
        super().__init__(reason)
        self.reason = reason
        self.invitation = invitation


def check_link(token: str) -> Invitation:
    """The invitation a link names, if it may still open the record; else `LinkRefused`."""
    try:
        pk = int(signing.Signer(salt=SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        raise LinkRefused("tampered") from None
    invitation = Invitation.objects.select_related("advocate", "network").filter(pk=pk).first()
    if invitation is None or invitation.listed is None:
        raise LinkRefused("unknown")
    if invitation.used_at is not None:
        raise LinkRefused("used", invitation)
    if invitation.expires_at <= timezone.now():
        raise LinkRefused("expired", invitation)
    return invitation


def open_link(token: str) -> Invitation:
    """Spends the link: the invitation, marked used, for the visitor's session to act on."""
    with transaction.atomic():
        invitation = check_link(token)
        now = timezone.now()
        # Two tabs opening one link at once: only one spends it.
        if not Invitation.objects.filter(pk=invitation.pk, used_at__isnull=True).update(
            used_at=now
        ):
            raise LinkRefused("used", invitation)
        invitation.used_at = now
    return invitation


def ask_for_new_link(token: str, client: str) -> None:
    """Mails a new link to the address on file, when the link was the person's, spent or
    expired, and neither the person nor this client asked too often; silent either way."""
    try:
        check_link(token)
        return  # the link still opens the record: nothing to renew
    except LinkRefused as refusal:
        invitation = refusal.invitation
    if invitation is None:
        return
    per_person, per_client, seconds = settings.NEW_LINK_RATE_LIMIT
    listed = invitation.listed
    person = f"new-link:{listed._meta.model_name}:{listed.pk}"
    from_client = f"new-link-client:{client}"
    if not (rate_limits.within(person, per_person) and rate_limits.within(from_client, per_client)):
        logger.info("A new personal link was asked for too often; none sent")
        return
    rate_limits.count(from_client, seconds)
    if why_not(listed, again=True):
        return
    rate_limits.count(person, seconds)
    send_notice(listed, kind=MailKind.NEW_LINK)
