"""Reads EPIM 2019 Annex 2 (`fixtures/source/epim-2019/`) into the registry.

The annex table is kept as extracted in `annex2.tsv`; the editorial decisions (which cells
name which organisation, how a free-text cell maps to form, leadership, places and the
vocabularies) are small lookup tables beside it, one line per distinct cell.
"""

import csv
import re
from pathlib import Path

from django.utils.text import slugify

from .records import country_code
from .registry import Registry, SourceDataError

REPORT = "epim-2019"
SURVEY = "epim-2019-mapping"
NO_VALUE = {"", "-", "N/A", "NA", "n/a"}
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
URL = re.compile(r"(?:https?://|www\.)\S+")
SCOPES = {"local": ["local"], "national": ["national"], "eu": ["eu"], "global": ["global"]}
SCOPES["all"] = ["local", "national", "eu", "global"]


def read_tsv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def split(value: str) -> list[str]:
    return [item.strip() for item in (value or "").split("|") if item.strip()]


def lookup(path: Path) -> dict:
    table = {}
    for row in read_tsv(path):
        cell = row.pop("cell")
        if cell in table:
            raise SourceDataError(f"{path.name}: cell {cell!r} is mapped twice")
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


def website_and_email(cell: str) -> tuple[list[str], list[str]]:
    """The addresses in an "Email/Website" cell: websites and email addresses."""
    emails = EMAIL.findall(cell)
    websites = []
    for url in URL.findall(cell):
        if "@" not in url:
            websites.append(url if url.startswith("http") else f"https://{url}")
    return websites, emails


def read_epim(registry: Registry, folder: Path):
    rows = read_tsv(folder / "annex2.tsv")
    organisations = {row["key"]: row for row in read_tsv(folder / "organisations.tsv")}
    cells = lookup(folder / "organisation-cells.tsv")
    forms = lookup(folder / "forms.tsv")
    locations = lookup(folder / "locations.tsv")
    focus = lookup(folder / "focus.tsv")
    targets = lookup(folder / "target-groups.tsv")
    name_fixes = lookup(folder / "name-fixes.tsv")
    personal = {row["address"].lower() for row in read_tsv(folder / "personal-addresses.tsv")}

    for row in rows:
        locator = f"Annex 2, {row['country']}, line {row['line']}"
        where = f"annex2.tsv line {row['line']}"
        place = mapped(locations, row["location"], where, "locations.tsv")
        country = country_code(place["country"], where)
        cities = registry.city_keys(split(place["cities"]), country, where)
        levels = scope_levels(row["scope"], where)
        focus_areas = registry.check_terms(
            "focus", split(mapped(focus, row["focus"], where, "focus.tsv")["focus_areas"]), where
        )
        target_groups = registry.check_terms(
            "target_groups",
            split(
                mapped(targets, row["target_groups"], where, "target-groups.tsv")["target_groups"]
            ),
            where,
        )
        websites, emails = website_and_email(row["email_website"])
        keys = []
        if value(row["organisation"]):
            keys = split(
                mapped(cells, row["organisation"], where, "organisation-cells.tsv")["keys"]
            )
        person_name = value(row["name"])
        if person_name in name_fixes:
            person_name = name_fixes[person_name]["name"]

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
        former = bool(keys) and cells[row["organisation"]].get("former") == "yes"
        for position, key in enumerate(keys):
            if key not in organisations:
                raise SourceDataError(f"{where}: organisations.tsv has no key {key!r}")
            entry = organisations[key]
            record = registry.record("organisation", key, entry["name"], REPORT)
            for alias in split(entry.get("aliases", "")):
                record.add_alias(alias, REPORT)
            if len(keys) == 1:
                record.add_alias(row["organisation"], REPORT)
            record.set("note", entry.get("note", ""))
            record.cite(REPORT, locator)
            # Every organisation the cell names is where the row says.
            record.place(profile["countries"], profile["cities"])
            if position == 0:
                describe_organisation(record, row, profile, forms, where, locator)
                if not person_name:
                    # An organisation-only row: its addresses are public unless they are a
                    # person's own (personal-addresses.tsv).
                    record.extend("websites", websites)
                    public = [email for email in emails if email.lower() not in personal]
                    record.set("email", public[0] if public else "")

        person_key = None
        if person_name:
            person = registry.record("person", slugify(person_name), person_name, REPORT)
            person_key = person.key
            apply(person, profile)
            person.set_personal_address(emails[0] if emails else "", REPORT, locator)
            person.cite(REPORT, locator)
            for key in keys:
                registry.affiliate(person.key, key, "", REPORT, locator, current=not former)

        add_response(registry, row, keys, person_key, locator)


def describe_organisation(record, row, profile, forms, where, locator):
    """The first organisation a row names takes the row's form, leadership, scope and focus."""
    apply(record, profile)
    if value(row["form"]):
        form = mapped(forms, row["form"], where, "forms.tsv")
        record.set("form", form["form"])
        record.add_raw("form_raw", row["form"])
        if form["leadership"] != "unknown":
            record.claim_leadership(
                form["leadership"], "self-described", REPORT, locator, form["leadership_raw"]
            )


def apply(record, profile):
    record.place(profile["countries"], profile["cities"])
    record.extend("levels", profile["levels"])
    record.extend("focus_areas", profile["focus_areas"])
    record.extend("target_groups", profile["target_groups"])
    for name, text in profile["raw"].items():
        if value(text):
            record.add_raw(name, text)


def add_response(registry: Registry, row, keys, person_key, locator):
    columns = ["name", "email_website", "organisation", "form", "location", "scope", "focus"]
    answers = {column: row[column].strip() for column in columns + ["target_groups"]}
    registry.responses[(SURVEY, f"row-{row['line']}")] = {
        "respondents": {
            **({"organisation": registry.canonical(keys[0])} if keys else {}),
            **({"person": person_key} if person_key else {}),
        },
        "answers": {k: v for k, v in answers.items() if value(v)},
        "locator": locator,
    }
