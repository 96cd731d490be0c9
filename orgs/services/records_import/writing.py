"""What an import writes: every row gathered in memory, then saved in bulk.

The `Writer` reads what the file's records already have (their aliases, citations of the
source, places, affiliations, personal addresses: a few queries per batch of records), adds
each row to the records it names in memory (`add_row`), then `save`s it all with a fixed
number of queries per batch of rows (`saving`): the new records, their names, citations,
places, terms, addresses, affiliations and leadership claims, each citing the Source the
editor chose, with history entries naming the editor and the file, and the search texts of
every record it touched refreshed once.
"""

from dataclasses import dataclass, field

from django.db import models
from django.utils import timezone
from django_countries import countries

from orgs import search
from orgs.choices import Leadership
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
    LeadershipEvidence,
    LegalForm,
    Organisation,
    OrganisationAlias,
    OrganisationCitation,
    PersonalAddress,
    Source,
    TargetGroup,
    WorkLevel,
    organisation_uuid,
    sort_name_of,
)
from orgs.seeding.epim import AnnexReadings, value
from orgs.services.leadership import summarise_leadership
from orgs.services.records_import.preview import Planned, Preview
from orgs.services.records_import.reading import NAME_LENGTH, Reading
from orgs.services.records_import.saving import (
    add_links,
    batches,
    create_with_history,
    record_history,
)
from orgs.slugs import slug_for

RAW_FIELDS = ["location_raw", "levels_raw", "focus_raw", "target_groups_raw"]
CHANGED_FIELDS = {
    Organisation: [
        *RAW_FIELDS, "form", "form_raw", "website", "other_websites", "email", "leadership",
        "leadership_evidence", "updated_at",
    ],
    Advocate: [*RAW_FIELDS, "updated_at"],
}  # fmt: skip
COLUMNS_READ = ["location", "scope", "focus", "target_groups"]  # into RAW_FIELDS
TERMS = ["countries", "cities", "levels", "focus_areas", "target_groups"]


@dataclass(eq=False)
class Changes:
    """One record (existing, or new and not yet saved) and what the rows add to it."""

    record: models.Model
    created: bool
    # Whether an existing record had a country: a Europe-wide or global one stays so.
    placed: bool = True
    terms: dict[str, set] = field(default_factory=lambda: {name: set() for name in TERMS})


@dataclass(eq=False)
class Link:
    """An affiliation the rows name, and the locators that cite it."""

    advocate: Changes
    organisation: Changes
    is_current: bool
    existing: Affiliation | None = None
    locators: list[str] = field(default_factory=list)


class Writer:
    """Gathers what every row says about its records, then saves it in bulk, citing one source."""

    def __init__(self, source: Source, annex: AnnexReadings, preview: Preview):
        self.source = source
        self.annex = annex
        self.vocabularies = {
            "levels": {term.pk: term for term in WorkLevel.objects.all()},
            "focus_areas": {term.pk: term for term in FocusArea.objects.all()},
            "target_groups": {term.pk: term for term in TargetGroup.objects.all()},
        }
        self.levels, self.focus, self.targets = (
            {term.slug: pk for pk, term in self.vocabularies[name].items()}
            for name in ("levels", "focus_areas", "target_groups")
        )
        self.countries: dict[str, Country] = {}
        self.changes: dict[int, Changes] = {}  # by id(Planned)
        self.aliases: dict[tuple, models.Model] = {}
        self.citations: dict[tuple, models.Model] = {}
        self.claims: dict[tuple, LeadershipClaim] = {}
        self.addresses: dict[int, PersonalAddress] = {}  # by id(Changes)
        self.links: dict[tuple, Link] = {}
        self.cities: dict[str, City] = {}  # by slug
        self.read_existing(preview)

    def read_existing(self, preview: Preview):
        """What the records the rows merge into already have, a few queries per batch."""
        planned = [p for advocate, orgs in preview.plans for p in [advocate, *orgs] if p]
        merged = {
            kind: sorted({p.existing.pk for p in planned if p.kind == kind and p.existing})
            for kind in ("organisation", "advocate")
        }
        self.had = {"aliases": set(), "citations": set(), "countries": set(), "addresses": set()}
        self.had_links: dict[tuple[int, int], Affiliation] = {}
        self.had_link_citations: set[tuple[int, str]] = set()
        self.had_claims: set[tuple[int, str]] = set()
        for pks in batches(merged["organisation"]):
            self.had["aliases"] |= {
                ("organisation", *row)
                for row in OrganisationAlias.objects.filter(organisation__in=pks).values_list(
                    "organisation", "name"
                )
            }
            self.had["citations"] |= {
                ("organisation", *row)
                for row in OrganisationCitation.objects.filter(
                    organisation__in=pks, source=self.source.pk
                ).values_list("organisation", "locator")
            }
            self.had_claims |= set(
                LeadershipClaim.objects.filter(
                    organisation__in=pks, source=self.source.pk
                ).values_list("organisation", "locator")
            )
            self.had["countries"] |= set(
                Organisation.countries.through.objects.filter(organisation__in=pks).values_list(
                    "organisation", flat=True
                )
            )
        for pks in batches(merged["advocate"]):
            self.had["aliases"] |= {
                ("advocate", *row)
                for row in AdvocateAlias.objects.filter(advocate__in=pks).values_list(
                    "advocate", "name"
                )
            }
            self.had["citations"] |= {
                ("advocate", *row)
                for row in AdvocateCitation.objects.filter(
                    advocate__in=pks, source=self.source.pk
                ).values_list("advocate", "locator")
            }
            self.had["addresses"] |= set(
                PersonalAddress.objects.filter(advocate__in=pks).values_list("advocate", flat=True)
            )
            for affiliation in Affiliation.objects.filter(advocate__in=pks):
                self.had_links[affiliation.advocate_id, affiliation.organisation_id] = affiliation
        for affiliations in batches(sorted(a.pk for a in self.had_links.values())):
            self.had_link_citations |= set(
                AffiliationCitation.objects.filter(
                    affiliation__in=affiliations, source=self.source.pk
                ).values_list("affiliation", "locator")
            )

    # Gathering, row by row, in memory.

    def changes_of(self, planned: Planned) -> Changes:
        if id(planned) not in self.changes:
            if planned.existing is not None:
                record = planned.existing
                placed = planned.kind == "advocate" or record.pk in self.had["countries"]
                changes = Changes(record, created=False, placed=placed)
            elif planned.kind == "organisation":
                record = Organisation(
                    name=planned.name, slug=planned.slug, uuid=organisation_uuid(planned.slug)
                )
                changes = Changes(record, created=True)
            else:
                changes = Changes(Advocate(name=planned.name, slug=planned.slug), created=True)
            changes.record.sort_name = sort_name_of(changes.record.name)
            self.changes[id(planned)] = changes
        return self.changes[id(planned)]

    def add_row(self, reading: Reading, advocate: Planned | None, organisations: list[Planned]):
        added = [
            self.add_organisation(planned, reading, position)
            for position, planned in enumerate(organisations)
        ]
        if advocate is not None:
            self.add_advocate(advocate, reading, added)

    def add_alias(self, kind: str, changes: Changes, name: str):
        name = " ".join(name.split())
        record = changes.record
        if not name or name == record.name or (kind, record.pk, name) in self.had["aliases"]:
            return
        model = OrganisationAlias if kind == "organisation" else AdvocateAlias
        self.aliases.setdefault(
            (kind, id(changes), name), model(**{kind: record}, name=name, source=self.source)
        )

    def add_citation(self, kind: str, changes: Changes, locator: str):
        if (kind, changes.record.pk, locator) in self.had["citations"]:
            return
        model = OrganisationCitation if kind == "organisation" else AdvocateCitation
        self.citations.setdefault(
            (kind, id(changes), locator),
            model(**{kind: changes.record}, source=self.source, locator=locator),
        )

    def place(self, changes: Changes, reading: Reading):
        code = reading.country
        if not code:
            return
        changes.terms["countries"].add(code)
        for name in reading.cities:
            slug = f"{code.lower()}-{slug_for(name)}"[:200]
            self.cities.setdefault(slug, City(slug=slug, name=name[:NAME_LENGTH], country=code))
            changes.terms["cities"].add(slug)

    def profile(self, changes: Changes, reading: Reading):
        """Scope, focus and target groups, and the cells they were read from."""
        terms = changes.terms
        terms["levels"] |= {self.levels[s] for s in reading.levels if s in self.levels}
        terms["focus_areas"] |= {self.focus[s] for s in reading.focus_areas if s in self.focus}
        terms["target_groups"] |= {
            self.targets[s] for s in reading.target_groups if s in self.targets
        }
        cells = reading.row.cells
        for name, column in zip(RAW_FIELDS, COLUMNS_READ, strict=True):
            add_line(changes.record, name, cells.get(column, ""))

    def add_organisation(self, planned: Planned, reading: Reading, position: int) -> Changes:
        changes = self.changes_of(planned)
        organisation = changes.record
        locator = reading.row.locator
        self.add_citation("organisation", changes, locator)
        # The row's spellings of a record named otherwise become its aliases.
        entry = reading.named[position]
        spellings = [entry.name, *entry.aliases]
        if len(reading.named) == 1:
            spellings.append(reading.row.cells.get("organisation", ""))
        for name in spellings:
            self.add_alias("organisation", changes, name)
        if changes.placed:
            self.place(changes, reading)
        if position == 0:
            self.profile(changes, reading)
            if organisation.form == LegalForm.UNKNOWN and reading.form != LegalForm.UNKNOWN:
                organisation.form = reading.form
            add_line(organisation, "form_raw", reading.row.cells.get("form", ""))
            if reading.leadership != Leadership.UNKNOWN:
                claimed = (organisation.pk, locator) in self.had_claims
                if not claimed:
                    self.claims.setdefault(
                        (id(changes), locator),
                        LeadershipClaim(
                            organisation=organisation,
                            source=self.source,
                            locator=locator,
                            leadership=reading.leadership,
                            evidence=LeadershipEvidence.SELF_DESCRIBED,
                            quote=reading.leadership_raw,
                        ),
                    )
            if not reading.person:
                self.public_addresses(organisation, reading)
        if reading.person:
            # A person's row may give the organisation's own mailbox rather than the person's.
            for email in reading.emails:
                if self.mailbox(email, reading) == entry.key and not organisation.email:
                    organisation.email = email
        return changes

    def public_addresses(self, organisation: Organisation, reading: Reading):
        """An organisation-only row's addresses are the organisation's public ones."""
        for website in reading.websites:
            if not organisation.website:
                organisation.website = website
            elif website != organisation.website and website not in organisation.other_websites:
                organisation.other_websites = [*organisation.other_websites, website]
        public = [email for email in reading.emails if not self.annex.is_personal(email)]
        if public and not organisation.email:
            organisation.email = public[0]

    def mailbox(self, email: str, reading: Reading) -> str | None:
        """The key of the row's organisation whose own mailbox `email` is, if it is one."""
        keys = [entry.key for entry in reading.named]
        return self.annex.mailbox_of(email, keys, reading.row.locator)

    def add_advocate(self, planned: Planned, reading: Reading, organisations: list[Changes]):
        changes = self.changes_of(planned)
        locator = reading.row.locator
        self.add_alias("advocate", changes, reading.person)
        self.add_citation("advocate", changes, locator)
        self.place(changes, reading)
        self.profile(changes, reading)
        own = [email for email in reading.emails if self.mailbox(email, reading) is None]
        if own and changes.record.pk not in self.had["addresses"]:
            self.addresses.setdefault(
                id(changes),
                PersonalAddress(
                    advocate=changes.record, email=own[0], source=self.source, locator=locator
                ),
            )
        for organisation in organisations:
            key = (id(changes), id(organisation))
            if key not in self.links:
                pks = (changes.record.pk, organisation.record.pk)
                had = self.had_links.get(pks) if None not in pks else None
                self.links[key] = Link(changes, organisation, not reading.former, had)
            if locator not in self.links[key].locators:
                self.links[key].locators.append(locator)

    # Saving, in bulk.

    def save(self, by, reason: str) -> None:
        records = list(self.changes.values())
        self.summarise_leadership()
        self.save_terms()
        self.aliases_of: dict[int, list[str]] = {}
        for (_, owner, name), _alias in self.aliases.items():
            self.aliases_of.setdefault(owner, []).append(name)
        self.organisations_of: dict[int, list[models.Model]] = {}
        for link in self.links.values():
            self.organisations_of.setdefault(id(link.advocate), []).append(link.organisation.record)
        for model in (Organisation, Advocate):
            new = [c for c in records if c.created and isinstance(c.record, model)]
            for changes in new:
                changes.record.search_related = self.search_related(changes)
            for batch in batches([changes.record for changes in new]):
                model.objects.bulk_create(batch)
        for model in (OrganisationAlias, AdvocateAlias):
            aliases = [alias for alias in self.aliases.values() if isinstance(alias, model)]
            create_with_history(model, aliases, by, reason)
        for model in (OrganisationCitation, AdvocateCitation):
            cited = [row for row in self.citations.values() if isinstance(row, model)]
            create_with_history(model, cited, by, reason)
        create_with_history(LeadershipClaim, list(self.claims.values()), by, reason)
        create_with_history(PersonalAddress, list(self.addresses.values()), by, reason)
        self.save_affiliations(by, reason)
        for model in (Organisation, Advocate):
            self.link_terms(model, [c for c in records if isinstance(c.record, model)])
        now = timezone.now()
        for model in (Organisation, Advocate):
            merged = [c.record for c in records if not c.created and isinstance(c.record, model)]
            for record in merged:
                record.updated_at = now
            for batch in batches(merged):
                model.objects.bulk_update(batch, CHANGED_FIELDS[model])
            new = [c.record for c in records if c.created and isinstance(c.record, model)]
            record_history(model, new, True, by, reason)
            record_history(model, merged, False, by, reason)
            # A new record's search texts were written with it (`search_related`).
            search.refresh(model, [record.pk for record in merged])

    def search_related(self, changes: Changes) -> search.Related:
        """The names a new record's search texts take from its relations, in their models'
        order, as `search.refresh` would read them once saved."""
        terms = changes.terms
        cities = sorted(
            (self.cities[slug] for slug in terms["cities"]), key=lambda c: (c.name, c.country)
        )
        places = sorted(
            (self.countries[code] for code in terms["countries"]), key=lambda c: c.sort_name
        )
        named = {
            name: sorted(
                (self.vocabularies[name][pk] for pk in terms[name]),
                key=lambda term: (getattr(term, "position", 0), term.name),
            )
            for name in ("focus_areas", "target_groups", "levels")
        }
        aliases = self.aliases_of.get(id(changes), [])
        organisations = sorted(
            self.organisations_of.get(id(changes), []), key=lambda o: (o.sort_name, o.name, o.pk)
        )
        return search.Related(
            aliases=sorted(aliases),
            cities=[part for city in cities for part in [city.name, *city.names.values()]],
            countries=[(country.name, country.code) for country in places],
            **{
                name: [part for term in found for part in [term.name, *term.names.values()]]
                for name, found in named.items()
            },
            organisations=[organisation.name for organisation in organisations],
        )

    def save_terms(self):
        """The countries and cities the rows name that the directory does not have yet."""
        codes = {code for c in self.changes.values() for code in c.terms["countries"]}
        self.countries = Country.objects.in_bulk(codes)
        new = [
            Country(code=code, name=name, sort_name=sort_name_of(name))
            for code in sorted(codes - set(self.countries))
            for name in [str(countries.name(code))]
        ]
        Country.objects.bulk_create(new)
        self.countries.update((country.code, country) for country in new)
        for batch in batches(sorted(self.cities)):
            for city in City.objects.filter(slug__in=batch):
                self.cities[city.slug] = city
        City.objects.bulk_create(
            [city for city in self.cities.values() if city.pk is None], batch_size=500
        )

    def save_affiliations(self, by, reason: str):
        new = [link for link in self.links.values() if link.existing is None]
        for link in new:
            link.existing = Affiliation(
                advocate=link.advocate.record,
                organisation=link.organisation.record,
                is_current=link.is_current,
            )
        create_with_history(Affiliation, [link.existing for link in new], by, reason)
        citations = [
            AffiliationCitation(affiliation=link.existing, source=self.source, locator=locator)
            for link in self.links.values()
            for locator in link.locators
            if (link.existing.pk, locator) not in self.had_link_citations
        ]
        create_with_history(AffiliationCitation, citations, by, reason)

    def link_terms(self, model, records: list[Changes]):
        for name in TERMS:
            links = set()
            for changes in records:
                for term in changes.terms[name]:
                    pk = self.cities[term].pk if name == "cities" else term
                    links.add((changes.record.pk, pk))
            add_links(model, name, links)

    def summarise_leadership(self):
        """The leadership of every organisation that gains a claim, from all of its claims
        (read before anything is written, so that a new record is inserted with it)."""
        claims: dict[int, list] = {}
        for claim in self.claims.values():
            claims.setdefault(id(claim.organisation), []).append(claim)
        organisations = {id(c.organisation): c.organisation for c in self.claims.values()}
        merged = {o.pk: key for key, o in organisations.items() if o.pk is not None}
        for batch in batches(sorted(merged)):
            earlier = LeadershipClaim.objects.filter(organisation__in=batch)
            for claim in earlier.select_related("source"):
                claims[merged[claim.organisation_id]].append(claim)
        for key, organisation in organisations.items():
            summary = summarise_leadership(claims[key])
            organisation.leadership, organisation.leadership_evidence = summary


def add_line(record, name: str, text: str):
    """Adds a cell's text to a *_raw field as a line of its own, unless it is there already."""
    text = (text or "").strip()
    lines = [line for line in getattr(record, name).split("\n") if line]
    if value(text) and text not in lines:
        setattr(record, name, "\n".join([*lines, text]))
