"""What the listed say about their records, each answer kept with its date (`ListedAnswer`).

A listed person is an advocate, or a network whose profile printed a person's address. An
advocate may also answer for an organisation they work for (`organisation`): confirming it
dates it "confirmed by the organisation". Confirming or correcting a record sets its
`confirmed_on`; consenting to messages, or withdrawing consent, sets `accepts_messages` on the
person's private address. Every change is in the record's history, naming the person.
"""

from django.db import transaction
from django.utils import timezone

from orgs import caching
from orgs.choices import AnswerKind
from orgs.models import Advocate, Invitation, ListedAnswer, Network, Organisation, PersonalAddress

Listed = Advocate | Network


def record_answer(
    listed: Listed,
    kind: str,
    *,
    invitation: Invitation | None = None,
    organisation: Organisation | None = None,
    detail: str = "",
) -> ListedAnswer:
    return ListedAnswer.objects.create(
        kind=kind,
        advocate=listed if isinstance(listed, Advocate) else None,
        network=listed if isinstance(listed, Network) else None,
        organisation=organisation,
        invitation=invitation,
        detail=detail[:500],
    )


def answered_by(listed: Listed) -> str:
    """How history names the person who answered."""
    kind = "advocate" if isinstance(listed, Advocate) else "network"
    return f"{listed.name} (the listed {kind}, through their personal link)"


def mark_confirmed(record: Organisation | Listed, listed: Listed, reason: str) -> None:
    """Dates the record confirmed today, in its history as the listed person's doing."""
    record.confirmed_on = timezone.localdate()
    record._history_user = None
    record._change_reason = f"{reason} by {answered_by(listed)}"
    record.save()  # retires the figures that show it (`figure_tags`)


def confirm(
    listed: Listed,
    *,
    invitation: Invitation | None = None,
    organisation: Organisation | None = None,
) -> ListedAnswer:
    """The listed person confirms their record (or an organisation they work for) as it is."""
    with transaction.atomic():
        mark_confirmed(organisation or listed, listed, "Confirmed as it stands")
        return record_answer(
            listed, AnswerKind.CONFIRMED, invitation=invitation, organisation=organisation
        )


def set_consent(
    listed: Listed, accepts: bool, *, invitation: Invitation | None = None, detail: str = ""
) -> ListedAnswer | None:
    """Whether people may write to the person through the directory; None when the person
    has no private address (nothing to write to) or the answer changes nothing."""
    with transaction.atomic():
        owner = {"advocate": listed} if isinstance(listed, Advocate) else {"network": listed}
        changed = (
            PersonalAddress.objects.filter(**owner)
            .exclude(accepts_messages=accepts)
            .update(accepts_messages=accepts)
        )
        if not changed:
            return None
        addresses_changed(listed)
        kind = AnswerKind.CONSENTED if accepts else AnswerKind.WITHDREW
        return record_answer(listed, kind, invitation=invitation, detail=detail)


def addresses_changed(listed: Listed) -> None:
    """Retires the figures of the person's kind, as a saved private address would (`update`
    sends no signal)."""
    caching.retire([caching.epoch("advocate" if isinstance(listed, Advocate) else "network")])


def accepts_messages(listed: Listed) -> bool:
    owner = {"advocate": listed} if isinstance(listed, Advocate) else {"network": listed}
    return PersonalAddress.objects.filter(**owner, accepts_messages=True).exists()


def address_changed(listed: Listed) -> ListedAnswer:
    """An editor changed the person's private address: whoever reads the new one never agreed
    to messages, so consent is reset, to be given again through the link; the answer says why."""
    with transaction.atomic():
        owner = {"advocate": listed} if isinstance(listed, Advocate) else {"network": listed}
        PersonalAddress.objects.filter(**owner).update(accepts_messages=False)
        addresses_changed(listed)
        return record_answer(
            listed, AnswerKind.WITHDREW, detail="The address changed; consent must be given again"
        )
