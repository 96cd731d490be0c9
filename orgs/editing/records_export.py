"""Exporting organisations and advocates as rows the import reads back (the admin's actions).

An export is a file of the import's columns (`orgs.services.records_import.reading`), in any
of its three formats, so that an editor can export records, correct them in a spreadsheet and
import the file again: the rows merge into the records they came from. An advocate's personal
address is never exported.
"""

import csv
import io

import tablib
from django_countries import countries

from orgs.choices import LED_BY_MIGRANTS, Leadership
from orgs.models import Advocate, LeadershipEvidence, LegalForm, Organisation
from orgs.services.records_import.reading import COLUMNS, COUNTRY, TITLES, Format
from orgs.spreadsheet_cells import safe_cell


def country_places(record, code: str) -> str:
    """A "Location" cell: the record's cities in the country, then the country's name."""
    cities = [city.name for city in record.cities.all() if city.country.code == code]
    return ", ".join(
        part for part in ["/".join(cities), countries.name(code) if code else ""] if part
    )


def form_cell(organisation: Organisation) -> str:
    """The form, and a self-described leadership: what a self-description would say."""
    parts = []
    if organisation.form not in (LegalForm.UNKNOWN, LegalForm.OTHER):
        parts.append(organisation.get_form_display())
    if organisation.leadership_evidence == LeadershipEvidence.SELF_DESCRIBED:
        if organisation.leadership in LED_BY_MIGRANTS:
            parts.append(organisation.get_leadership_display())
        elif organisation.leadership == Leadership.NOT_MIGRANT_LED:
            parts.append("Not migrant-led")
    return ", ".join(parts)


def profile_cells(record) -> dict[str, str]:
    return {
        "scope": ", ".join(level.slug for level in record.levels.all()),
        "focus": ", ".join(term.slug for term in record.focus_areas.all()),
        "target_groups": ", ".join(term.slug for term in record.target_groups.all()),
    }


def organisation_rows(organisation: Organisation) -> list[dict[str, str]]:
    addresses = [organisation.website, *organisation.other_websites, organisation.email]
    codes = [country.code for country in organisation.countries.all()] or [""]
    return [
        {
            "name": "",
            "email_website": " ".join(address for address in addresses if address),
            "organisation": organisation.name,
            "form": form_cell(organisation),
            "location": country_places(organisation, code),
            **profile_cells(organisation),
            COUNTRY: code,
        }
        for code in codes
    ]


def advocate_rows(advocate: Advocate) -> list[dict[str, str]]:
    """One row per organisation (the personal address stays out of every file), and one
    for each further country the advocate works in."""
    codes = [country.code for country in advocate.countries.all()]
    rows, placed = [], set()
    for organisation in advocate.organisations.all() or [None]:
        shared = [c.code for c in organisation.countries.all()] if organisation else []
        code = next((code for code in codes if code in shared), codes[0] if codes else "")
        placed.add(code)
        rows.append((organisation.name if organisation else "", code))
    rows += [("", code) for code in codes if code not in placed]
    return [
        {
            "name": advocate.name,
            "email_website": "",
            "organisation": name,
            "form": "",
            "location": country_places(advocate, code),
            **profile_cells(advocate),
            COUNTRY: code,
        }
        for name, code in rows
    ]


def export_rows(records) -> list[dict[str, str]]:
    """Rows of the import's columns for organisations or advocates (a queryset of either)."""
    rows_of = organisation_rows if records.model is Organisation else advocate_rows
    records = records.prefetch_related(
        "countries", "cities", "levels", "focus_areas", "target_groups"
    )
    if records.model is Advocate:
        records = records.prefetch_related("organisations__countries")
    return [row for record in records for row in rows_of(record)]


def write_file(rows: list[dict[str, str]], format: str) -> bytes:
    """The rows as a file of the format, every cell guarded against running as a formula."""
    if format == Format.EPIM:
        return write_epim_layout(rows)
    header = [*COLUMNS, COUNTRY]
    table = [[safe_cell(row[column]) for column in header] for row in rows]
    if format == Format.XLSX:
        return tablib.Dataset(*table, headers=header).export("xlsx")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(table)
    return out.getvalue().encode("utf-8")


def write_epim_layout(rows: list[dict[str, str]]) -> bytes:
    """The annex's layout: its titles, then the rows under a header line per country."""
    lines = ["\t".join(TITLES[column] for column in COLUMNS)]
    block = None
    for row in sorted(rows, key=lambda row: countries.name(row[COUNTRY]) if row[COUNTRY] else ""):
        name = countries.name(row[COUNTRY]) if row[COUNTRY] else ""
        if name != block and name:
            lines.append("\t".join([name] + [""] * (len(COLUMNS) - 1)))
        block = name
        cells = [safe_cell(" ".join(row[column].split())) for column in COLUMNS]
        # "-" says "no organisation", so that a row is never read as a country header line (a
        # lone "-" is no formula).
        cells[2] = cells[2] or "-"
        lines.append("\t".join(cells))
    return ("\n".join(lines) + "\n").encode("utf-8")
