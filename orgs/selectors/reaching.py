"""Who can be written to through the directory, and, where nobody can, the next best way to
reach a record that is true: a public website or email, or a network that can be reached.

Only whether a person accepts messages is read here, never their address.
"""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet

from orgs.models import Advocate, Network, Organisation, PersonalAddress


def with_consent(records: QuerySet, owner: str) -> QuerySet:
    """Advocates (`owner="advocate"`) or networks, each with `accepts_messages`: whether
    people may write to them through the directory."""
    consenting = PersonalAddress.objects.filter(**{owner: OuterRef("pk")}, accepts_messages=True)
    return records.annotate(accepts_messages=Exists(consenting))


def has_public_address(record: Organisation | Network) -> bool:
    if isinstance(record, Network):
        return bool(record.email or record.websites)
    return bool(record.website or record.email)


@dataclass
class WaysToReach:
    """How a visitor may reach an organisation, best first."""

    advocates: list[Advocate] = field(default_factory=list)  # who work there, and consented
    public_address: bool = False  # its own website or email, shown on its page
    networks: list[Network] = field(default_factory=list)  # it belongs to, and can be reached


def ways_to_reach(organisation: Organisation) -> WaysToReach:
    """From the organisation's prefetched affiliations and memberships, and one query for
    who among its people and networks accepts messages (none when it has neither)."""
    advocates = unique(a.advocate for a in organisation.affiliations.all() if a.is_current)
    networks = [membership.network for membership in organisation.memberships.all()]
    consenting_advocates, consenting_networks = consenting(advocates, networks)
    return WaysToReach(
        advocates=[advocate for advocate in advocates if advocate.pk in consenting_advocates],
        public_address=has_public_address(organisation),
        networks=unique(
            network
            for network in networks
            if network.pk in consenting_networks or has_public_address(network)
        ),
    )


def consenting(advocates: list[Advocate], networks: list[Network]) -> tuple[set, set]:
    """The ids of those among `advocates` and `networks` who accept messages."""
    if not advocates and not networks:
        return set(), set()
    rows = (
        PersonalAddress.objects.filter(accepts_messages=True)
        .filter(Q(advocate__in=[a.pk for a in advocates]) | Q(network__in=[n.pk for n in networks]))
        .values_list("advocate_id", "network_id")
    )
    found = list(rows)
    return {a for a, _ in found if a}, {n for _, n in found if n}


def unique(records) -> list:
    seen, kept = set(), []
    for record in records:
        if record.pk not in seen:
            seen.add(record.pk)
            kept.append(record)
    return kept


def organisations_to_reach_for(advocate: Advocate) -> list[Organisation]:
    """The organisations an advocate works for now that have a public website or email: the
    next best way to reach a person who does not accept messages (no query: prefetched)."""
    return unique(
        affiliation.organisation
        for affiliation in advocate.affiliations.all()
        if affiliation.is_current and has_public_address(affiliation.organisation)
    )
