"""Organisations, advocates and networks as CSV, read with plain queries instead of serializers.

The columns are the fields of the API's serializer, and every cell is what `csv_files.flat` makes
of the serializer's value, byte for byte; but the rows never go through the serializer, whose
fields took most of a long download's time. Each chunk of rows is one `values()` read of the main
rows (a single query for the whole file) and one query per relation for the chunk's ids.

A serializer field this module cannot write stops the download with `UnknownColumn` (a test
builds every plan), rather than leaving the column empty or wrong.
"""

import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from functools import partial
from types import SimpleNamespace

from django.core.exceptions import EmptyResultSet, ImproperlyConfigured
from django.db.models import F, Lookup, QuerySet
from rest_framework import serializers
from rest_framework.relations import ManyRelatedField, RelatedField

from orgs import search
from orgs.api import csv_files
from orgs.api.csv_files import LIST_SEPARATOR, chunks, csv_response, flat
from orgs.models import (
    Advocate,
    AdvocateCitation,
    LeadershipClaim,
    Network,
    NetworkAlias,
    NetworkCitation,
    Organisation,
    OrganisationAlias,
    OrganisationCitation,
)
from orgs.selectors import public_records
from orgs.spreadsheet_cells import safe_cell


class UnknownColumn(ImproperlyConfigured):
    """A serializer field the CSV does not know how to write."""


# A slug that reverse() and the URI leave as it is: its address is the placeholder's, with the
# slug in its place. Any other slug takes the serializer field's own way.
PLAIN_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
PLACEHOLDER = "csv-row-slug-placeholder"


class Links:
    """The address a serializer field gives a record by its slug, without a reverse() per row.

    Worked out on first use, as the serializer would, in the request's language.
    """

    def __init__(self, field, record: Callable[[str], object]):
        self.field = field
        self.record = record  # what the field reads, made from a slug
        self.parts: list[str] | None = None

    def __call__(self, slug: str):
        if self.parts is None:
            address = str(self.field.to_representation(self.record(PLACEHOLDER)))
            self.parts = address.split(PLACEHOLDER) if address.count(PLACEHOLDER) == 1 else []
        if self.parts and PLAIN_SLUG.fullmatch(slug):
            return self.parts[0] + slug + self.parts[1]
        return self.field.to_representation(self.record(slug))


def by_slug(slug: str) -> SimpleNamespace:
    return SimpleNamespace(slug=slug)


# One item of a relation as `flat` writes the nested serializer's dict: its name, or, when it
# has none, whatever `flat` makes of all its fields.


def code(value) -> str:
    return flat(value)


def term(slug, name) -> str:
    return name or flat({"slug": slug, "name": name})


def city(slug, name, country) -> str:
    return name or flat({"slug": slug, "name": name, "country": country})


def citation(report, locator) -> str:
    return ", ".join(str(value) for value in (report, locator) if value)


def alias(name, report) -> str:
    return name or flat({"name": name, "report": report})


def affiliated(slug, name, role, is_current, url: Links) -> str:
    return name or flat(
        {"slug": slug, "name": name, "url": url(slug), "role": role, "is_current": is_current}
    )


def network(slug, name, role, url: Links) -> str:
    return name or flat({"slug": slug, "name": name, "url": url(slug), "role": role})


def member(organisation, organisation_slug, organisation_name, advocate_slug, advocate_name, role):
    if organisation:
        slug, name, kind = organisation_slug, organisation_name, "organisation"
    else:
        slug, name, kind = advocate_slug, advocate_name, "advocate"
    return name or flat({"slug": slug, "name": name, "kind": kind, "role": role})


@dataclass
class Relation:
    """A column of related items: which rows, for which record, and how one item reads."""

    shape: tuple[str, str]  # the serializer field's class and source, as `shape` gives them
    rows: Callable[[], QuerySet]  # every related row, in the serializer's order
    owner: str  # the foreign key of those rows naming the record
    values: tuple[str, ...]  # what an item is made of
    item: Callable[..., str]
    link: str = ""  # the nested serializer's address field an item needs, if any


def terms(model, name: str, serializer: str, item: Callable[..., str], *values: str) -> Relation:
    """A many-to-many column read from its link table, in the terms' own order (the order of
    the prefetch the serializer reads)."""
    field = model._meta.get_field(name)
    target = field.m2m_reverse_field_name()
    order = search.ordering_through(f"{target}__", field.related_model)
    return Relation(
        shape=(serializer, name),
        rows=lambda: field.remote_field.through.objects.order_by(*order),
        owner=field.m2m_field_name(),
        values=tuple(f"{target}__{value}" for value in values),
        item=item,
    )


def profile(model) -> dict[str, Relation]:
    """The places and terms every kind of record has (`RecordSerializer.profile_fields`)."""
    return {
        "countries": terms(model, "countries", "SlugRelatedField[]", code, "code"),
        "cities": terms(model, "cities", "CitySerializer[]", city, "slug", "name", "country"),
        "levels": terms(model, "levels", "SlugRelatedField[]", code, "slug"),
        "focus_areas": terms(model, "focus_areas", "TermSerializer[]", term, "slug", "name"),
        "target_groups": terms(model, "target_groups", "TermSerializer[]", term, "slug", "name"),
    }


def cited(owner: str, model, source="citations", serializer="CitationSerializer[]") -> Relation:
    """Citations (or leadership claims) in their model's order, as the prefetch reads them."""
    values = ("source__key", "locator")
    return Relation((serializer, source), model.objects.all, owner, values, citation)


def aliases(owner: str, model) -> Relation:
    shape = ("AliasSerializer[]", "aliases")
    return Relation(shape, model.objects.all, owner, ("name", "source__key"), alias)


def affiliations(serializer: str, other_side: str, owner: str) -> Relation:
    """The public records on `other_side` of a record's affiliations, as the serializer reads
    them (`public_records.public_affiliations`)."""
    public = public_records.PUBLIC[Advocate if other_side == "advocate" else Organisation]
    return Relation(
        (serializer, "affiliations"),
        lambda: public_records.public_affiliations(other_side, public()),
        owner,
        (f"{other_side}__slug", f"{other_side}__name", "role", "is_current"),
        affiliated,
        link="url",
    )


RELATIONS: dict[type, dict[str, Relation]] = {
    Organisation: {
        "aliases": aliases("organisation", OrganisationAlias),
        "leadership_claims": cited(
            "organisation", LeadershipClaim, "leadership_claims", "LeadershipClaimSerializer[]"
        ),
        **profile(Organisation),
        "advocates": affiliations("AffiliatedAdvocateSerializer[]", "advocate", "organisation"),
        "networks": Relation(
            ("OrganisationNetworkSerializer[]", "memberships"),
            public_records.organisation_memberships,
            "organisation",
            ("network__slug", "network__name", "role"),
            network,
            link="url",
        ),
        "sources": cited("organisation", OrganisationCitation),
    },
    Advocate: {
        **profile(Advocate),
        "organisations": affiliations(
            "AffiliatedOrganisationSerializer[]", "organisation", "advocate"
        ),
        "sources": cited("advocate", AdvocateCitation),
    },
    Network: {
        "aliases": aliases("network", NetworkAlias),
        **profile(Network),
        "members": Relation(
            ("NetworkMemberSerializer[]", "memberships"),
            public_records.network_members,
            "network",
            (
                "organisation_id",
                "organisation__slug",
                "organisation__name",
                "advocate__slug",
                "advocate__name",
                "role",
            ),  # fmt: skip
            member,
        ),
        "sources": cited("network", NetworkCitation),
    },
}


def shape(field) -> tuple[str, str]:
    """A serializer field's class (`Item[]` for a list of them) and source."""
    if isinstance(field, ManyRelatedField):
        return f"{type(field.child_relation).__name__}[]", field.source
    if isinstance(field, serializers.ListSerializer):
        return f"{type(field.child).__name__}[]", field.source
    return type(field).__name__, field.source


# A column's cells for a chunk, written a column at a time (a call per column, not per cell):
# (the chunk's main rows, their related items by column and record id) -> texts.
Cells = Callable[[list[dict], dict], list[str]]


@dataclass
class Column:
    name: str
    cells: Cells
    reads: tuple[str, ...] = ()  # what it needs from the main rows


# Fields whose representation of a string is that string (`ChoiceField` maps a stored choice to
# itself and leaves any other value as it is): their text cells need no representation.
TEXT_FIELDS = (serializers.CharField.to_representation, serializers.ChoiceField.to_representation)


def plain(field) -> Column:
    """A field of the record's own row: the serializer's representation of its value."""
    source, represent = field.source, field.to_representation
    is_text = type(field).to_representation in TEXT_FIELDS

    def cells(rows, found):
        values = [row[source] for row in rows]
        if is_text:
            return [
                "" if value is None else value if value.__class__ is str else flat(represent(value))
                for value in values
            ]
        return ["" if value is None else flat(represent(value)) for value in values]

    return Column(field.field_name, cells, (source,))


def related(name: str) -> Column:
    def cells(rows, found):
        items = found[name]
        return [items.get(row["id"], "") for row in rows]

    return Column(name, cells)


def link(name: str, links: Links) -> Column:
    return Column(name, lambda rows, found: [links(row["slug"]) for row in rows], ("slug",))


def network_type(name: str) -> Column:
    def cells(rows, found):
        return [
            "" if row["network_type"] is None
            else term(row["network_type__slug"], row["network_type__name"])
            for row in rows
        ]  # fmt: skip

    return Column(name, cells, ("network_type", "network_type__slug", "network_type__name"))


def personal_email(field) -> Column:
    """Present only when the serializer has the field: for a token holder (see serializers)."""
    represent = field.to_representation

    def cells(rows, found):
        values = [row["personal_address__email"] for row in rows]
        return ["" if value is None else flat(represent(value)) for value in values]

    return Column(field.field_name, cells, ("personal_address__email",))


# The columns other than plain fields and relations, by name: (expected shape, column maker).
SPECIAL: dict[str, tuple[tuple[str, str], Callable]] = {
    "url": (
        ("HyperlinkedIdentityField", "*"),
        lambda field, model: link("url", Links(field, by_slug)),
    ),
    "web_url": (
        ("SerializerMethodField", "*"),
        lambda field, model: link("web_url", Links(field, lambda slug: model(slug=slug))),
    ),
    "type": (("TermSerializer", "network_type"), lambda field, model: network_type("type")),
    "personal_email": (
        ("EmailField", "personal_address.email"),
        lambda field, model: personal_email(field),
    ),
}


def is_plain(field, model) -> bool:
    own = {f.name for f in model._meta.concrete_fields if not f.is_relation}
    composite = (serializers.BaseSerializer, RelatedField, ManyRelatedField)
    return field.source in own and not isinstance(
        field, composite + (serializers.SerializerMethodField,)
    )


def plan(serializer) -> tuple[list[Column], dict[str, Relation]]:
    """The columns of a serializer's CSV and the relations they read; `UnknownColumn` for a
    field (or a serializer's own `to_representation`) this module cannot write alike."""
    model = serializer.Meta.model
    if type(serializer).to_representation is not serializers.Serializer.to_representation:
        raise UnknownColumn(f"{type(serializer).__name__} writes its own representation.")
    columns, relations = [], {}
    for name, field in serializer.fields.items():
        relation = RELATIONS.get(model, {}).get(name)
        special = SPECIAL.get(name)
        if relation and shape(field) == relation.shape:
            if relation.link:
                url = Links(field.child.fields[relation.link], by_slug)
                relation = replace(relation, item=partial(relation.item, url=url))
            relations[name] = relation
            columns.append(related(name))
        elif special and shape(field) == special[0]:
            columns.append(special[1](field, model))
        elif is_plain(field, model):
            columns.append(plain(field))
        else:
            raise UnknownColumn(
                f"{type(serializer).__name__}.{name} ({'/'.join(shape(field))}): the CSV "
                "does not know how to write it; teach orgs/csv_rows.py."
            )
    return columns, relations


class AnyOf(Lookup):
    """`lhs` is one of a list of ids. On PostgreSQL the list is one array parameter: `__in`
    prepared each id through the field, a tenth of a long download's time."""

    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        ids = list(self.rhs)
        if not ids:
            raise EmptyResultSet  # matches nothing, as `__in=[]`
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", [*params, ids]
        return f"{lhs} IN ({', '.join(['%s'] * len(ids))})", [*params, *ids]


def items(relation: Relation, ids: list[int]) -> dict[int, str]:
    """The chunk's related items, by record id, as one cell each: one query."""
    found = defaultdict(list)
    rows = relation.rows().prefetch_related(None).filter(AnyOf(F(relation.owner), ids))
    for owner, *values in rows.values_list(relation.owner, *relation.values):
        found[owner].append(relation.item(*values))
    return {owner: LIST_SEPARATOR.join(texts) for owner, texts in found.items()}


def identified_rows(
    columns: list[Column], relations: dict[str, Relation], records: QuerySet
) -> Iterator[tuple[int, tuple]]:
    """Each record's id and row of cells."""
    reads = dict.fromkeys(["id", "slug", *(read for column in columns for read in column.reads)])
    size = csv_files.CHUNK_SIZE
    main = records.prefetch_related(None).values(*reads).iterator(chunk_size=size)
    for chunk in chunks(main, size):
        ids = [row["id"] for row in chunk]
        found = {name: items(relation, ids) for name, relation in relations.items()}
        cells = zip(
            *(map(safe_cell, column.cells(chunk, found)) for column in columns), strict=True
        )
        yield from zip(ids, cells, strict=True)


def rows(columns: list[Column], relations: dict[str, Relation], records: QuerySet) -> Iterator:
    return (row for _, row in identified_rows(columns, relations, records))


def records_csv(serializer_class, records: QuerySet, context: dict, filename: str):
    """Records as CSV with their API serializer's columns and cells, streamed in chunks."""
    columns, relations = plan(serializer_class(context=context))
    return csv_response(
        [column.name for column in columns], rows(columns, relations, records), filename
    )
