"""Suggestions from the public: received, rate-limited, and approved or rejected by an editor.

An approved suggestion becomes part of the record it concerns (a new organisation with its
places, levels, focus areas and target groups, or the corrected fields of an existing one), is
cited as its source (the source "Suggestions from the public", at the locator "Suggestion N"),
and marks the record checked by the approving editor that day; a leadership it reports is a
claim "reported by the public" (or self-described, when the organisation sent it). The editor's
note and decision are in the suggestion's history. Nothing of a pending or rejected suggestion
is public.

A correction a listed person sent through their personal link (`services.corrections`) carries
its changes field by field; approving it writes them to the organisation, advocate or network,
in history under the approving editor, citing the suggestion. A request for removal is not
approved: the editor erases the person instead.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from orgs.choices import Leadership
from orgs.models import (
    Advocate,
    AdvocateCitation,
    City,
    Country,
    LeadershipClaim,
    LeadershipEvidence,
    Network,
    NetworkCitation,
    Organisation,
    OrganisationCitation,
    Source,
    Suggestion,
    SuggestionKind,
    SuggestionStatus,
)
from orgs.services import corrections, rate_limits
from orgs.services.history import one_history_entry, recorded
from orgs.services.leadership import refresh_leadership
from orgs.slugs import slug_for

SUGGESTIONS_SOURCE = "public-suggestions"


class ApprovalRefused(Exception):
    """The suggestion cannot be approved as it stands; the message says why, for the editor."""


def allow_from(address: str, limit: int) -> bool:
    """Whether one more suggestion from this client address is within the limit."""
    return rate_limits.within(f"suggestions:{address}", limit)


def count_from(address: str, seconds: int) -> None:
    """Counts a suggestion kept from this client address, for `seconds` from the first. Only
    kept ones count: a visitor who mistyped a field loses nothing."""
    rate_limits.count(f"suggestions:{address}", seconds)


def suggestions_source() -> Source:
    source, _ = Source.objects.get_or_create(
        key=SUGGESTIONS_SOURCE,
        defaults={
            "title": "Suggestions from the public, checked and approved by the directory's editors",
            "short_title": "Suggestions from the public",
            "publisher": "The directory's editors",
            "year": timezone.now().year,
            "description": "Additions and corrections sent through the directory's forms.",
        },
    )
    return source


def approve(suggestion: Suggestion, by=None, note: str = "") -> Organisation | Advocate | Network:
    """Applies an approved suggestion to the directory, citing it, and marks the record checked
    by the editor today; atomic. `note` (the editor's) is kept on the suggestion and in history.
    """
    if suggestion.status != SuggestionStatus.PENDING:
        raise ApprovalRefused(f"It is already {suggestion.get_status_display().lower()}.")
    if corrections.is_removal(suggestion):
        raise ApprovalRefused(
            "The person asks to be removed: erase them (or hide the network) instead; "
            "the erasure takes this request with it."
        )
    note = note.strip() or suggestion.editor_note
    reason = reviewed("Approved", suggestion, note)
    with transaction.atomic(), recorded(by, reason):
        source = suggestions_source()
        if suggestion.kind == SuggestionKind.NEW:
            record = create_organisation(suggestion, source, by)
            suggestion.organisation = record
        elif suggestion.organisation is not None:
            record = correct_organisation(suggestion, source, by)
        elif suggestion.advocate is not None or suggestion.network is not None:
            record = correct_listed(suggestion, source, by)
        else:
            raise ApprovalRefused("The record it corrects no longer exists.")
        close(suggestion, SuggestionStatus.APPROVED, by, note, reason)
    return record


def reject(suggestion: Suggestion, by=None, note: str = ""):
    if suggestion.status != SuggestionStatus.PENDING:
        raise ApprovalRefused(f"It is already {suggestion.get_status_display().lower()}.")
    note = note.strip() or suggestion.editor_note
    reason = reviewed("Rejected", suggestion, note)
    with transaction.atomic(), recorded(by, reason):
        close(suggestion, SuggestionStatus.REJECTED, by, note, reason)


def reviewed(decision: str, suggestion: Suggestion, note: str) -> str:
    """The reason history gives: the decision, the suggestion, and the editor's note."""
    return f"{decision} {suggestion.locator}" + (f": {note}" if note else "")


def close(suggestion: Suggestion, status: str, by, note: str, reason: str):
    suggestion._change_reason = reason  # not the reason of an edit saved just before
    suggestion.status = status
    suggestion.editor_note = note
    suggestion.reviewed_at = timezone.now()
    suggestion.reviewed_by = by if by is not None and by.pk else None
    suggestion.save()


def create_organisation(suggestion: Suggestion, source: Source, by) -> Organisation:
    if not suggestion.name or not suggestion.country:
        raise ApprovalRefused("A new organisation needs a name and a country.")
    same = Organisation.objects.filter(countries=suggestion.country.code).filter(
        name__iexact=suggestion.name
    ) | Organisation.objects.filter(
        countries=suggestion.country.code, aliases__name__iexact=suggestion.name
    )
    if same.exists():
        raise ApprovalRefused(
            f"{suggestion.name} is already in the directory ({same.first().slug}); "
            "correct that record instead, or reject this suggestion."
        )
    today = timezone.localdate()
    organisation = Organisation(
        name=suggestion.name,
        slug=free_slug(suggestion.name),
        description=suggestion.message,
        website=suggestion.website,
        email=suggestion.public_email,
        checked_on=today,
    )
    organisation._history_user = by
    country, _ = Country.objects.get_or_create(
        code=suggestion.country.code, defaults={"name": suggestion.country.name}
    )
    reason = f"Added from {suggestion.locator}; marked checked on {today.isoformat()}"
    terms = ["countries", "cities", "levels", "focus_areas", "target_groups"]
    with one_history_entry(organisation, terms, reason):
        organisation.save()
        organisation.countries.add(country)
        if suggestion.city:
            organisation.cities.add(city_named(suggestion.city, country.code))
        for name in ("levels", "focus_areas", "target_groups"):
            getattr(organisation, name).add(*getattr(suggestion, name).all())
    OrganisationCitation.objects.create(
        organisation=organisation, source=source, locator=suggestion.locator
    )
    claim_leadership(suggestion, organisation, source)
    return organisation


def corrected_from(suggestion: Suggestion, record) -> str:
    """Writes the changes a listed person sent (if any) to the record; the history reason's
    start, naming the suggestion (and the fields)."""
    try:
        written = corrections.apply_suggested_changes(suggestion, record)
    except ValidationError as error:
        raise ApprovalRefused(f"A value it gives is refused: {' '.join(error.messages)}") from None
    if not written:
        return f"Corrected from {suggestion.locator}"
    fields = corrections.labels(record, written)
    return f"Corrected from {suggestion.locator} (the listed person's changes: {fields})"


def correct_listed(suggestion: Suggestion, source: Source, by) -> Advocate | Network:
    """An advocate's or a network's correction: its changes written, the suggestion cited."""
    record = suggestion.advocate or suggestion.network
    start = corrected_from(suggestion, record)
    citations = AdvocateCitation if isinstance(record, Advocate) else NetworkCitation
    citations.objects.get_or_create(
        **{record._meta.model_name: record}, source=source, locator=suggestion.locator
    )
    record.checked_on = timezone.localdate()
    confirmed_by_the_listed(suggestion, record)
    record._history_user = by
    record._change_reason = f"{start}; marked checked on {record.checked_on}"
    record.save()
    return record


def confirmed_by_the_listed(suggestion: Suggestion, record) -> None:
    """A correction the listed sent through their link dates the record confirmed by them on
    the day they sent it, once an editor approved it (a later confirmation stands)."""
    if suggestion.invitation_id is not None:
        sent = timezone.localdate(suggestion.created_at)
        record.confirmed_on = max(sent, record.confirmed_on or sent)


def correct_organisation(suggestion: Suggestion, source: Source, by) -> Organisation:
    """Applies the fields the suggestion (as the editor left it) gives; cites it."""
    organisation = suggestion.organisation
    start = corrected_from(suggestion, organisation)
    for field in ("website", "public_email"):
        value = getattr(suggestion, field)
        if value:
            setattr(organisation, "email" if field == "public_email" else field, value)
    organisation.checked_on = timezone.localdate()
    confirmed_by_the_listed(suggestion, organisation)
    organisation._history_user = by
    organisation._change_reason = f"{start}; marked checked on {organisation.checked_on}"
    organisation.save()
    OrganisationCitation.objects.get_or_create(
        organisation=organisation, source=source, locator=suggestion.locator
    )
    claim_leadership(suggestion, organisation, source)
    return organisation


def claim_leadership(suggestion: Suggestion, organisation: Organisation, source: Source):
    if not suggestion.leadership or suggestion.leadership == Leadership.UNKNOWN:
        return
    # The organisation's own word is a self-description; anyone else's is a report from the
    # public, which an editor checked (never an editor's reading of a report's text).
    evidence = (
        LeadershipEvidence.SELF_DESCRIBED
        if suggestion.is_own
        else LeadershipEvidence.REPORTED_BY_PUBLIC
    )
    quote = ""
    if suggestion.leadership_basis:
        quote = f"How the sender knows: {suggestion.get_leadership_basis_display()}"
    LeadershipClaim.objects.update_or_create(
        organisation=organisation,
        source=source,
        locator=suggestion.locator,
        defaults={"leadership": suggestion.leadership, "evidence": evidence, "quote": quote},
    )
    refresh_leadership(organisation)


def free_slug(name: str) -> str:
    base = slug_for(name)[:180] or "organisation"
    slug, number = base, 1
    while Organisation.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def city_named(name: str, country: str) -> City:
    city = City.objects.filter(name__iexact=name, country=country).first()
    if city is None:
        slug = f"{country.lower()}-{slug_for(name)}"
        city = City.objects.create(name=name, country=country, slug=slug)
    return city


def receive(suggestion: Suggestion, kind: str, record=None, terms: dict | None = None):
    """Keeps what a visitor sent through a public form, pending an editor's review.

    `suggestion` is the form's unsaved instance, `record` the organisation or advocate it
    corrects (none for a new organisation), `terms` its many-to-many values by field name.
    Nothing of it is public until an editor approves it (`approve`); its history says where it
    came from. Atomic, so that a suggestion is never kept without the terms it was sent with.
    """
    suggestion.kind = kind
    if record is not None:
        setattr(suggestion, record._meta.model_name, record)
    suggestion._change_reason = "Sent through the public suggestion form"
    with transaction.atomic():
        suggestion.save()
        for name, values in (terms or {}).items():
            getattr(suggestion, name).set(values)
    return suggestion
