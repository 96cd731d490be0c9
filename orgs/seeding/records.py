"""Reads the YAML record files (`fixtures/source/<report>/*.yaml`) into the registry."""

from datetime import date

from django_countries import countries

from orgs.models import Formalisation, Leadership, LeadershipEvidence, LegalForm
from orgs.seeding.registry import Registry, SourceDataError
from surveys.models import Chart, Listing, Vocabulary

PROFILE_FIELDS = {
    "key", "name", "aliases", "editorial_aliases", "country", "countries", "cities", "location_raw",
    "levels", "levels_raw", "focus", "focus_raw", "target_groups", "target_groups_raw",
    "locator", "quote", "note",
}  # fmt: skip
ORGANISATION_FIELDS = PROFILE_FIELDS | {
    "description", "form", "form_raw", "leadership", "leadership_evidence", "leadership_raw",
    "websites", "email", "founded",
}  # fmt: skip
PERSON_FIELDS = PROFILE_FIELDS | {"roles", "affiliations", "email"}
NETWORK_FIELDS = PROFILE_FIELDS | {
    "heading", "founded", "coordinator", "coordinator_raw", "formalisation",
    "formalisation_raw", "members", "members_raw", "type", "type_raw", "description",
    "resources", "internal_communication", "external_communication", "success_factors",
    "challenges", "evaluation_sustainability", "impact", "websites", "social_media", "email",
    "status", "unreadable", "notes", "email_is_personal",
}  # fmt: skip
NETWORK_TEXT_FIELDS = [
    "heading", "type_raw", "formalisation_raw", "coordinator_raw", "members_raw", "description",
    "resources", "internal_communication", "external_communication", "success_factors",
    "challenges", "evaluation_sustainability", "impact", "notes",
]  # fmt: skip
FORMS = set(LegalForm.values)
LEADERSHIPS = set(Leadership.values)
EVIDENCE = set(LeadershipEvidence.values)
FORMALISATIONS = set(Formalisation.values)
SURVEY_FIELDS = {
    "key", "title", "year", "population", "respondents_reported", "description", "locator",
    "questions", "response_noun", "response_noun_plural", "respondents_noun",
}  # fmt: skip
QUESTION_FIELDS = {"key", "text", "private", "chart", "listing", "vocabulary"}


def check_fields(data, allowed, where):
    unknown = set(data) - allowed
    if unknown:
        raise SourceDataError(f"{where}: unknown fields {sorted(unknown)}")
    for required in ("key", "name", "locator"):
        if not data.get(required):
            raise SourceDataError(f"{where}: missing {required}")


def country_code(value, where):
    if not value:
        return ""
    if value not in countries:
        raise SourceDataError(f"{where}: {value!r} is not an ISO 3166 country code")
    return value


def choice(value, allowed, where, default):
    value = value or default
    if value not in allowed:
        raise SourceDataError(f"{where}: {value!r} is not one of {sorted(allowed)}")
    return value


def places(registry: Registry, data, where) -> tuple[list[str], list[str]]:
    """Country codes and city keys of a record.

    `country: DE` or `countries: [BE, DE]`; `cities` is a list of cities in the one country, or
    a mapping from country code to its cities when there are several.
    """
    if data.get("country") and data.get("countries"):
        raise SourceDataError(f"{where}: give country or countries, not both")
    codes = [data["country"]] if data.get("country") else list(data.get("countries") or [])
    codes = [country_code(code, where) for code in codes]
    cities = data.get("cities") or []
    if isinstance(cities, list):
        if cities and len(codes) != 1:
            raise SourceDataError(
                f"{where}: with {len(codes)} countries, give cities by country ({{DE: [Berlin]}})"
            )
        cities = {codes[0]: cities} if cities else {}
    keys = []
    for code, names in cities.items():
        if code not in codes:
            raise SourceDataError(f"{where}: cities in {code}, which is not among {codes}")
        keys += registry.city_keys(names, code, where)
    return codes, keys


def apply_profile(registry: Registry, record, data, report, where):
    """Where the record works and on what: the fields organisations, people and networks share."""
    record.place(*places(registry, data, where))
    record.extend("levels", registry.check_terms("levels", data.get("levels"), where))
    record.extend("focus_areas", registry.check_terms("focus", data.get("focus"), where))
    record.extend(
        "target_groups", registry.check_terms("target_groups", data.get("target_groups"), where)
    )
    for raw in ("location_raw", "levels_raw", "focus_raw", "target_groups_raw"):
        record.add_raw(raw, str(data.get(raw) or ""))
    for alias in data.get("aliases") or []:
        record.add_alias(alias, report)
    for alias in data.get("editorial_aliases") or []:
        record.add_alias(alias, report, editorial=True)
    record.cite(report, data["locator"], data.get("quote", ""))


def add_organisation(registry: Registry, data, report, where):
    where = f"{where}: organisation {data.get('key')}"
    check_fields(data, ORGANISATION_FIELDS, where)
    record = registry.record("organisation", data["key"], data["name"], report)
    apply_profile(registry, record, data, report, where)
    form = choice(data.get("form"), FORMS, where, "unknown")
    record.set("form", form)
    record.add_raw("form_raw", data.get("form_raw", ""))
    leadership = choice(data.get("leadership"), LEADERSHIPS, where, "unknown")
    evidence = choice(data.get("leadership_evidence"), EVIDENCE, where, "none")
    if (leadership == "unknown") != (evidence == "none"):
        raise SourceDataError(f"{where}: leadership {leadership} with evidence {evidence}")
    if leadership != "unknown":
        record.claim_leadership(
            leadership, evidence, report, data["locator"], data.get("leadership_raw", "")
        )
    for name in ("description", "email", "founded", "note"):
        record.set(name, data.get(name))
    record.extend("websites", data.get("websites"))
    return record


def add_person(registry: Registry, data, report, where):
    where = f"{where}: person {data.get('key')}"
    check_fields(data, PERSON_FIELDS, where)
    record = registry.record("person", data["key"], data["name"], report)
    apply_profile(registry, record, data, report, where)
    record.set_personal_address(data.get("email"), report, data["locator"])
    record.set("note", data.get("note"))
    record.extend("roles", data.get("roles"))
    for affiliation in data.get("affiliations") or []:
        organisation = registry.get("organisation", affiliation["organisation"], where)
        registry.affiliate(
            record.key,
            organisation.key,
            affiliation.get("role"),
            report,
            data["locator"],
            current=affiliation.get("current", True),
        )
    return record


def status_date(value, where):
    if not value:
        return None
    try:
        year, month = str(value).split("-")
        return date(int(year), int(month), 1).isoformat()
    except ValueError as error:
        raise SourceDataError(f"{where}: status {value!r} is not YYYY-MM") from error


def add_network(registry: Registry, data, report, where):
    where = f"{where}: network {data.get('key')}"
    check_fields(data, NETWORK_FIELDS, where)
    record = registry.record("network", data["key"], data["name"], report)
    apply_profile(registry, record, data, report, where)
    for name in NETWORK_TEXT_FIELDS:
        record.set(name, str(data.get(name) or "").strip())
    # A contact address that is a person's own goes to editors only.
    if data.get("email_is_personal"):
        record.set_personal_address(data.get("email"), report, data["locator"])
    else:
        record.set("email", data.get("email"))
    record.set("founded", data.get("founded"))
    record.set("formalisation", choice(data.get("formalisation"), FORMALISATIONS, where, "unknown"))
    network_type = data.get("type")
    if network_type:
        registry.check_terms("network_types", [network_type], where)
    record.set("network_type", network_type)
    record.set("status_date", status_date(data.get("status"), where))
    for name in ("websites", "social_media", "unreadable"):
        record.extend(name, data.get(name))
    locator = data["locator"]
    coordinators = data.get("coordinator") or []
    for key in [coordinators] if isinstance(coordinators, str) else coordinators:
        coordinator = registry.get("organisation", key, where)
        registry.add_member(record.key, coordinator.key, "coordinator", report, locator)
    for member in data.get("members") or []:
        organisation = registry.get("organisation", member, where)
        registry.add_member(record.key, organisation.key, "member", report, locator)
    return record


def add_survey(registry: Registry, data, report, where):
    key = data["key"]
    if key in registry.surveys:
        raise SourceDataError(f"{where}: survey {key} is introduced twice")
    unknown = set(data) - SURVEY_FIELDS
    if unknown:
        raise SourceDataError(f"{where}: survey {key} has unknown fields {sorted(unknown)}")
    questions = data.get("questions") or []
    keys = [question["key"] for question in questions]
    if len(set(keys)) != len(keys):
        raise SourceDataError(f"{where}: survey {key} repeats a question key")
    for question in questions:
        at = f"{where}: survey {key}, question {question['key']}"
        unknown = set(question) - QUESTION_FIELDS
        if unknown:
            raise SourceDataError(f"{at}: unknown fields {sorted(unknown)}")
        choice(question.get("chart", ""), set(Chart.values), at, "")
        choice(question.get("listing", ""), set(Listing.values), at, "")
        choice(question.get("vocabulary", ""), set(Vocabulary.values), at, "")
        if question.get("private") and (question.get("chart") or question.get("listing")):
            raise SourceDataError(f"{at}: a private question is neither charted nor listed")
    registry.surveys[key] = {**data, "source": report, "questions": questions}


def add_response(registry: Registry, data, survey, where):
    key = (survey, data["key"])
    if key in registry.responses:
        raise SourceDataError(f"{where}: response {data['key']} given twice")
    known = {question["key"] for question in registry.surveys[survey]["questions"]}
    unknown = set(data.get("answers") or {}) - known
    if unknown:
        raise SourceDataError(f"{where}: response {data['key']} answers unknown {unknown}")
    respondents = {}
    for kind, field_name in (("organisation", "organisation"), ("person", "person")):
        if data.get(field_name):
            respondents[kind] = registry.get(kind, data[field_name], where).key
    if data.get("network"):
        respondents["network"] = registry.canonical(data["network"])
    registry.responses[key] = {
        "respondents": respondents,
        "answers": {k: str(v).strip() for k, v in (data.get("answers") or {}).items() if v},
        "locator": data["locator"],
    }


FIGURE_FIELDS = {
    "key", "survey", "figure", "label", "count", "denominator", "share", "approximate",
    "quote", "locator", "note",
}  # fmt: skip


def add_figure(registry: Registry, data, where):
    unknown = set(data) - FIGURE_FIELDS
    if unknown:
        raise SourceDataError(f"{where}: figure {data.get('key')} has unknown fields {unknown}")
    survey = data.get("survey")
    if survey not in registry.surveys:
        raise SourceDataError(f"{where}: figure {data.get('key')} names unknown survey {survey}")
    if data.get("count") is None and data.get("share") is None:
        raise SourceDataError(f"{where}: figure {data['key']} has no number")
    key = (survey, data["key"])
    if key in registry.figures:
        raise SourceDataError(f"{where}: figure {data['key']} given twice")
    registry.figures[key] = data


def read_records(registry: Registry, document: dict, report: str, where: str):
    """Adds one YAML file's organisations, people, networks, survey, responses and figures."""
    known = {"organisations", "people", "networks", "survey", "responses", "figures"}
    extra = set(document) - known - {"figures_without_numbers", "events"}
    if extra:
        raise SourceDataError(f"{where}: unknown sections {sorted(extra)}")
    for data in document.get("organisations") or []:
        add_organisation(registry, data, report, where)
    for data in document.get("people") or []:
        add_person(registry, data, report, where)
    for data in document.get("networks") or []:
        add_network(registry, data, report, where)
    if document.get("survey"):
        add_survey(registry, document["survey"], report, where)
    survey = (document.get("survey") or {}).get("key")
    for data in document.get("responses") or []:
        if not survey:
            raise SourceDataError(f"{where}: responses without a survey")
        add_response(registry, data, survey, where)
    for data in document.get("figures") or []:
        add_figure(registry, data, where)
