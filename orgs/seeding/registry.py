"""The in-memory directory that the source files are read into before it becomes fixtures.

Records are merged by key: the first report (and file) that gives a single value wins, names
seen later become aliases, lists and citations are unioned. This is where "one record per
real organisation or person" is enforced.
"""

from dataclasses import dataclass, field

from django.utils.text import slugify

from orgs.slugs import slug_for

# Values that say nothing: a later report may fill them in.
EMPTY = (None, "", "unknown", "none", [], {})


class SourceDataError(ValueError):
    """A source file says something the directory cannot hold; the message says where."""


@dataclass
class Record:
    kind: str
    key: str
    report: str
    name: str
    values: dict = field(default_factory=dict)
    aliases: list = field(default_factory=list)
    lists: dict = field(default_factory=dict)
    raw: dict = field(default_factory=dict)
    citations: list = field(default_factory=list)
    alias_reports: dict = field(default_factory=dict)
    editorial_aliases: set = field(default_factory=set)  # aliases that no report prints
    claims: list = field(default_factory=list)
    personal_address: tuple | None = None

    def set(self, name, value):
        if self.values.get(name) in EMPTY and value not in EMPTY:
            self.values[name] = value

    def extend(self, name, items):
        target = self.lists.setdefault(name, [])
        for item in items or []:
            if item not in target:
                target.append(item)

    def add_raw(self, name, text):
        text = (text or "").strip()
        target = self.raw.setdefault(name, [])
        if text and text not in target:
            target.append(text)

    def add_alias(self, alias, report, editorial=False):
        """Another name, from `report`'s files; `editorial` when the report does not print it
        (a spelling the editors made), and then it is credited to no report. A report that
        prints a name another file gave as editorial takes it over."""
        alias = (alias or "").strip()
        if not alias or alias == self.name:
            return
        if alias not in self.aliases:
            self.aliases.append(alias)
            self.alias_reports[alias] = report
            if editorial:
                self.editorial_aliases.add(alias)
        elif alias in self.editorial_aliases and not editorial:
            self.alias_reports[alias] = report
            self.editorial_aliases.discard(alias)

    def cite(self, report, locator, quote=""):
        add_citation(self.citations, report, locator, quote, f"{self.kind} {self.key}")

    def place(self, countries, cities):
        """Countries and the cities in them; a city always brings its own country."""
        self.extend("countries", countries)
        self.extend("cities", cities)

    def claim_leadership(self, leadership, evidence, report, locator, quote):
        """One place in a report saying who leads the organisation (kept in report order)."""
        if any(claim["report"] == report and claim["locator"] == locator for claim in self.claims):
            return
        self.claims.append(
            {
                "leadership": leadership,
                "evidence": evidence,
                "report": report,
                "locator": locator,
                "quote": quote or "",
            }
        )

    def set_personal_address(self, email, report, locator):
        if email and self.personal_address is None:
            self.personal_address = (email, report, locator)


def add_citation(citations: list, report, locator, quote, where):
    """Adds (report, locator, quote) unless the same place is cited already."""
    locator = (locator or "").strip()
    if not locator:
        raise SourceDataError(f"{where}: a citation without a locator")
    if all((c[0], c[1]) != (report, locator) for c in citations):
        citations.append((report, locator, quote or ""))


@dataclass
class Registry:
    vocabularies: dict
    reports: list = field(default_factory=list)  # report keys in the order of sources.yaml
    records: dict = field(default_factory=dict)
    cities: dict = field(default_factory=dict)
    affiliations: dict = field(default_factory=dict)
    memberships: dict = field(default_factory=dict)
    surveys: dict = field(default_factory=dict)
    responses: dict = field(default_factory=dict)
    figures: dict = field(default_factory=dict)
    key_renames: dict = field(default_factory=dict)

    def canonical(self, key):
        return self.key_renames.get(key, key)

    def record(self, kind, key, name, report):
        key = self.canonical(key)
        if slugify(key) != key:
            raise SourceDataError(f"{kind} key {key!r} is not a lowercase slug")
        if not name or not name.strip():
            raise SourceDataError(f"{kind} {key} has no name")
        existing = self.records.get((kind, key))
        if existing is None:
            existing = Record(kind=kind, key=key, report=report, name=name.strip())
            self.records[(kind, key)] = existing
        else:
            existing.add_alias(name, report)
        return existing

    def get(self, kind, key, where):
        record = self.records.get((kind, self.canonical(key)))
        if record is None:
            raise SourceDataError(f"{where}: no {kind} with key {key!r}")
        return record

    def of_kind(self, kind):
        return [record for (k, _), record in self.records.items() if k == kind]

    def check_terms(self, vocabulary, slugs, where):
        known = self.vocabularies[vocabulary]
        unknown = [slug for slug in slugs or [] if slug not in known]
        if unknown:
            raise SourceDataError(f"{where}: unknown {vocabulary} {unknown}")
        return list(slugs or [])

    def report_index(self, report: str) -> int:
        return self.reports.index(report)

    def city_keys(self, names, country, where):
        if names and not country:
            raise SourceDataError(f"{where}: cities {names} without a country")
        keys = []
        for name in names or []:
            slug = f"{country.lower()}-{slug_for(name)}"
            self.cities.setdefault(slug, {"name": name, "country": country})
            keys.append(slug)
        return keys

    def affiliate(self, person, organisation, role, report, locator, current=True):
        pair = (self.canonical(person), self.canonical(organisation))
        affiliation = self.affiliations.setdefault(
            pair, {"role": role or "", "current": current, "citations": []}
        )
        affiliation["role"] = affiliation["role"] or role or ""
        add_citation(affiliation["citations"], report, locator, "", f"affiliation {pair}")

    def add_member(self, network, organisation, role, report, locator):
        pair = (network, self.canonical(organisation))
        membership = self.memberships.setdefault(pair, {"role": role, "citations": []})
        if role == "coordinator":
            membership["role"] = role
        add_citation(membership["citations"], report, locator, "", f"membership {pair}")
