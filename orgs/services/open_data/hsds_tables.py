"""The published organisations in Open Referral HSDS 3.0's tabular layout: `organizations.csv`,
`locations.csv`, `attributes.csv`, `taxonomy_terms.csv`, `taxonomies.csv` and `metadata.csv`,
with the columns and file names of HSDS 3.0's schemas (a test holds them to the vendored ones).

The rows are those of the API's HSDS view (`orgs.hsds`, one mapping for both): an
organisation's nested `locations`, `attributes` and `metadata` become rows of their tables, and
the taxonomy terms its attributes name, each once, rows of `taxonomy_terms.csv`, grouped by the
taxonomies of `taxonomies.csv` (focus areas, target groups, levels of work, leadership).
Advocates are people and are not in HSDS's tables; there are no services (see `orgs.api.hsds`).
"""

from collections.abc import Iterator

from django.conf import settings

from orgs import hsds
from orgs.selectors import public_records
from orgs.services.open_data.tables import Column, ForeignKey, Table

CHUNK_SIZE = 500
TAXONOMIES = {
    "focus_area": "What organisations work on (the directory's focus areas).",
    "target_group": "Whom organisations work with (the directory's target groups).",
    "level_of_work": "Where organisations work: local, national, EU or global.",
    "leadership": "Who leads organisations: migrant-, refugee-, diaspora-led, and the evidence.",
}


def uuid(name: str) -> Column:
    return Column(name, format="uuid")


ORGANIZATION = [
    uuid("id"),
    *(Column(name) for name in ("name", "alternate_name", "description", "email", "website")),
    Column("year_incorporated", "number"),
    Column("uri"),
]
LOCATION = [uuid("id"), Column("location_type"), uuid("organization_id"), Column("name")]
ATTRIBUTE = [
    uuid("id"),
    uuid("link_id"),
    uuid("taxonomy_term_id"),
    Column("link_type"),
    Column("link_entity"),
    Column("value"),
]
TAXONOMY_TERM = [
    uuid("id"),
    *(Column(name) for name in ("code", "name", "description", "taxonomy")),
    Column("language"),
    uuid("taxonomy_id"),
]
TAXONOMY = [uuid("id"), Column("name"), Column("description"), Column("uri")]
METADATA = [
    uuid("id"),
    uuid("resource_id"),
    Column("resource_type"),
    Column("last_action_date", "date"),
    *(Column(name) for name in ("last_action_type", "field_name", "previous_value")),
    Column("replacement_value"),
    Column("updated_by"),
]


def organisations() -> Iterator:
    records = (
        public_records.public_organisations()
        .order_by("id")
        .prefetch_related(
            "aliases", "cities", "countries", "focus_areas", "target_groups", "levels"
        )
    )
    return records.iterator(chunk_size=CHUNK_SIZE)


def organizations() -> Iterator[dict]:
    """Each published organisation as a full HSDS `organization`."""
    for organisation in organisations():
        uri = settings.SITE_URL + organisation.get_absolute_url()
        yield hsds.organization(organisation, uri)


def cells(item: dict, columns: list[Column]) -> tuple:
    return tuple(item.get(column.name) for column in columns)


def nested(key: str, columns: list[Column]):
    def rows():
        for organization in organizations():
            for item in organization[key]:
                yield cells(item, columns)

    return rows


def taxonomy_id(name: str) -> str:
    return hsds.stable_id("taxonomy", name)


def taxonomy_terms():
    """Each term the organisations' attributes name, once."""
    seen = set()
    for organization in organizations():
        for attribute in organization["attributes"]:
            term = attribute["taxonomy_term"]
            if term["id"] in seen:
                continue
            seen.add(term["id"])
            row = {**term, "language": "en", "taxonomy_id": taxonomy_id(term["taxonomy"])}
            yield cells(row, TAXONOMY_TERM)


def taxonomies():
    for name, description in TAXONOMIES.items():
        yield taxonomy_id(name), name, description, ""


def key_to(table: str, column: str = "id") -> ForeignKey:
    return ForeignKey((column,), table, ("id",))


def tables() -> list[Table]:
    return [
        Table(
            "organization",
            "Organizations",
            ORGANIZATION,
            lambda: (cells(item, ORGANIZATION) for item in organizations()),
            ("id",),
            path="organizations.csv",
        ),
        Table(
            "location",
            "Locations",
            LOCATION,
            nested("locations", LOCATION),
            ("id",),
            [key_to("organization", "organization_id")],
            path="locations.csv",
        ),
        Table("taxonomy", "Taxonomies", TAXONOMY, taxonomies, ("id",), path="taxonomies.csv"),
        Table(
            "taxonomy_term",
            "Taxonomy terms",
            TAXONOMY_TERM,
            taxonomy_terms,
            ("id",),
            [key_to("taxonomy", "taxonomy_id")],
            path="taxonomy_terms.csv",
        ),
        Table(
            "attribute",
            "Attributes",
            ATTRIBUTE,
            nested("attributes", ATTRIBUTE),
            ("id",),
            [key_to("organization", "link_id"), key_to("taxonomy_term", "taxonomy_term_id")],
            path="attributes.csv",
        ),
        Table(
            "metadata",
            "Metadata",
            METADATA,
            nested("metadata", METADATA),
            ("id",),
            [key_to("organization", "resource_id")],
            path="metadata.csv",
        ),
    ]
