"""What a listed person, signed in through their personal link, reads of their own record:
the record as the public sees it (hidden or not), and the organisations they work for."""

from django.db.models import Prefetch, QuerySet

from orgs.models import (
    SEARCH_FIELDS,
    Advocate,
    AdvocateCitation,
    Affiliation,
    Network,
    NetworkCitation,
    Organisation,
)
from orgs.selectors.public_records import public_organisations

TERMS = ("countries", "cities", "levels", "focus_areas", "target_groups")


def own_advocate(pk: int) -> QuerySet[Advocate]:
    return (
        Advocate.objects.filter(pk=pk)
        .defer(*SEARCH_FIELDS)
        .prefetch_related(
            *TERMS, Prefetch("citations", AdvocateCitation.objects.select_related("source"))
        )
    )


def own_network(pk: int) -> QuerySet[Network]:
    return (
        Network.objects.filter(pk=pk)
        .defer(*SEARCH_FIELDS)
        .prefetch_related(
            *TERMS, Prefetch("citations", NetworkCitation.objects.select_related("source"))
        )
    )


def organisations_of(advocate: Advocate) -> QuerySet[Organisation]:
    """The public organisations the person works for now: those they may answer for."""
    current = Affiliation.objects.filter(advocate=advocate, is_current=True)
    return (
        public_organisations()
        .filter(pk__in=current.values("organisation"))
        .defer(*SEARCH_FIELDS)
        .prefetch_related("cities", "focus_areas", "target_groups")
        .order_by("sort_name", "pk")
    )


def to_invite(slugs=(), country: str = "") -> list[Advocate | Network]:
    """The listed to send the notice to: every advocate and network with a private address, or
    those named by slug (with or without one, so that the reason they are skipped is told), of
    one country if given; advocates first, each kind by slug."""
    found = []
    for model in (Advocate, Network):
        records = model.objects.all()
        if slugs:
            records = records.filter(slug__in=slugs)
        else:
            records = records.filter(personal_address__isnull=False)
        if country:
            records = records.filter(countries=country.upper())
        found.extend(records.order_by("slug"))
    return found
