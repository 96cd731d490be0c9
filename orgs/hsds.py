"""Organisations as Open Referral HSDS 3.0 objects: one mapping for the API's HSDS view
(`orgs.api.hsds`, which documents it field by field) and the open data's HSDS tables
(`orgs.services.open_data.hsds_tables`).

Every id is stable: an organisation's is its `uuid`; its locations', attributes', metadata's
and the taxonomy terms' are derived from it and from what they stand for (`stable_id`), so
that two builds, or two installations of the directory, name them alike.
"""

import uuid

from orgs.choices import Leadership
from orgs.models import ORGANISATION_IDS, Organisation


def stable_id(*parts: str) -> str:
    return str(uuid.uuid5(ORGANISATION_IDS, ":".join(parts)))


def organization_list_item(organisation: Organisation, uri: str) -> dict:
    """The `organization_list` item; `uri` is the organisation's page, as an absolute address."""
    item = {
        "id": str(organisation.uuid),
        "name": organisation.name,
        "description": organisation.description,
        "uri": uri,
    }
    aliases = [alias.name for alias in organisation.aliases.all()]
    if aliases:
        item["alternate_name"] = "; ".join(aliases)
    if organisation.email:
        item["email"] = organisation.email
    if organisation.website:
        item["website"] = organisation.website
    if organisation.founded:
        item["year_incorporated"] = organisation.founded
    return item


def locations(organisation: Organisation) -> list[dict]:
    places = [
        (city.slug, f"{city.name}, {city.country.name}") for city in organisation.cities.all()
    ]
    with_city = {city.country.code for city in organisation.cities.all()}
    places += [
        (country.code, country.name)
        for country in organisation.countries.all()
        if country.code not in with_city
    ]
    organisation_id = str(organisation.uuid)
    return [
        {
            "id": stable_id(organisation_id, "location", key),
            "location_type": "physical",
            "organization_id": organisation_id,
            "name": name,
        }
        for key, name in places
    ]


def attribute(organisation_id: str, taxonomy: str, code: str, name: str, description: str):
    term_id = stable_id("term", taxonomy, code)
    return {
        "id": stable_id(organisation_id, "attribute", taxonomy, code),
        "link_id": organisation_id,
        "link_type": taxonomy,
        "link_entity": "organization",
        "taxonomy_term_id": term_id,
        "value": name,
        "taxonomy_term": {
            "id": term_id,
            "code": code,
            "name": name,
            "description": description or name,
            "taxonomy": taxonomy,
        },
    }


def attributes(organisation: Organisation) -> list[dict]:
    organisation_id = str(organisation.uuid)
    terms = [
        ("focus_area", organisation.focus_areas.all()),
        ("target_group", organisation.target_groups.all()),
        ("level_of_work", organisation.levels.all()),
    ]
    found = [
        attribute(organisation_id, taxonomy, term.slug, term.name, term.description)
        for taxonomy, items in terms
        for term in items
    ]
    if organisation.leadership != Leadership.UNKNOWN:
        found.append(
            attribute(
                organisation_id,
                "leadership",
                organisation.leadership,
                organisation.get_leadership_display(),
                f"{organisation.get_leadership_evidence_display()}.",
            )
        )
    return found


def metadata(organisation: Organisation) -> list[dict]:
    """The last change, and the organisation's own confirmation of the record, if any."""
    organisation_id = str(organisation.uuid)
    actions = [("updated_at", organisation.updated_at.date(), "update", "directory")]
    if organisation.confirmed_on:
        actions.append(("confirmed_on", organisation.confirmed_on, "confirmed", "the organisation"))
    return [
        {
            "id": stable_id(organisation_id, "metadata", name),
            "resource_id": organisation_id,
            "resource_type": "organization",
            "last_action_date": date.isoformat(),
            "last_action_type": action,
            "field_name": "",
            "previous_value": "",
            "replacement_value": "",
            "updated_by": by,
        }
        for name, date, action, by in actions
    ]


def organization(organisation: Organisation, uri: str) -> dict:
    """The full `organization`: its places, terms and metadata too (prefetch them)."""
    return {
        **organization_list_item(organisation, uri),
        "locations": locations(organisation),
        "attributes": attributes(organisation),
        "contacts": [],
        "metadata": metadata(organisation),
    }
