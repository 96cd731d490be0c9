"""A record's `updated_at` moves when anything shown as part of it changes.

Aliases, citations, leadership claims, affiliations, memberships and the terms of its
many-to-many fields are rows of their own; a change to any of them is a change to the record,
so that `modified_after` syncs see it, whoever made it (an import, an editor, a merge).
The same changes refresh the record's search document (see `search`), as does renaming a term,
a city or a country it has.

A record's `sort_name` follows its name on every save, raw ones (fixtures) included.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.utils import timezone
from simple_history.signals import pre_create_historical_record

from orgs import search
from orgs.models import (
    Advocate,
    AdvocateAlias,
    AdvocateCitation,
    Affiliation,
    AffiliationCitation,
    City,
    Country,
    FocusArea,
    LeadershipClaim,
    Membership,
    MembershipCitation,
    Network,
    NetworkAlias,
    NetworkCitation,
    NetworkType,
    Organisation,
    OrganisationAlias,
    OrganisationCitation,
    TargetGroup,
    WorkLevel,
    sort_name_of,
)
from orgs.services import history

RECORDS = (Organisation, Advocate, Network)

# Each related row, and the paths to the records it is part of.
PARTS = {
    OrganisationAlias: ("organisation",),
    OrganisationCitation: ("organisation",),
    LeadershipClaim: ("organisation",),
    AdvocateAlias: ("advocate",),
    AdvocateCitation: ("advocate",),
    NetworkAlias: ("network",),
    NetworkCitation: ("network",),
    Affiliation: ("advocate", "organisation"),
    AffiliationCitation: ("affiliation__advocate", "affiliation__organisation"),
    Membership: ("network", "organisation", "advocate"),
    MembershipCitation: (
        "membership__network",
        "membership__organisation",
        "membership__advocate",
    ),
}


def touch(record) -> None:
    if record is not None and record.pk is not None:
        type(record).objects.filter(pk=record.pk).update(updated_at=timezone.now())
        search.schedule(type(record), [record.pk])


def touch_parts_owners(sender, instance, **kwargs):
    for path in PARTS[sender]:
        try:
            touch(instance.follow(path))
        except (Organisation.DoesNotExist, Advocate.DoesNotExist, Network.DoesNotExist):
            pass  # deleted together with its record


def touch_on_terms_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if action != "post_clear" and not pk_set:
        return
    if not reverse:
        touch(instance)
        return
    # A term's side: each record that gained or lost it changed.
    for model in RECORDS:
        if sender in {field.remote_field.through for field in model._meta.many_to_many}:
            model.objects.filter(pk__in=pk_set or []).update(updated_at=timezone.now())
            search.schedule(model, pk_set or [])


def refresh_record(sender, instance, **kwargs):
    """A saved record's search document; an organisation's name is in its advocates' too."""
    search.schedule(sender, [instance.pk])
    if sender is Organisation:
        advocates = Affiliation.objects.filter(organisation=instance).values_list("advocate")
        search.schedule(Advocate, [pk for (pk,) in advocates])


# Terms whose names are in the search documents of the records that have them.
TERMS = (City, Country, FocusArea, TargetGroup, WorkLevel, NetworkType)


def term_holders(term) -> dict:
    """The pks of the records of each kind that have `term`."""
    holders = {}
    for model in RECORDS:
        for field in model._meta.get_fields():
            if field.is_relation and not field.auto_created and field.related_model is type(term):
                rows = model._base_manager.filter(**{field.name: term}).values_list("pk", flat=True)
                holders.setdefault(model, set()).update(rows)
    return holders


def refresh_term_holders(sender, instance, created, **kwargs):
    if created:
        return  # nobody has it yet
    for model, pks in term_holders(instance).items():
        search.schedule(model, pks)


def remember_term_holders(sender, instance, **kwargs):
    # Deleting a term deletes its links without m2m_changed: note who had it, beforehand.
    instance._search_holders = term_holders(instance)


def refresh_former_term_holders(sender, instance, **kwargs):
    for model, pks in getattr(instance, "_search_holders", {}).items():
        search.schedule(model, pks)


def name_editor_and_reason(sender, history_instance, **kwargs):
    history.fill_history_entry(history_instance)


def keep_sort_name(sender, instance, **kwargs):
    instance.sort_name = sort_name_of(instance.name)


def connect():
    pre_create_historical_record.connect(name_editor_and_reason, dispatch_uid="history-reason")
    for model in (*RECORDS, Country):
        pre_save.connect(keep_sort_name, sender=model, dispatch_uid=f"sort-name-{model}")
    for model in PARTS:
        post_save.connect(touch_parts_owners, sender=model, dispatch_uid=f"touch-{model}")
        post_delete.connect(touch_parts_owners, sender=model, dispatch_uid=f"untouch-{model}")
    for model in RECORDS:
        post_save.connect(refresh_record, sender=model, dispatch_uid=f"search-{model}")
    for model in TERMS:
        post_save.connect(refresh_term_holders, sender=model, dispatch_uid=f"search-{model}")
        pre_delete.connect(remember_term_holders, sender=model, dispatch_uid=f"search-{model}")
        post_delete.connect(
            refresh_former_term_holders, sender=model, dispatch_uid=f"search-{model}"
        )
    for model in RECORDS:
        for field in model._meta.many_to_many:
            m2m_changed.connect(
                touch_on_terms_changed,
                sender=field.remote_field.through,
                dispatch_uid=f"terms-{model.__name__}-{field.name}",
            )
