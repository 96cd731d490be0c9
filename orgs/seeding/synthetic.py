"""Synthetic records for trying the directory at scale, distributed like the real ones.

Every synthetic organisation copies the profile of a real one drawn at random (its countries,
cities, form, leadership, focus areas, target groups and levels of work), so countries,
vocabularies and leadership are spread as in the reports; advocates copy real advocates'
profiles and work for one to three organisations of their country; networks gather members
around a real network's profile. Each record cites the source `synthetic` and has a slug
starting `synthetic-`, which is how `delete_synthetic` finds them again.

Rows are written with `bulk_create` in batches: no history entries, no signals, and the
records' derived fields (leadership summary, uuid, sort name, search texts) are set directly.
An organisation's or advocate's search texts are written with it, from the names of the places
and terms its profile gives it (and, for an advocate, of its organisations): what a refresh
would read afterwards, at a fraction of the time. Networks' are refreshed once they exist.
"""

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import partial

from django.db import connection, transaction

from orgs import caching, search
from orgs.models import (
    Advocate,
    AdvocateCitation,
    Affiliation,
    AffiliationCitation,
    LeadershipClaim,
    LeadershipEvidence,
    Membership,
    MembershipCitation,
    MembershipRole,
    Network,
    NetworkCitation,
    Organisation,
    OrganisationCitation,
    Source,
    organisation_uuid,
    sort_name_of,
)

SOURCE_KEY = "synthetic"
SLUG_PREFIX = "synthetic-"
BATCH = 2000
TERMS = ["countries", "cities", "focus_areas", "target_groups", "levels"]
WORDS = [
    "Association", "Network", "Collective", "Initiative", "Forum", "Union", "Council",
    "Alliance", "Voices", "Bridges", "Platform", "Community", "Centre", "Coalition",
]  # fmt: skip


@dataclass
class Profile:
    """The terms (as ids) and fields one real record has, to give to synthetic copies, and
    the names its copies' search texts take from those terms."""

    terms: dict[str, list] = field(default_factory=dict)
    values: dict = field(default_factory=dict)
    related: search.Related = search.NOTHING_RELATED


def profiles_of(queryset, values: list[str]) -> list[Profile]:
    records = list(queryset.prefetch_related(*TERMS))
    related = search.related_of(queryset.model, [record.pk for record in records])
    profiles = []
    for record in records:
        terms = {name: [item.pk for item in getattr(record, name).all()] for name in TERMS}
        # A copy has the record's places and terms; not its aliases, nor its organisations.
        names = related.get(record.pk, search.NOTHING_RELATED)
        names = replace(names, aliases=[], organisations=[])
        profiles.append(Profile(terms, {name: getattr(record, name) for name in values}, names))
    return profiles


def synthetic_source() -> Source:
    source, _ = Source.objects.get_or_create(
        key=SOURCE_KEY,
        defaults={
            "title": "Synthetic records for load and speed tests (not real organisations)",
            "short_title": "Synthetic records",
            "year": 2026,
            "description": "Made by `manage.py generate_synthetic`; removed with --delete.",
        },
    )
    return source


def batches(items: list, size: int = BATCH) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def write_terms(model, records: list, profiles: list[Profile]):
    """The many-to-many rows of `records`, each copying its profile's terms."""
    for name in TERMS:
        relation = getattr(model, name)
        through = relation.through
        source_field = relation.field.m2m_field_name()
        target_field = relation.field.m2m_reverse_field_name()
        rows = [
            through(**{f"{source_field}_id": record.pk, f"{target_field}_id": term})
            for record, profile in zip(records, profiles, strict=True)
            for term in profile.terms.get(name, [])
        ]
        for batch in batches(rows, BATCH * 5):
            through.objects.bulk_create(batch)


@dataclass
class Generator:
    seed: int = 2026
    # (what, how many done, of how many): the command's progress bars
    progress: Callable[[str, int, int], None] = lambda label, done, total: None
    rng: random.Random = field(init=False)

    def __post_init__(self):
        self.rng = random.Random(self.seed)

    def name(self, kind: str, number: int, base: str) -> str:
        word = self.rng.choice(WORDS)
        return f"{base.split(',')[0][:60]} {word} {number}" if kind == "org" else base

    def organisations(self, count: int, source: Source) -> list[Organisation]:
        real = Organisation.objects.published().exclude(slug__startswith=SLUG_PREFIX)
        profiles = profiles_of(real, ["name", "form", "leadership", "leadership_evidence"])
        made = []
        start = Organisation.objects.filter(slug__startswith=SLUG_PREFIX).count()
        for chunk_start in range(0, count, BATCH):
            chunk = []
            chosen = []
            for number in range(start + chunk_start, start + min(count, chunk_start + BATCH)):
                profile = self.rng.choice(profiles)
                slug = f"{SLUG_PREFIX}organisation-{number + 1}"
                organisation = Organisation(
                    slug=slug,
                    uuid=organisation_uuid(slug),
                    name=(name := self.name("org", number + 1, profile.values["name"])),
                    sort_name=sort_name_of(name),
                    description="A synthetic organisation for speed tests.",
                    form=profile.values["form"],
                    leadership=profile.values["leadership"],
                    leadership_evidence=profile.values["leadership_evidence"],
                )
                organisation.search_related = profile.related
                chunk.append(organisation)
                chosen.append(profile)
            with transaction.atomic():
                saved = Organisation.objects.bulk_create(chunk)
                write_terms(Organisation, saved, chosen)
                OrganisationCitation.objects.bulk_create(
                    OrganisationCitation(organisation=o, source=source, locator=f"Row {o.slug}")
                    for o in saved
                )
                LeadershipClaim.objects.bulk_create(
                    LeadershipClaim(
                        organisation=o,
                        source=source,
                        locator=f"Row {o.slug}",
                        leadership=o.leadership,
                        evidence=o.leadership_evidence,
                    )
                    for o in saved
                    if o.leadership_evidence != LeadershipEvidence.NONE
                )
            made += saved
            self.progress("organisations", len(made), count)
        return made

    def advocates(self, count: int, source: Source, organisations: list[Organisation]):
        real = Advocate.objects.published().exclude(slug__startswith=SLUG_PREFIX)
        profiles = profiles_of(real, ["name", "roles"]) or [Profile({}, {"name": "", "roles": ""})]
        start = Advocate.objects.filter(slug__startswith=SLUG_PREFIX).count()
        done = 0
        for chunk_start in range(0, count, BATCH):
            numbers = range(start + chunk_start, start + min(count, chunk_start + BATCH))
            chosen = [self.rng.choice(profiles) for _ in numbers]
            employers = [self.employers(organisations) for _ in numbers]
            chunk = []
            for number, profile, works_for in zip(numbers, chosen, employers, strict=True):
                advocate = Advocate(
                    slug=f"{SLUG_PREFIX}advocate-{number + 1}",
                    name=f"Synthetic Person {number + 1}",
                    sort_name=sort_name_of(f"Synthetic Person {number + 1}"),
                    roles=profile.values["roles"],
                )
                # Its organisations in their model's order, as a refresh reads them.
                ordered = sorted(works_for, key=lambda o: (o.sort_name, o.name, o.pk))
                names = [organisation.name for organisation in ordered]
                advocate.search_related = replace(profile.related, organisations=names)
                chunk.append(advocate)
            with transaction.atomic():
                saved = Advocate.objects.bulk_create(chunk)
                write_terms(Advocate, saved, chosen)
                AdvocateCitation.objects.bulk_create(
                    AdvocateCitation(advocate=a, source=source, locator=f"Row {a.slug}")
                    for a in saved
                )
                affiliations = Affiliation.objects.bulk_create(
                    Affiliation(advocate=advocate, organisation=organisation)
                    for advocate, works_for in zip(saved, employers, strict=True)
                    for organisation in works_for
                )
                AffiliationCitation.objects.bulk_create(
                    AffiliationCitation(affiliation=a, source=source, locator="Synthetic")
                    for a in affiliations
                )
            done += len(saved)
            self.progress("advocates", done, count)

    def networks(self, count: int, source: Source, organisations: list[Organisation]):
        real = Network.objects.published().exclude(slug__startswith=SLUG_PREFIX)
        profiles = profiles_of(real, ["name", "formalisation", "network_type_id"])
        if not profiles:
            return
        start = Network.objects.filter(slug__startswith=SLUG_PREFIX).count()
        numbers = range(start, start + count)
        chosen = [self.rng.choice(profiles) for _ in numbers]
        networks = [
            Network(
                slug=f"{SLUG_PREFIX}network-{number + 1}",
                name=f"Synthetic Network {number + 1}",
                sort_name=sort_name_of(f"Synthetic Network {number + 1}"),
                formalisation=profile.values["formalisation"],
                network_type_id=profile.values["network_type_id"],
            )
            for number, profile in zip(numbers, chosen, strict=True)
        ]
        self.progress("networks", 0, count)
        with transaction.atomic():
            saved = Network.objects.bulk_create(networks, batch_size=BATCH)
            write_terms(Network, saved, chosen)
            NetworkCitation.objects.bulk_create(
                (NetworkCitation(network=n, source=source, locator=f"Row {n.slug}") for n in saved),
                batch_size=BATCH,
            )
            done = 0
            for batch in batches(saved, 200):
                memberships = Membership.objects.bulk_create(
                    Membership(network=network, organisation=organisation, role=role)
                    for network in batch
                    for role, organisation in self.members(organisations)
                )
                MembershipCitation.objects.bulk_create(
                    MembershipCitation(membership=m, source=source, locator="Synthetic")
                    for m in memberships
                )
                done += len(batch)
                self.progress("networks", done, count)

    def employers(self, organisations: list[Organisation]) -> list[Organisation]:
        """One to three organisations an advocate works for (none if there are none)."""
        if not organisations:
            return []
        return self.rng.sample(
            organisations, min(len(organisations), self.rng.choice([1, 1, 1, 2, 3]))
        )

    def members(self, organisations: list[Organisation]):
        if not organisations:
            return []
        size = min(len(organisations), self.rng.randint(2, 20))
        members = self.rng.sample(organisations, size)
        return [(MembershipRole.COORDINATOR, members[0])] + [
            (MembershipRole.MEMBER, member) for member in members[1:]
        ]


def generate(organisations: int, advocates: int, networks: int, seed=2026, progress=None):
    generator = Generator(seed=seed, progress=progress or (lambda label, done, total: None))
    source = synthetic_source()
    made = generator.organisations(organisations, source)
    generator.advocates(advocates, source, made)
    generator.networks(networks, source, made)
    analyze()
    # Networks' search texts, which name their type: written once the networks exist.
    pks = list(Network.objects.filter(slug__startswith=SLUG_PREFIX).values_list("pk", flat=True))
    label = "search texts of networks"
    search.refresh(Network, pks, progress=partial(generator.progress, label, total=len(pks)))
    caching.changed()  # bulk_create sends no signal


def analyze():
    """PostgreSQL's statistics for the rows just written, which the networks' search refresh
    and every later query plan with: autovacuum comes later, if it is on at all (a search
    refresh of 300,000 advocates ran at half speed without them)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def synthetic_rows():
    """Every row that belongs to a synthetic record, children before their records."""
    q = {"slug__startswith": SLUG_PREFIX}
    by_record = {model: model.objects.filter(**q) for model in (Organisation, Advocate, Network)}
    rows = [
        AffiliationCitation.objects.filter(affiliation__advocate__in=by_record[Advocate]),
        AffiliationCitation.objects.filter(affiliation__organisation__in=by_record[Organisation]),
        Affiliation.objects.filter(advocate__in=by_record[Advocate]),
        Affiliation.objects.filter(organisation__in=by_record[Organisation]),
        MembershipCitation.objects.filter(membership__network__in=by_record[Network]),
        MembershipCitation.objects.filter(membership__organisation__in=by_record[Organisation]),
        Membership.objects.filter(network__in=by_record[Network]),
        Membership.objects.filter(organisation__in=by_record[Organisation]),
    ]
    for model, records in by_record.items():
        owner = model._meta.model_name
        for relation in model._meta.related_objects:
            if relation.related_model in (Affiliation, Membership) or relation.many_to_many:
                continue
            if relation.on_delete.__name__ == "CASCADE":
                rows.append(relation.related_model.objects.filter(**{f"{owner}__in": records}))
        for name in TERMS:
            through = getattr(model, name).through
            rows.append(through.objects.filter(**{f"{owner}__in": records}))
    return rows + list(by_record.values())


def delete_synthetic() -> dict[str, int]:
    """Removes every synthetic record and its relations; the real records are untouched.

    Deleted with plain SQL deletes (`_raw_delete`): going through the ORM's collector would
    write a history entry and run the change signals for each of hundreds of thousands of rows.
    """
    counts = {
        model._meta.verbose_name_plural: model.objects.filter(slug__startswith=SLUG_PREFIX).count()
        for model in (Organisation, Advocate, Network)
    }
    with transaction.atomic():
        for rows in synthetic_rows():
            rows._raw_delete(rows.db)
        Source.objects.filter(key=SOURCE_KEY).delete()
        caching.changed()  # raw deletes send no signal
    return counts
