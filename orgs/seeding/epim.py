"""Reads EPIM 2019 Annex 2 (`fixtures/source/epim-2019/`) into the registry.

The annex table is kept as extracted in `annex2.tsv`; the editorial decisions (which cells
name which organisation, how a free-text cell maps to form, leadership, places and the
vocabularies) are small lookup tables beside it, one line per distinct cell.

The editors' import reads new files' cells through the same tables (`AnnexReadings`). It never
reads this folder: the build writes the tables into the built fixtures (`READINGS_FILE`, JSON)
and the import reads them there (`AnnexReadings.from_built`), so that the site needs only what
the build made, and a test checks that the committed file is what the tables build.
"""

import csv
import json
import re
from dataclasses import dataclass
from pathlib import Path

from orgs.links import EMAIL_ADDRESS
from orgs.seeding.cells import AutomaticReading
from orgs.seeding.records import country_code
from orgs.seeding.registry import Registry, SourceDataError
from orgs.slugs import slug_for

REPORT = "epim-2019"
SURVEY = "epim-2019-mapping"
NO_VALUE = {"", "-", "N/A", "NA", "n/a"}
URL = re.compile(r"(?:https?://|www\.)\S+")
SCOPES = {"local": ["local"], "national": ["national"], "eu": ["eu"], "global": ["global"]}
SCOPES["all"] = ["local", "national", "eu", "global"]
# The editors' tables, by file name without `.tsv` (the annex itself, annex2.tsv, is none).
TABLES = [
    "organisations", "organisation-cells", "forms", "locations", "focus", "target-groups",
    "name-fixes", "personal-addresses", "organisation-addresses",
]  # fmt: skip
# The tables as the build writes them beside the fixtures, for the import.
READINGS_FILE = f"{REPORT}-readings.json"


def read_tsv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def split(value: str) -> list[str]:
    return [item.strip() for item in (value or "").split("|") if item.strip()]


def read_tables(folder: Path) -> dict[str, list[dict]]:
    """The editors' tables of a folder: {table: its rows}."""
    return {name: read_tsv(folder / f"{name}.tsv") for name in TABLES}


def lookup(rows: list[dict], name: str) -> dict:
    """A table's rows by the cell each maps."""
    table = {}
    for row in rows:
        row = dict(row)
        cell = row.pop("cell")
        if cell in table:
            raise SourceDataError(f"{name}.tsv: cell {cell!r} is mapped twice")
        table[cell] = row
    return table


def mapped(table: dict, cell: str, where: str, file: str) -> dict:
    if cell not in table:
        raise SourceDataError(f"{where}: {file} has no line for {cell!r}")
    return table[cell]


def value(cell: str) -> str:
    cell = (cell or "").strip()
    return "" if cell in NO_VALUE else cell


def scope_levels(cell: str, where: str) -> list[str]:
    levels = []
    for token in re.split(r"[,;]", value(cell)):
        token = token.strip().lower()
        if not token:
            continue
        if token not in SCOPES:
            raise SourceDataError(f"{where}: unknown advocacy scope {token!r}")
        levels += [level for level in SCOPES[token] if level not in levels]
    return levels


def annex_lines(first, last=None) -> str:
    """Where an annex row is: "line 622", or "lines 685-687" for a row whose cells continue on
    later lines (a wrapped target-group list), so that its citations cover every line of it."""
    return f"lines {first}-{last}" if last and int(last) > int(first) else f"line {first}"


def website_and_email(cell: str) -> tuple[list[str], list[str]]:
    """The addresses in an "Email/Website" cell: websites and email addresses."""
    emails = EMAIL_ADDRESS.findall(cell)
    websites = []
    for url in URL.findall(cell):
        if "@" not in url:
            websites.append(url if url.startswith("http") else f"https://{url}")
    return websites, emails


@dataclass
class Named:
    """An organisation a cell names: its key, name, extra aliases and editorial note."""

    key: str
    name: str
    aliases: list[str]
    note: str = ""
    mapped: bool = True  # named by organisation-cells.tsv, not read automatically


@dataclass
class AnnexReadings:
    """How Annex 2's cells read: the editors' mapping tables, one line per distinct cell.

    Without `automatic` (the fixture build) a cell missing from its table stops the build with
    the line it is on. With it (the importer) such a cell is read automatically instead.
    """

    organisations: dict
    cells: dict
    forms: dict
    locations: dict
    focus: dict
    targets: dict
    name_fixes: dict
    personal: set
    mailboxes: dict  # {an organisation's own address in a person's row, lowercase: its key}
    automatic: AutomaticReading | None = None

    @classmethod
    def from_folder(cls, folder: Path, automatic: AutomaticReading | None = None):
        """The tables of a folder of the fixture sources (the build)."""
        return cls.from_tables(read_tables(folder), automatic)

    @classmethod
    def from_built(cls, path: Path, automatic: AutomaticReading | None = None):
        """The tables as the build wrote them (`READINGS_FILE`; the import)."""
        return cls.from_tables(json.loads(path.read_text(encoding="utf-8")), automatic)

    @classmethod
    def from_tables(cls, tables: dict[str, list[dict]], automatic: AutomaticReading | None = None):
        """The tables as `read_tables` gives them: {table: its rows}."""
        locations = lookup(tables["locations"], "locations")
        if automatic is not None:
            # The country spellings the editors have read so far ("UK", "Danmark").
            for cell, place in locations.items():
                if place["country"]:
                    spelling = cell.split(",")[-1].strip().rstrip(".").lower()
                    automatic.country_names.setdefault(spelling, place["country"])
        focus = lookup(tables["focus"], "focus")
        targets = lookup(tables["target-groups"], "target-groups")
        if automatic is not None:
            for vocabulary, table, column in (
                ("focus_areas", focus, "focus_areas"),
                ("target_groups", targets, "target_groups"),
            ):
                known = automatic.known_cells.setdefault(vocabulary, {})
                for cell, row in table.items():
                    known.setdefault(cell.strip().lower(), split(row[column]))
        return cls(
            organisations={row["key"]: row for row in tables["organisations"]},
            cells=lookup(tables["organisation-cells"], "organisation-cells"),
            forms=lookup(tables["forms"], "forms"),
            locations=locations,
            focus=focus,
            targets=targets,
            name_fixes=lookup(tables["name-fixes"], "name-fixes"),
            personal={row["address"].lower() for row in tables["personal-addresses"]},
            mailboxes={
                row["address"].lower(): row["organisation"]
                for row in tables["organisation-addresses"]
            },
            automatic=automatic,
        )

    def knows(self, table: dict, cell: str, where: str, file: str) -> bool:
        """Whether `table` maps the cell; without an automatic reading it must."""
        if cell in table:
            return True
        if self.automatic is None:
            mapped(table, cell, where, file)  # raises, naming the line and the table
        return False

    def place(self, cell: str, where: str) -> tuple[str, list[str]]:
        """The country code and city names a "Location" cell names."""
        if self.knows(self.locations, cell, where, "locations.tsv"):
            place = self.locations[cell]
            return country_code(place["country"], where), split(place["cities"])
        return self.automatic.place(cell)

    def levels(self, cell: str, where: str) -> list[str]:
        if self.automatic is None:
            return scope_levels(cell, where)
        return self.automatic.levels(value(cell))

    def focus_areas(self, cell: str, where: str) -> list[str]:
        if self.knows(self.focus, cell, where, "focus.tsv"):
            return split(self.focus[cell]["focus_areas"])
        return self.automatic.vocabulary_terms("focus_areas", value(cell))

    def target_groups(self, cell: str, where: str) -> list[str]:
        if self.knows(self.targets, cell, where, "target-groups.tsv"):
            return split(self.targets[cell]["target_groups"])
        return self.automatic.vocabulary_terms("target_groups", value(cell))

    def form(self, cell: str, where: str) -> tuple[str, str, str]:
        """(form, leadership, leadership_raw) of a "Form" cell."""
        if self.knows(self.forms, cell, where, "forms.tsv"):
            form = self.forms[cell]
            return form["form"], form["leadership"], form["leadership_raw"]
        return self.automatic.form(cell)

    def named_organisations(self, cell: str, where: str) -> tuple[list[Named], bool]:
        """The organisations an organisation cell names, and whether it calls them former."""
        if not value(cell):
            return [], False
        if not self.knows(self.cells, cell, where, "organisation-cells.tsv"):
            return [Named(slug_for(cell), cell.strip(), [], mapped=False)], False
        named = []
        for key in split(self.cells[cell]["keys"]):
            if key not in self.organisations:
                raise SourceDataError(f"{where}: organisations.tsv has no key {key!r}")
            entry = self.organisations[key]
            aliases = split(entry.get("aliases", ""))
            named.append(Named(key, entry["name"], aliases, entry.get("note", "") or ""))
        return named, self.cells[cell].get("former") == "yes"

    def person_name(self, cell: str) -> str:
        name = value(cell)
        return self.name_fixes[name]["name"] if name in self.name_fixes else name

    def is_personal(self, address: str) -> bool:
        return address.lower() in self.personal

    def mailbox_of(self, address: str, keys: list[str], where: str) -> str | None:
        """The organisation (of `keys`, those the row names) whose own mailbox a person's row
        gives (organisation-addresses.tsv), or None for the person's own address."""
        key = self.mailboxes.get(address.lower())
        if key is None or key in keys:
            return key
        if self.automatic is None:  # the build: the table must name the row's organisation
            raise SourceDataError(f"{where}: {address} is listed as {key}'s, not of {keys}")
        return None


def read_epim(registry: Registry, folder: Path):
    rows = read_tsv(folder / "annex2.tsv")
    readings = AnnexReadings.from_folder(folder)

    for row in rows:
        where = f"annex2.tsv line {row['line']}"
        if row["last_line"] and int(row["last_line"]) <= int(row["line"]):
            raise SourceDataError(f"{where}: last_line {row['last_line']} is not after the row")
        locator = f"Annex 2, {row['country']}, {annex_lines(row['line'], row['last_line'])}"
        country, city_names = readings.place(row["location"], where)
        cities = registry.city_keys(city_names, country, where)
        levels = readings.levels(row["scope"], where)
        focus_areas = registry.check_terms(
            "focus", readings.focus_areas(row["focus"], where), where
        )
        target_groups = registry.check_terms(
            "target_groups", readings.target_groups(row["target_groups"], where), where
        )
        websites, emails = website_and_email(row["email_website"])
        named, former = readings.named_organisations(row["organisation"], where)
        person_name = readings.person_name(row["name"])

        profile = {
            "countries": [country] if country else [],
            "cities": cities,
            "levels": levels,
            "focus_areas": focus_areas,
            "target_groups": target_groups,
            "raw": {
                "location_raw": row["location"],
                "levels_raw": row["scope"],
                "focus_raw": row["focus"],
                "target_groups_raw": row["target_groups"],
            },
        }
        keys = [entry.key for entry in named]
        for position, entry in enumerate(named):
            record = registry.record("organisation", entry.key, entry.name, REPORT)
            for alias in entry.aliases:
                record.add_alias(alias, REPORT)
            if len(keys) == 1:
                record.add_alias(row["organisation"], REPORT)
            record.set("note", entry.note)
            record.cite(REPORT, locator)
            # Every organisation the cell names is where the row says.
            record.place(profile["countries"], profile["cities"])
            if position == 0:
                describe_organisation(record, row, profile, readings, where, locator)
                if not person_name:
                    # An organisation-only row: its addresses are public unless they are a
                    # person's own (personal-addresses.tsv).
                    record.extend("websites", websites)
                    public = [email for email in emails if not readings.is_personal(email)]
                    record.set("email", public[0] if public else "")

        person_key = None
        if person_name:
            person = registry.record("person", slug_for(person_name), person_name, REPORT)
            person_key = person.key
            apply(person, profile)
            # A person's row gives their own address, unless it is their organisation's
            # mailbox (organisation-addresses.tsv): that is the organisation's public one.
            own = []
            for email in emails:
                key = readings.mailbox_of(email, keys, where)
                if key is None:
                    own.append(email)
                else:
                    registry.get("organisation", key, where).set("email", email)
            person.set_personal_address(own[0] if own else "", REPORT, locator)
            person.cite(REPORT, locator)
            for key in keys:
                registry.affiliate(person.key, key, "", REPORT, locator, current=not former)

        form = readings.form(row["form"], where)[0] if value(row["form"]) else "unknown"
        terms = {
            "scope": levels,
            "focus": focus_areas,
            "target_groups": target_groups,
            "form": [] if form == "unknown" else [form],
        }
        add_response(registry, row, keys, person_key, locator, terms)


def describe_organisation(record, row, profile, readings: AnnexReadings, where, locator):
    """The first organisation a row names takes the row's form, leadership, scope and focus."""
    apply(record, profile)
    if value(row["form"]):
        form, leadership, leadership_raw = readings.form(row["form"], where)
        record.set("form", form)
        record.add_raw("form_raw", row["form"])
        if leadership != "unknown":
            record.claim_leadership(leadership, "self-described", REPORT, locator, leadership_raw)


def apply(record, profile):
    record.place(profile["countries"], profile["cities"])
    record.extend("levels", profile["levels"])
    record.extend("focus_areas", profile["focus_areas"])
    record.extend("target_groups", profile["target_groups"])
    for name, text in profile["raw"].items():
        if value(text):
            record.add_raw(name, text)


def add_response(registry: Registry, row, keys, person_key, locator, terms):
    columns = ["name", "email_website", "organisation", "form", "location", "scope", "focus"]
    answers = {column: row[column].strip() for column in columns + ["target_groups"]}
    registry.responses[(SURVEY, f"row-{row['line']}")] = {
        "respondents": {
            **({"organisation": registry.canonical(keys[0])} if keys else {}),
            **({"person": person_key} if person_key else {}),
        },
        "answers": {k: v for k, v in answers.items() if value(v)},
        # The vocabulary terms each mapped cell reads as (focus.tsv, target-groups.tsv, scope,
        # forms.tsv).
        "terms": terms,
        "locator": locator,
    }
