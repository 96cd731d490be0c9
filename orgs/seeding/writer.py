"""Turns the registry into fixture objects, each in the file of the latest report it needs.

A report's fixture file then loads after the files of the reports before it, and holds
everything that report adds: its records, and its citations, aliases and claims of records an
earlier report introduced.
"""

from django_countries import countries

from orgs.seeding.registry import Record, Registry


class FixtureWriter:
    def __init__(self, registry: Registry):
        self.registry = registry
        self.files = {report: [] for report in registry.reports}

    def first_report(self, kind, key):
        return self.registry.records[(kind, key)].report

    def put(self, reports, model, fields):
        latest = max(reports, key=self.registry.report_index)
        self.files[latest].append({"model": model, "fields": fields})


def joined(record: Record, name: str) -> str:
    return "\n".join(record.raw.get(name, []))


def profile_fields(record: Record) -> dict:
    return {
        "slug": record.key,
        "name": record.name,
        "location_raw": joined(record, "location_raw"),
        "levels_raw": joined(record, "levels_raw"),
        "focus_raw": joined(record, "focus_raw"),
        "target_groups_raw": joined(record, "target_groups_raw"),
        "countries": [[code] for code in record.lists.get("countries", [])],
        "cities": [[slug] for slug in record.lists.get("cities", [])],
        "levels": [[slug] for slug in record.lists.get("levels", [])],
        "focus_areas": [[slug] for slug in record.lists.get("focus_areas", [])],
        "target_groups": [[slug] for slug in record.lists.get("target_groups", [])],
    }


def organisation_fields(record: Record) -> dict:
    websites = record.lists.get("websites", [])
    return {
        **profile_fields(record),
        "description": record.values.get("description", "") or "",
        "form": record.values.get("form", "unknown"),
        "form_raw": joined(record, "form_raw"),
        "website": websites[0] if websites else "",
        "other_websites": websites[1:],
        "email": record.values.get("email", "") or "",
        "founded": record.values.get("founded"),
        "note": record.values.get("note", "") or "",
    }


def advocate_fields(record: Record) -> dict:
    return {
        **profile_fields(record),
        "roles": "; ".join(record.lists.get("roles", [])),
        "note": record.values.get("note", "") or "",
    }


NETWORK_TEXT = [
    "heading", "type_raw", "formalisation_raw", "coordinator_raw", "members_raw", "description",
    "resources", "internal_communication", "external_communication", "success_factors",
    "challenges", "evaluation_sustainability", "impact", "notes",
]  # fmt: skip


def network_fields(record: Record) -> dict:
    values = record.values
    network_type = values.get("network_type")
    return {
        **profile_fields(record),
        **{name: values.get(name, "") or "" for name in NETWORK_TEXT},
        "email": values.get("email", "") or "",
        "network_type": [network_type] if network_type else None,
        "formalisation": values.get("formalisation") or "unknown",
        "founded": values.get("founded"),
        "websites": record.lists.get("websites", []),
        "social_media": record.lists.get("social_media", []),
        "status_date": values.get("status_date"),
        "unreadable_fields": record.lists.get("unreadable", []),
    }


# kind: (model, its fields, its citation model, its alias model, field naming it in both)
MODELS = {
    "organisation": (
        "orgs.organisation",
        organisation_fields,
        "orgs.organisationcitation",
        "orgs.organisationalias",
        "organisation",
    ),
    "person": ("orgs.advocate", advocate_fields, "orgs.advocatecitation", None, "advocate"),
    "network": (
        "orgs.network",
        network_fields,
        "orgs.networkcitation",
        "orgs.networkalias",
        "network",
    ),
}


def citation_fields(report, locator, quote) -> dict:
    return {"source": [report], "locator": locator, "quote": quote or ""}


def write_records(writer: FixtureWriter, registry: Registry):
    for kind, (model, fields, citation_model, alias_model, owner) in MODELS.items():
        records = sorted(
            registry.of_kind(kind), key=lambda r: (registry.report_index(r.report), r.key)
        )
        for record in records:
            writer.put([record.report], model, fields(record))
        for record in records:
            for report, locator, quote in record.citations:
                writer.put(
                    [record.report, report],
                    citation_model,
                    {owner: [record.key], **citation_fields(report, locator, quote)},
                )
            for alias in record.aliases if alias_model else []:
                report = record.alias_reports[alias]
                editorial = alias in record.editorial_aliases
                writer.put(
                    [record.report, report],
                    alias_model,
                    {
                        owner: [record.key],
                        "name": alias,
                        "source": None if editorial else [report],
                        # Written only when true, so that every other alias keeps the fields
                        # (and the import hash) it had before aliases could be editorial.
                        **({"editorial": True} if editorial else {}),
                    },
                )
            for claim in record.claims:
                writer.put(
                    [record.report, claim["report"]],
                    "orgs.leadershipclaim",
                    {
                        "organisation": [record.key],
                        "leadership": claim["leadership"],
                        "evidence": claim["evidence"],
                        **citation_fields(claim["report"], claim["locator"], claim["quote"]),
                    },
                )
            if record.personal_address:
                email, report, locator = record.personal_address
                writer.put(
                    [record.report, report],
                    "orgs.personaladdress",
                    {
                        "advocate": [record.key] if kind == "person" else None,
                        "network": [record.key] if kind == "network" else None,
                        "email": email,
                        "source": [report],
                        "locator": locator,
                    },
                )
        if kind == "person":
            write_affiliations(writer, registry)
    write_memberships(writer, registry)


def write_relation(writer: FixtureWriter, model: str, fields: dict, key: list, relation, members):
    """A relation in the file of its first citation (or a later member), then its citations."""
    reports = [relation["citations"][0][0], *members]
    writer.put(reports, model, fields)
    for report, locator, quote in relation["citations"]:
        writer.put(
            [*reports, report],
            f"{model}citation",
            {model.removeprefix("orgs."): key, **citation_fields(report, locator, quote)},
        )


def write_affiliations(writer: FixtureWriter, registry: Registry):
    for (person, organisation), affiliation in registry.affiliations.items():
        fields = {
            "advocate": [person],
            "organisation": [organisation],
            "role": affiliation["role"],
            "is_current": affiliation["current"],
        }
        members = [
            writer.first_report("person", person),
            writer.first_report("organisation", organisation),
        ]
        key = [person, organisation]
        write_relation(writer, "orgs.affiliation", fields, key, affiliation, members)


def write_memberships(writer: FixtureWriter, registry: Registry):
    for (network, organisation), membership in registry.memberships.items():
        fields = {
            "network": [network],
            "organisation": [organisation],
            "advocate": None,
            "role": membership["role"],
        }
        members = [
            writer.first_report("network", network),
            writer.first_report("organisation", organisation),
        ]
        key = [network, organisation, None]
        write_relation(writer, "orgs.membership", fields, key, membership, members)


RESPONDENT_FIELDS = {"organisation": "organisation", "person": "advocate", "network": "network"}
SURVEY_NOUNS = ("response_noun", "response_noun_plural", "respondents_noun")


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
                **{noun: survey[noun] for noun in SURVEY_NOUNS if survey.get(noun)},
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
                    "chart": question.get("chart", ""),
                    "listing": question.get("listing", ""),
                    "vocabulary": question.get("vocabulary", ""),
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
            if not text:
                continue
            fields = {
                "response": [survey_key, key],
                "question": [survey_key, question["key"]],
                "text": text,
            }
            if question.get("private"):
                writer.put(reports, "surveys.privateanswer", fields)
                continue
            if question.get("vocabulary"):
                fields["terms"] = response.get("terms", {}).get(question["key"], [])
            writer.put(reports, "surveys.answer", fields)
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


SOURCE_FIELDS = (
    "key", "title", "short_title", "authors", "publisher", "published", "url", "licence",
    "seed_file", "description",
)  # fmt: skip


def vocabulary_objects(registry: Registry, sources: list[dict]) -> list[dict]:
    """Reports, vocabularies, and the countries and cities the records name."""
    document = registry.vocabularies["document"]
    objects = []
    for source in sources:
        fields = {name: source.get(name, "") for name in SOURCE_FIELDS}
        objects.append({"model": "orgs.source", "fields": {**fields, "year": source["year"]}})
    for model, section in (
        ("orgs.worklevel", "levels_of_work"),
        ("orgs.focusarea", "focus_areas"),
        ("orgs.targetgroup", "target_groups"),
        ("orgs.networktype", "network_types"),
    ):
        for term in document[section]:
            objects.append({"model": model, "fields": {"description": "", **term}})
    codes = {
        code for record in registry.records.values() for code in record.lists.get("countries", [])
    }
    for code in sorted(codes):
        objects.append(
            {"model": "orgs.country", "fields": {"code": code, "name": countries.name(code)}}
        )
    city_names = registry.vocabularies["city_names"]
    for slug, city in sorted(registry.cities.items()):
        names = (city_names.get(slug) or {}).get("names") or {}
        objects.append({"model": "orgs.city", "fields": {"slug": slug, **city, "names": names}})
    return objects
