"""What an anonymous visitor may read of the records: the public querysets, the lists' and the
record pages' querysets, and the search across every kind of record.

One place says what is public (`RecordQuerySet.published`, through `public_organisations` and
its siblings) and what each list or record page reads with it (prefetched relations, deferred
search texts): the HTML pages, the API and the CSV all start from these querysets. Facets and
counts of the lists are in `facets`, the overview pages' figures in `overviews`.
"""

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from orgs.models import (
    SEARCH_FIELDS,
    Advocate,
    AdvocateAlias,
    AdvocateCitation,
    Affiliation,
    AffiliationCitation,
    LeadershipClaim,
    Membership,
    MembershipCitation,
    Network,
    NetworkAlias,
    NetworkCitation,
    Organisation,
    OrganisationAlias,
    OrganisationCitation,
)
from orgs.selectors.search import matching


def public_organisations() -> QuerySet[Organisation]:
    """Every organisation an anonymous visitor may see: the base of every public read."""
    return Organisation.objects.published()


def public_advocates() -> QuerySet[Advocate]:
    return Advocate.objects.published()


def public_networks() -> QuerySet[Network]:
    return Network.objects.published()


PUBLIC = {
    Organisation: public_organisations,
    Advocate: public_advocates,
    Network: public_networks,
}


PLACES_AND_FOCUS = ("countries", "cities", "focus_areas")


def organisation_list() -> QuerySet[Organisation]:
    """The base of the organisations list (HTML and API): what each row shows, prefetched;
    without the long search texts, which no page shows."""
    return public_organisations().defer(*SEARCH_FIELDS).prefetch_related(*PLACES_AND_FOCUS)


def advocate_list() -> QuerySet[Advocate]:
    return (
        public_advocates()
        .defer(*SEARCH_FIELDS)
        .prefetch_related(*PLACES_AND_FOCUS, Prefetch("organisations", public_organisations()))
    )


def network_list() -> QuerySet[Network]:
    return (
        public_networks()
        .defer(*SEARCH_FIELDS)
        .select_related("network_type")
        .prefetch_related(*PLACES_AND_FOCUS, "aliases")
    )


def with_public_record(organisations: QuerySet) -> QuerySet:
    """Everything public about each organisation: names, places, terms, claims and sources."""
    return organisations.prefetch_related(
        Prefetch("aliases", OrganisationAlias.objects.select_related("source")),
        "countries",
        "cities",
        "levels",
        "focus_areas",
        "target_groups",
        Prefetch("leadership_claims", LeadershipClaim.objects.select_related("source")),
        Prefetch("citations", OrganisationCitation.objects.select_related("source")),
    )


def public_affiliations(other_side: str, public: QuerySet) -> QuerySet[Affiliation]:
    """Affiliations with a public record on `other_side`, current first, with citations."""
    return (
        Affiliation.objects.filter(**{f"{other_side}__in": public})
        .select_related(other_side)
        .prefetch_related(
            Prefetch("citations", AffiliationCitation.objects.select_related("source"))
        )
        .order_by("-is_current", f"{other_side}__name")
    )


def organisation_memberships() -> QuerySet[Membership]:
    """Organisations' places in public networks (also read by the CSV, `csv_rows`), and an
    advocate's on their page."""
    return Membership.objects.filter(network__in=public_networks()).select_related("network")


def organisation_records() -> QuerySet[Organisation]:
    """Organisations with everything public about them: for their pages, the API and CSV."""
    affiliations = public_affiliations("advocate", public_advocates())
    return with_public_record(public_organisations().defer(*SEARCH_FIELDS)).prefetch_related(
        Prefetch("affiliations", affiliations), Prefetch("memberships", organisation_memberships())
    )


def organisation_detail(slug: str) -> QuerySet[Organisation]:
    return organisation_records().filter(slug=slug)


def with_personal_addresses(records: QuerySet) -> QuerySet:
    """Advocates or networks with their personal address: for token holders and editors only."""
    return records.select_related("personal_address")


def advocate_detail(slug: str) -> QuerySet[Advocate]:
    aliases = AdvocateAlias.objects.select_related("source")
    return (
        advocate_records()
        .filter(slug=slug)
        .prefetch_related(
            Prefetch("aliases", aliases), Prefetch("memberships", organisation_memberships())
        )
    )


def advocate_records() -> QuerySet[Advocate]:
    affiliations = public_affiliations("organisation", public_organisations())
    return (
        public_advocates()
        .defer(*SEARCH_FIELDS)
        .prefetch_related(
            "countries",
            "cities",
            "levels",
            "focus_areas",
            "target_groups",
            Prefetch("affiliations", affiliations),
            Prefetch("citations", AdvocateCitation.objects.select_related("source")),
        )
    )


def network_detail(slug: str) -> QuerySet[Network]:
    return network_records().filter(slug=slug)


def network_members() -> QuerySet[Membership]:
    """Networks' public members, coordinators first (also read by the CSV, `csv_rows`)."""
    return (
        Membership.objects.filter(
            Q(organisation__isnull=True) | Q(organisation__in=public_organisations()),
            Q(advocate__isnull=True) | Q(advocate__in=public_advocates()),
        )
        .select_related("organisation", "advocate")
        .prefetch_related(
            Prefetch("citations", MembershipCitation.objects.select_related("source"))
        )
        .order_by("role", "organisation__name")
    )


def network_records() -> QuerySet[Network]:
    return (
        public_networks()
        .defer(*SEARCH_FIELDS)
        .select_related("network_type")
        .prefetch_related(
            Prefetch("aliases", NetworkAlias.objects.select_related("source")),
            "countries",
            "cities",
            "levels",
            "focus_areas",
            "target_groups",
            Prefetch("memberships", network_members()),
            Prefetch("citations", NetworkCitation.objects.select_related("source")),
        )
    )


# Search across the directory: the results page.


@dataclass
class SearchSection:
    """The best matches of one kind of record, and how many match in all."""

    name: str
    records: list
    count: int
    list_url: str = ""  # the list with the query, where the filters apply
    browse_url: str = ""  # the whole list


# Organisations first, then fewer advocates and networks.
SEARCH_SECTIONS = (
    ("organisations", organisation_list, 10),
    ("advocates", advocate_list, 5),
    ("networks", network_list, 5),
)


def search_everything(text: str) -> list[SearchSection]:
    """The same search as the lists' `q` filter, over each kind of record."""
    sections = []
    for name, records, size in SEARCH_SECTIONS:
        found = matching(records(), text)
        best = list(found[:size])
        count = len(best) if len(best) < size else found.count()
        sections.append(SearchSection(name, best, count))
    return sections
