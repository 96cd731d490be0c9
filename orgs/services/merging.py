"""Merging duplicate records into one: everything that names a duplicate moves to the record kept.

A merge moves aliases, citations, leadership claims, affiliations, memberships, survey
responses and former addresses, and what the listed did through their personal link (an
advocate's invitations, answers and mail, queued or sent, and an organisation's answers given
for it); takes each single-valued field (a description, a website) from
the record the editor chose, and refuses to guess when the records differ and no choice was
made; unions places and terms; keeps each duplicate's name as an alias, its websites as other
websites and its address as a redirect; and records the merge, by whom and why, in both
records' history. It runs in one transaction: when it cannot be done (`MergeRefused`), nothing
has changed. `side_by_side` is what the merge screen shows of the records before the editor
chooses.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Model

from orgs import caching, search
from orgs.choices import AnswerKind, LegalForm
from orgs.models import (
    PROFILE_TERMS,
    Advocate,
    AdvocateAlias,
    FormerAdvocateSlug,
    FormerOrganisationSlug,
    MembershipRole,
    Organisation,
    OrganisationAlias,
)
from orgs.services.history import one_history_entry, recorded
from orgs.services.leadership import refresh_leadership


class MergeRefused(Exception):
    """The records cannot be merged; the message says why, for the editor."""


@dataclass(frozen=True)
class Kind:
    """What a merge moves for one kind of record."""

    model: type[Model]
    alias_model: type[Model]
    former_slug_model: type[Model]
    owner: str  # the field naming the record on its related rows
    chosen: tuple[str, ...]  # single-valued fields: the editor chooses whose value is kept
    joined: tuple[str, ...]  # source texts, joined
    citation_sets: tuple[str, ...]  # related names of rows unique per (record, source, locator)
    other_side: str  # the other end of an affiliation


ORGANISATION = Kind(
    model=Organisation,
    alias_model=OrganisationAlias,
    former_slug_model=FormerOrganisationSlug,
    owner="organisation",
    chosen=("description", "form", "website", "email", "founded"),
    joined=("location_raw", "levels_raw", "focus_raw", "target_groups_raw", "form_raw", "note"),
    citation_sets=("citations", "leadership_claims"),
    other_side="advocate",
)
ADVOCATE = Kind(
    model=Advocate,
    alias_model=AdvocateAlias,
    former_slug_model=FormerAdvocateSlug,
    owner="advocate",
    chosen=("roles",),
    joined=("location_raw", "levels_raw", "focus_raw", "target_groups_raw", "note"),
    citation_sets=("citations",),
    other_side="organisation",
)
KINDS = {Organisation: ORGANISATION, Advocate: ADVOCATE}
EMPTY = ("", None, LegalForm.UNKNOWN)  # an organisation's form when no report names it


def merge(keep: Model, duplicates, by=None, choices: dict | None = None, reason: str = "") -> Model:
    """Merges `duplicates` into `keep` (organisations or advocates), atomically.

    `choices` maps a single-valued field to the record whose value the merged record keeps;
    a field the records fill differently must be chosen. `reason` (the editor's) goes into the
    history with `by`.
    """
    duplicates = [record for record in duplicates if record.pk != keep.pk]
    kind = KINDS.get(type(keep))
    if kind is None:
        raise MergeRefused(f"{keep._meta.verbose_name_plural.capitalize()} cannot be merged.")
    if not duplicates:
        raise MergeRefused("Choose at least two records: the one to keep and its duplicates.")
    if any(type(record) is not type(keep) for record in duplicates):
        raise MergeRefused("Only records of one kind can be merged.")
    with transaction.atomic(), search.deferred():
        try:
            keep = kind.model.objects.select_for_update().get(pk=keep.pk)
            duplicates = [kind.model.objects.get(pk=duplicate.pk) for duplicate in duplicates]
        except kind.model.DoesNotExist:
            raise MergeRefused("A record was deleted meanwhile; reload the list.") from None
        values, taken = chosen_values(kind, [keep, *duplicates], choices or {})
        for duplicate in duplicates:
            merge_one(kind, keep, duplicate, by, values, taken.get(duplicate.pk, []), reason)
        if kind is ORGANISATION:
            refresh_leadership(keep)
        caching.changed()  # rows moved with `update` send no signal
    return keep


def chosen_values(kind: Kind, records: list, choices: dict) -> tuple[dict, dict]:
    """The value of each single-valued field after the merge, and the fields taken from each
    duplicate (by its pk); refuses when records differ in a field the editor did not choose."""
    by_pk = {record.pk: record for record in records}
    values, taken, unchosen = {}, {}, []
    for name in kind.chosen:
        if name in choices:
            pk = getattr(choices[name], "pk", choices[name])
            if pk not in by_pk:
                raise MergeRefused(f"The {label(kind, name)} chosen is not one of the records.")
            source = by_pk[pk]
        else:
            filled = [record for record in records if getattr(record, name) not in EMPTY]
            if len({getattr(record, name) for record in filled}) > 1:
                unchosen.append(label(kind, name))
                continue
            source = filled[0] if filled else records[0]
        values[name] = getattr(source, name)
        if source is not records[0] and values[name] != getattr(records[0], name):
            taken.setdefault(source.pk, []).append(label(kind, name))
    if unchosen:
        raise MergeRefused(
            f"The records differ in their {', '.join(unchosen)}: choose which to keep."
        )
    return values, taken


def label(kind: Kind, name: str) -> str:
    return str(kind.model._meta.get_field(name).verbose_name)


def merge_one(kind: Kind, keep, duplicate, by, values: dict, taken: list[str], reason: str):
    refuse_conflicts(kind, keep, duplicate)
    what = f"Merged {duplicate.name} ({duplicate.slug}) into {keep.name} ({keep.slug})"
    if taken:
        what += f", keeping its {', '.join(taken)}"
    if reason:
        what += f": {reason}"
    with recorded(by, what):
        move_everything(kind, keep, duplicate, by, values, what)


def move_everything(kind: Kind, keep, duplicate, by, values: dict, what: str):
    move_names(kind, keep, duplicate)
    for related_name in kind.citation_sets:
        move_citations(getattr(duplicate, related_name).all(), kind.owner, keep)
    move_affiliations(kind, keep, duplicate)
    move_memberships(kind, keep, duplicate)
    duplicate.responses.update(**{kind.owner: keep})
    duplicate.suggestions.update(**{kind.owner: keep})  # a correction follows its record
    # The record of what the listed answered (their consent among it) is kept for
    # accountability; it would go with the duplicate.
    duplicate.answers.update(**{kind.owner: keep})
    if kind is ADVOCATE:
        # Queued mail still goes, now to the address the kept record holds.
        duplicate.invitations.update(advocate=keep)
        duplicate.mail.update(advocate=keep)
        move_personal_address(keep, duplicate)
    keep._history_user = by
    with one_history_entry(keep, PROFILE_TERMS, what):
        combine_fields(kind, keep, duplicate, values)
        keep.save()
    slug = duplicate.slug
    duplicate._change_reason = what
    duplicate._history_user = by
    duplicate.delete()
    kind.former_slug_model.objects.create(slug=slug, **{kind.owner: keep})


def refuse_conflicts(kind: Kind, keep, duplicate):
    if kind is ADVOCATE:
        addresses = [
            getattr(record, "personal_address", None) for record in (keep, duplicate)
        ]  # fmt: skip
        if all(addresses) and addresses[0].email.lower() != addresses[1].email.lower():
            raise MergeRefused(
                f"{keep.name} and {duplicate.name} have different personal addresses; "
                "keep one of them (delete the other in the advocate's page) and merge again."
            )
    if kind is ORGANISATION:
        ours, theirs = keep.external_ids or {}, duplicate.external_ids or {}
        clashing = sorted(key for key in ours.keys() & theirs.keys() if ours[key] != theirs[key])
        if clashing:
            raise MergeRefused(
                f"{keep.name} and {duplicate.name} have different identifiers "
                f"({', '.join(clashing)}): they may not be one organisation."
            )


def move_names(kind: Kind, keep, duplicate):
    """The duplicate's name and aliases become the kept record's aliases; old addresses move."""
    taken = {keep.name.casefold()} | {
        name.casefold() for name in keep.aliases.values_list("name", flat=True)
    }
    first_source = duplicate.citations.order_by("source__year").values_list("source", flat=True)
    new_names = [(duplicate.name, first_source.first(), False)]
    new_names += [
        (alias.name, alias.source_id, alias.editorial) for alias in duplicate.aliases.all()
    ]
    for name, source, editorial in new_names:
        if name.casefold() not in taken:
            taken.add(name.casefold())
            kind.alias_model.objects.create(
                name=name, source_id=source, editorial=editorial, **{kind.owner: keep}
            )
    duplicate.former_slugs.update(**{kind.owner: keep})


def move_citations(rows, owner: str, keep):
    """Moves citation-like rows (unique per record, source and locator) onto `keep`."""
    for row in rows:
        existing = (
            type(row)
            .objects.filter(**{owner: keep}, source_id=row.source_id, locator=row.locator)
            .first()
        )
        if existing is None:
            setattr(row, owner, keep)
            row.save()
        else:
            if not existing.quote and row.quote:
                existing.quote = row.quote
                existing.save()
            row.delete()


def move_affiliations(kind: Kind, keep, duplicate):
    for affiliation in duplicate.affiliations.all():
        other = getattr(affiliation, f"{kind.other_side}_id")
        existing = keep.affiliations.filter(**{f"{kind.other_side}_id": other}).first()
        if existing is None:
            setattr(affiliation, kind.owner, keep)
            affiliation.save()
            continue
        existing.role = existing.role or affiliation.role
        existing.is_current = existing.is_current or affiliation.is_current
        existing.save()
        move_citations(affiliation.citations.all(), "affiliation", existing)
        affiliation.delete()


def move_memberships(kind: Kind, keep, duplicate):
    for membership in duplicate.memberships.all():
        existing = keep.memberships.filter(network_id=membership.network_id).first()
        if existing is None:
            setattr(membership, kind.owner, keep)
            membership.save()
            continue
        if membership.role == MembershipRole.COORDINATOR:
            existing.role = MembershipRole.COORDINATOR
            existing.save()
        move_citations(membership.citations.all(), "membership", existing)
        membership.delete()


def move_personal_address(keep, duplicate):
    """The duplicate's address, with the person's consent, moves to the kept record; when both
    hold the same address, it accepts messages only if the person's last word on record (their
    answers, moved to the kept record first) was to consent."""
    address = getattr(duplicate, "personal_address", None)
    if address is None:
        return
    kept = getattr(keep, "personal_address", None)
    if kept is None:
        address.advocate = keep
        address.save()
        return
    either_consented = kept.accepts_messages or address.accepts_messages
    address.delete()  # the same address (refuse_conflicts checked)
    if either_consented:
        last_word = (
            keep.answers.filter(kind__in=[AnswerKind.CONSENTED, AnswerKind.WITHDREW])
            .order_by("-at", "-pk")
            .values_list("kind", flat=True)
            .first()
        )
        kept.accepts_messages = last_word == AnswerKind.CONSENTED
        kept.save(update_fields=["accepts_messages"])


def combine_fields(kind: Kind, keep, duplicate, values: dict):
    websites = [keep.website, *keep.other_websites] if kind is ORGANISATION else []
    for name, value in values.items():
        setattr(keep, name, value)
    for name in kind.joined:
        parts = [getattr(keep, name), getattr(duplicate, name)]
        setattr(keep, name, "\n".join(dict.fromkeys(part for part in parts if part)))
    if kind is ORGANISATION:
        # Every website stays: the one not chosen becomes another website.
        websites += [duplicate.website, *duplicate.other_websites]
        keep.other_websites = [
            url for url in dict.fromkeys(websites) if url and url != keep.website
        ]  # fmt: skip
        keep.external_ids = {**(duplicate.external_ids or {}), **(keep.external_ids or {})}
    for name in PROFILE_TERMS:
        getattr(keep, name).add(*getattr(duplicate, name).all())


# What the merge screen shows: the records side by side, field by field.


@dataclass
class Row:
    """One field of the records side by side, and what the merge does with it."""

    label: str
    values: list  # one per record, in the records' order: text, or a list of texts
    outcome: str
    name: str = ""  # a single-valued field the editor chooses, when the records differ
    chosen: int | None = None  # the pk of the record whose value is chosen at first
    choices: list = field(default_factory=list)  # (record, value) pairs, for the form
    listed: bool = False  # each value is a list of texts


def records_to_merge(model, pks) -> list:
    """The selected records with everything the merge screen shows, in name order."""
    kind = KINDS[model]
    related = [*PROFILE_TERMS, "aliases", "citations__source", "memberships__network"]
    related.append(f"affiliations__{kind.other_side}")
    if kind is ORGANISATION:
        related.append("leadership_claims__source")
    else:
        related.append("personal_address")
    return list(model.objects.filter(pk__in=pks).order_by("name").prefetch_related(*related))


def side_by_side(records: list) -> list[Row]:
    kind = KINDS[type(records[0])]
    rows = []
    for name in kind.chosen:
        values = [getattr(record, name) for record in records]
        shown = [display(record, name) for record in records]
        filled = [value for value in values if value not in EMPTY]
        row = Row(label(kind, name).capitalize(), shown, "The same in every record")
        if len(set(filled)) > 1:
            row.name, row.outcome = name, "The value you choose"
            row.choices = list(zip(records, shown, strict=True))
            row.chosen = next(r.pk for r in records if getattr(r, name) not in EMPTY)
        elif filled and len(filled) < len(values):
            row.outcome = "The only value given"
        rows.append(row)
    listed = [
        ("Other names", lambda r: [alias.name for alias in r.aliases.all()],
         "All kept, with the other records' names"),
        ("Countries", lambda r: names(r.countries), "Combined: all are kept"),
        ("Cities", lambda r: names(r.cities), "Combined: all are kept"),
        ("Levels of work", lambda r: names(r.levels), "Combined: all are kept"),
        ("Focus areas", lambda r: names(r.focus_areas), "Combined: all are kept"),
        ("Target groups", lambda r: names(r.target_groups), "Combined: all are kept"),
    ]  # fmt: skip
    if kind is ORGANISATION:
        listed += [
            ("Other websites", lambda r: r.other_websites,
             "All kept, with the websites not chosen above"),
            ("Identifiers", lambda r: [f"{k}: {v}" for k, v in (r.external_ids or {}).items()],
             "Combined; different identifiers under one prefix stop the merge"),
            ("Leadership claims", lambda r: [f"{c}, {c.source.short_title}, {c.locator}"
                                             for c in r.leadership_claims.all()],
             "All move to the kept record; its leadership is their summary"),
            ("Advocates", lambda r: [str(a.advocate) for a in r.affiliations.all()],
             "All move (one affiliation per person)"),
        ]  # fmt: skip
    else:
        listed += [
            ("Organisations", lambda r: [str(a.organisation) for a in r.affiliations.all()],
             "All move (one affiliation per organisation)"),
            ("Personal address", personal_email, "Kept; two different addresses stop the merge"),
        ]  # fmt: skip
    listed += [
        ("Networks", lambda r: [str(m.network) for m in r.memberships.all()], "All move"),
        ("Citations", lambda r: [str(c) for c in r.citations.all()], "All move"),
        ("Editorial note", lambda r: [r.note] if r.note else [], "Joined"),
    ]
    for title, read, outcome in listed:
        rows.append(Row(title, [read(record) for record in records], outcome, listed=True))
    published = ["yes" if record.is_published else "no (hidden)" for record in records]
    checked = [str(record.checked_on or "never") for record in records]
    rows.append(Row("Published", published, "The kept record's"))
    rows.append(Row("Checked on", checked, "The kept record's"))
    return rows


def display(record, name: str) -> str:
    value = getattr(record, name)
    if name == "form":
        return record.get_form_display()
    return "" if value is None else str(value)


def personal_email(advocate) -> list[str]:
    address = getattr(advocate, "personal_address", None)
    return [address.email] if address else []


def names(terms) -> list[str]:
    return [str(term) for term in terms.all()]
