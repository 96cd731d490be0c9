"""Builds the fixture JSON of `fixtures/` from the reviewable files in `fixtures/source/`.

`build_fixtures()` returns {file name: JSON text}; the `build_fixtures` command writes it and
a test checks that the committed fixtures are exactly what it returns.
"""

import json
import re
from pathlib import Path

import yaml

from .epim import read_epim
from .records import read_records
from .registry import REPORT_ORDER, Registry, SourceDataError

# Fixtures carry fixed timestamps so that building and loading them is repeatable.
IMPORTED_AT = "2026-11-23T00:00:00Z"
VOCABULARY_FILE = "vocabularies.json"
EMAIL = re.compile(r"^[\w.+-]+@[\w-]+(\.[\w-]+)+$")
ERASMI_SURVEY = "erasmi-2020-network-survey"
FIXTURE_FILES = [VOCABULARY_FILE] + [f"{report}.json" for report in REPORT_ORDER]


def load_yaml(path: Path):
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


def read_vocabularies(source_dir: Path) -> dict:
    document = load_yaml(source_dir / "vocabularies.yaml")
    return {
        "levels": [term["slug"] for term in document["levels_of_work"]],
        "focus": [term["slug"] for term in document["focus_areas"]],
        "target_groups": [term["slug"] for term in document["target_groups"]],
        "network_types": [term["slug"] for term in document["network_types"]],
        "document": document,
    }


def read_merges(registry: Registry, source_dir: Path):
    for merge in load_yaml(source_dir / "merges.yaml").get("merges") or []:
        if not merge.get("reason"):
            raise SourceDataError(f"merges.yaml: merge into {merge['into']} gives no reason")
        for key in merge["keys"]:
            if key != merge["into"]:
                registry.key_renames[key] = merge["into"]


def build_registry(source_dir: Path) -> Registry:
    registry = Registry(vocabularies=read_vocabularies(source_dir))
    read_merges(registry, source_dir)
    for report in REPORT_ORDER:
        folder = source_dir / report
        if report == "epim-2019":
            read_records(registry, load_yaml(folder / "figures.yaml"), report, "epim figures")
            read_epim(registry, folder)
            continue
        for path in sorted(folder.glob("*.yaml")):
            if path.name != "figures.yaml":
                read_records(registry, load_yaml(path), report, f"{report}/{path.name}")
        if (folder / "figures.yaml").exists():
            read_records(registry, load_yaml(folder / "figures.yaml"), report, f"{report} figures")
    add_network_profiles_as_responses(registry)
    check_privacy(registry)
    return registry


def add_network_profiles_as_responses(registry: Registry):
    """Each ERASMI profile is the published answer of its network to the questionnaire."""
    questions = [question["key"] for question in registry.surveys[ERASMI_SURVEY]["questions"]]
    coordinators = {
        network: organisation
        for (network, organisation), membership in registry.memberships.items()
        if membership["role"] == "coordinator"
    }
    for network in registry.of_kind("network"):
        values = network.values
        answers = {
            "name": network.name,
            "founded": str(values.get("founded") or ""),
            "location": "\n".join(network.raw.get("location_raw", [])),
            "coordinator": values.get("coordinator_raw", ""),
            "formalisation": values.get("formalisation_raw", ""),
            "members": values.get("members_raw", ""),
            "focus": "\n".join(network.raw.get("focus_raw", [])),
            "target_groups": "\n".join(network.raw.get("target_groups_raw", [])),
            "type": values.get("type_raw", ""),
            "websites": "\n".join(
                network.lists.get("websites", []) + network.lists.get("social_media", [])
            ),
            "status": (values.get("status_date") or "")[:7],
        }
        for name in questions:
            answers.setdefault(name, values.get(name, ""))
        respondents = {"network": network.key}
        if network.key in coordinators:
            respondents["organisation"] = coordinators[network.key]
        registry.responses[(ERASMI_SURVEY, network.key)] = {
            "respondents": respondents,
            "answers": {k: v for k, v in answers.items() if k in questions and v},
            "locator": network.citations[0][1],
        }


def check_privacy(registry: Registry):
    """A person's address must never end up as an organisation's or a network's public one."""
    personal = {r.values.get("email", "").lower() for r in registry.of_kind("person")}
    personal |= {r.values.get("private_email", "").lower() for r in registry.of_kind("network")}
    personal -= {""}
    for kind in ("organisation", "network"):
        for record in registry.of_kind(kind):
            email = (record.values.get("email") or "").lower()
            if email in personal:
                raise SourceDataError(f"{kind} {record.key} shows the personal address {email}")
    for record in registry.records.values():
        for name in ("email", "private_email"):
            email = record.values.get(name) or ""
            if email and not EMAIL.match(email):
                raise SourceDataError(f"{record.kind} {record.key}: {email!r} is not an address")


def report_index(report: str) -> int:
    return REPORT_ORDER.index(report)


class FixtureWriter:
    """Places each object in the file of the latest report it depends on, in load order."""

    def __init__(self, registry: Registry):
        self.registry = registry
        self.files = {report: [] for report in REPORT_ORDER}

    def first_report(self, kind, key):
        return self.registry.records[(kind, key)].report

    def put(self, reports, model, fields):
        latest = max(reports, key=report_index)
        self.files[latest].append({"model": model, "fields": fields})


def joined(record, name):
    return "\n".join(record.raw.get(name, []))


def profile_fields(record) -> dict:
    return {
        "slug": record.key,
        "name": record.name,
        "country": record.values.get("country", ""),
        "location_raw": joined(record, "location_raw"),
        "levels_raw": joined(record, "levels_raw"),
        "focus_raw": joined(record, "focus_raw"),
        "target_groups_raw": joined(record, "target_groups_raw"),
        "created_at": IMPORTED_AT,
        "updated_at": IMPORTED_AT,
        "cities": [[slug] for slug in record.lists.get("cities", [])],
        "levels": [[slug] for slug in record.lists.get("levels", [])],
        "focus_areas": [[slug] for slug in record.lists.get("focus_areas", [])],
        "target_groups": [[slug] for slug in record.lists.get("target_groups", [])],
    }


def organisation_fields(record) -> dict:
    leadership = record.values.get("leadership") or ("unknown", "none", None, "")
    websites = record.lists.get("websites", [])
    return {
        **profile_fields(record),
        "description": record.values.get("description", "") or "",
        "form": record.values.get("form", "unknown"),
        "form_raw": joined(record, "form_raw"),
        "leadership": leadership[0],
        "leadership_evidence": leadership[1],
        "leadership_source": [leadership[2]] if leadership[2] else None,
        "leadership_raw": leadership[3] or "",
        "website": websites[0] if websites else "",
        "other_websites": websites[1:],
        "email": record.values.get("email", "") or "",
        "founded": record.values.get("founded"),
        "external_ids": {},
        "note": record.values.get("note", "") or "",
    }


def advocate_fields(record) -> dict:
    return {
        **profile_fields(record),
        "roles": "; ".join(record.lists.get("roles", [])),
        "email": record.values.get("email", "") or "",
        "note": record.values.get("note", "") or "",
    }


NETWORK_TEXT = [
    "heading", "type_raw", "formalisation_raw", "coordinator_raw", "members_raw", "description",
    "resources", "internal_communication", "external_communication", "success_factors",
    "challenges", "evaluation_sustainability", "impact", "notes",
]  # fmt: skip


def network_fields(record) -> dict:
    values = record.values
    network_type = values.get("network_type")
    return {
        **profile_fields(record),
        "aliases": record.aliases,
        **{name: values.get(name, "") or "" for name in NETWORK_TEXT},
        "email": values.get("email", "") or "",
        "private_email": values.get("private_email", "") or "",
        "network_type": [network_type] if network_type else None,
        "formalisation": values.get("formalisation") or "unknown",
        "founded": values.get("founded"),
        "websites": record.lists.get("websites", []),
        "social_media": record.lists.get("social_media", []),
        "status_date": values.get("status_date"),
        "unreadable_fields": record.lists.get("unreadable", []),
    }


MODELS = {
    "organisation": ("orgs.organisation", organisation_fields, "organisationcitation"),
    "person": ("orgs.advocate", advocate_fields, "advocatecitation"),
    "network": ("orgs.network", network_fields, "networkcitation"),
}
CITED_FIELD = {"organisation": "organisation", "person": "advocate", "network": "network"}


def write_records(writer: FixtureWriter, registry: Registry):
    for kind, (model, fields, citation_model) in MODELS.items():
        records = sorted(registry.of_kind(kind), key=lambda r: (report_index(r.report), r.key))
        for record in records:
            writer.put([record.report], model, fields(record))
        for record in records:
            for report, locator, quote in record.citations:
                writer.put(
                    [record.report, report],
                    f"orgs.{citation_model}",
                    {
                        CITED_FIELD[kind]: [record.key],
                        "source": [report],
                        "locator": locator,
                        "quote": quote or "",
                    },
                )
            if kind == "organisation":
                for alias in record.aliases:
                    writer.put(
                        [record.report, record.alias_reports[alias]],
                        "orgs.organisationalias",
                        {"organisation": [record.key], "name": alias},
                    )
        if kind == "person":
            write_affiliations(writer, registry)
    write_memberships(writer, registry)


def write_affiliations(writer: FixtureWriter, registry: Registry):
    for (person, organisation), affiliation in registry.affiliations.items():
        writer.put(
            [
                affiliation["source"],
                writer.first_report("person", person),
                writer.first_report("organisation", organisation),
            ],
            "orgs.affiliation",
            {
                "advocate": [person],
                "organisation": [organisation],
                "role": affiliation["role"],
                "source": [affiliation["source"]],
                "locator": affiliation["locator"],
            },
        )


def write_memberships(writer: FixtureWriter, registry: Registry):
    for (network, organisation), membership in registry.memberships.items():
        writer.put(
            [
                membership["source"],
                writer.first_report("network", network),
                writer.first_report("organisation", organisation),
            ],
            "orgs.membership",
            {
                "network": [network],
                "organisation": [organisation],
                "advocate": None,
                "role": membership["role"],
                "source": [membership["source"]],
                "locator": membership["locator"],
            },
        )


RESPONDENT_FIELDS = {"organisation": "organisation", "person": "advocate", "network": "network"}


def write_surveys(writer: FixtureWriter, registry: Registry):
    for key, survey in registry.surveys.items():
        report = survey["source"]
        writer.put(
            [report],
            "surveys.survey",
            {
                "slug": key,
                "source": [report],
                "title": survey["title"],
                "year": survey["year"],
                "population": survey.get("population", ""),
                "respondents_reported": survey.get("respondents_reported"),
                "description": survey.get("description", ""),
            },
        )
        for position, question in enumerate(survey["questions"], start=1):
            writer.put(
                [report],
                "surveys.question",
                {
                    "survey": [key],
                    "key": question["key"],
                    "position": position,
                    "text": question["text"],
                    "is_private": bool(question.get("private")),
                },
            )
    for (survey_key, key), response in registry.responses.items():
        survey = registry.surveys[survey_key]
        reports = [survey["source"]]
        fields = {"survey": [survey_key], "key": key}
        for kind, field_name in RESPONDENT_FIELDS.items():
            respondent = response["respondents"].get(kind)
            fields[field_name] = [respondent] if respondent else None
            if respondent:
                reports.append(writer.first_report(kind, respondent))
        fields["locator"] = response["locator"]
        writer.put(reports, "surveys.response", fields)
        for question in survey["questions"]:
            text = response["answers"].get(question["key"])
            if text:
                writer.put(
                    reports,
                    "surveys.answer",
                    {
                        "response": [survey_key, key],
                        "question": [survey_key, question["key"]],
                        "text": text,
                    },
                )
    for position, ((survey_key, key), figure) in enumerate(registry.figures.items(), start=1):
        share = figure.get("share")
        writer.put(
            [registry.surveys[survey_key]["source"]],
            "surveys.publishedfigure",
            {
                "survey": [survey_key],
                "key": key,
                "figure": figure.get("figure", "") or "",
                "label": figure["label"],
                "count": figure.get("count"),
                "denominator": figure.get("denominator"),
                "share": None if share is None else f"{float(share):.1f}",
                "approximate": bool(figure.get("approximate")),
                "quote": figure["quote"],
                "locator": figure["locator"],
                "note": figure.get("note", "") or "",
                "position": position,
            },
        )


def vocabulary_objects(registry: Registry, source_dir: Path) -> list[dict]:
    document = registry.vocabularies["document"]
    objects = []
    for source in load_yaml(source_dir / "sources.yaml")["sources"]:
        fields = {name: source.get(name, "") for name in (
            "key", "title", "short_title", "authors", "publisher", "published", "url",
            "licence", "seed_file", "description",
        )}  # fmt: skip
        objects.append({"model": "orgs.source", "fields": {**fields, "year": source["year"]}})
    for model, section in (
        ("orgs.worklevel", "levels_of_work"),
        ("orgs.focusarea", "focus_areas"),
        ("orgs.targetgroup", "target_groups"),
        ("orgs.networktype", "network_types"),
    ):
        for term in document[section]:
            objects.append({"model": model, "fields": {"description": "", **term}})
    for slug, city in sorted(registry.cities.items()):
        objects.append({"model": "orgs.city", "fields": {"slug": slug, **city}})
    return objects


def build_fixtures(source_dir: Path) -> dict[str, str]:
    registry = build_registry(source_dir)
    writer = FixtureWriter(registry)
    write_records(writer, registry)
    write_surveys(writer, registry)
    documents = {VOCABULARY_FILE: vocabulary_objects(registry, source_dir)}
    documents.update({f"{report}.json": objects for report, objects in writer.files.items()})
    return {
        name: json.dumps(objects, indent=1, ensure_ascii=False) + "\n"
        for name, objects in documents.items()
    }
