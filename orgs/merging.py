"""Merging duplicate records into one: everything that names a duplicate moves to the record kept.

A merge moves aliases, citations, leadership claims, affiliations, memberships, survey
responses and former addresses; fills the kept record's empty fields and unions its places
and terms; keeps each duplicate's name as an alias and its address as a redirect; and records
the merge in both records' history. It runs in one transaction: when it cannot be done
(`MergeRefused`), nothing has changed.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Model

from . import figures, search
from .models import (
    PROFILE_TERMS,
    Advocate,
    AdvocateAlias,
    FormerAdvocateSlug,
    FormerOrganisationSlug,
    MembershipRole,
    Organisation,
    OrganisationAlias,
)
from .services import one_history_entry, refresh_leadership


class MergeRefused(Exception):
    """The records cannot be merged; the message says why, for the editor."""


@dataclass(frozen=True)
class Kind:
    """What a merge moves for one kind of record."""

    model: type[Model]
    alias_model: type[Model]
    former_slug_model: type[Model]
    owner: str  # the field naming the record on its related rows
    fillable: tuple[str, ...]  # fields a duplicate fills in when the kept record's are empty
    joined: tuple[str, ...]  # source texts, joined
    citation_sets: tuple[str, ...]  # related names of rows unique per (record, source, locator)
    other_side: str  # the other end of an affiliation


ORGANISATION = Kind(
    model=Organisation,
    alias_model=OrganisationAlias,
    former_slug_model=FormerOrganisationSlug,
    owner="organisation",
    fillable=("description", "website", "email", "founded"),
    joined=("location_raw", "levels_raw", "focus_raw", "target_groups_raw", "form_raw", "note"),
    citation_sets=("citations", "leadership_claims"),
    other_side="advocate",
)
ADVOCATE = Kind(
    model=Advocate,
    alias_model=AdvocateAlias,
    former_slug_model=FormerAdvocateSlug,
    owner="advocate",
    fillable=("roles",),
    joined=("location_raw", "levels_raw", "focus_raw", "target_groups_raw", "note"),
    citation_sets=("citations",),
    other_side="organisation",
)
KINDS = {Organisation: ORGANISATION, Advocate: ADVOCATE}


def merge(keep: Model, duplicates, by=None) -> Model:
    """Merges `duplicates` into `keep` (organisations or advocates), atomically."""
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
            for duplicate in duplicates:
                merge_one(kind, keep, kind.model.objects.get(pk=duplicate.pk), by)
        except kind.model.DoesNotExist:
            raise MergeRefused("A record was deleted meanwhile; reload the list.") from None
        if kind is ORGANISATION:
            refresh_leadership(keep)
        figures.changed()  # rows moved with `update` send no signal
    return keep


def merge_one(kind: Kind, keep, duplicate, by):
    refuse_conflicts(kind, keep, duplicate)
    move_names(kind, keep, duplicate)
    for related_name in kind.citation_sets:
        move_citations(getattr(duplicate, related_name).all(), kind.owner, keep)
    move_affiliations(kind, keep, duplicate)
    move_memberships(kind, keep, duplicate)
    duplicate.responses.update(**{kind.owner: keep})
    if kind is ADVOCATE:
        move_personal_address(keep, duplicate)
    keep._history_user = by
    reason = f"Merged {duplicate.name} ({duplicate.slug}) into this record"
    with one_history_entry(keep, PROFILE_TERMS, reason):
        combine_fields(kind, keep, duplicate)
        keep.save()
    slug = duplicate.slug
    duplicate._change_reason = f"Merged into {keep.name} ({keep.slug})"
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
    address = getattr(duplicate, "personal_address", None)
    if address is None:
        return
    if getattr(keep, "personal_address", None) is None:
        address.advocate = keep
        address.save()
    else:
        address.delete()  # the same address (refuse_conflicts checked)


def combine_fields(kind: Kind, keep, duplicate):
    for name in kind.fillable:
        if getattr(keep, name) in ("", None):
            setattr(keep, name, getattr(duplicate, name))
    for name in kind.joined:
        parts = [getattr(keep, name), getattr(duplicate, name)]
        setattr(keep, name, "\n".join(dict.fromkeys(part for part in parts if part)))
    if kind is ORGANISATION:
        if keep.form == "unknown":
            keep.form = duplicate.form
        websites = [*keep.other_websites, duplicate.website, *duplicate.other_websites]
        keep.other_websites = [
            url for url in dict.fromkeys(websites) if url and url != keep.website
        ]  # fmt: skip
        keep.external_ids = {**(duplicate.external_ids or {}), **(keep.external_ids or {})}
    for name in PROFILE_TERMS:
        getattr(keep, name).add(*getattr(duplicate, name).all())
