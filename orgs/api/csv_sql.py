"""Organisations and advocates as CSV written by PostgreSQL: the bytes `csv_rows` writes, faster.

`csv_rows` reads each chunk of rows with one query per relation and writes every cell in
Python; the whole directory took four to six times what PostgreSQL needs to write the same
cells with COPY. Here one query, read in chunks, returns the rows as finished CSV lines: each
cell as the API's serializer represents it, related items joined by `string_agg` in the
serializer's order, guarded against formulas (`spreadsheet_cells`) and quoted as Python's
`csv.writer` quotes it. Python streams the lines. The query takes the list's ids in its order
(every filter, search and sorting of the FilterSet), fetched first.

A row with a cell PostgreSQL cannot write alike (a slug its address would have to escape, a
list of websites holding anything but texts, a related record without name or slug, whose cell
spells out its address) comes back marked, and `csv_rows` writes that row instead. A column of
a kind not handled here (a network's type, a personal address), or another database than
PostgreSQL, leaves the whole file to `csv_rows`.

The benchmark's floor for this file (`benchmarks/csv_floor.py`) is PostgreSQL's `COPY` of the
same cells, written independently of this module.
"""

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.contrib.postgres.aggregates import BoolAnd, StringAgg
from django.db import connections, transaction
from django.db.models import F, Func, QuerySet, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Coalesce, Concat, NullIf
from rest_framework import ISO_8601, serializers
from rest_framework.settings import api_settings

from orgs.api import csv_files, csv_rows
from orgs.api.csv_files import LIST_SEPARATOR
from orgs.spreadsheet_cells import FORMULA_STARTS


class Unwritable(Exception):
    """A column this module cannot write: the file is `csv_rows`'s."""


def text(path: str):
    """A value as text, NULL when empty (an empty cell, or the next choice of a Coalesce)."""
    return NullIf(Cast(F(path), TextField()), Value(""), output_field=TextField())


def spelt(prefix: str, *values) -> Concat:
    """What `csv_files.flat` writes for a related item whose name, slug and code are empty:
    `key: value; ...`, given here as its constant start and its last value, if any."""
    start = Value(prefix, output_field=TextField())
    return Concat(start, *values, output_field=TextField()) if values else start


class JoinedWith(Func):
    """`concat_ws(', ', ...)`: the non-NULL values joined, as `csv_rows.citation` joins them."""

    function = "concat_ws"
    output_field = TextField()

    def __init__(self, *expressions):
        super().__init__(Value(", ", output_field=TextField()), *expressions)


# One related item, as the relation's item function in `csv_rows` writes it from the same
# values; NULL where only Python can write it (the row is then `csv_rows`'s).


def code_item(slug_or_code):
    return Cast(F(slug_or_code), TextField())


def term_item(slug, name):
    return Coalesce(text(name), text(slug), spelt("slug: ; name: "), output_field=TextField())


def city_item(slug, name, country):
    spelt_out = spelt("slug: ; name: ; country: ", Cast(F(country), TextField()))
    return Coalesce(text(name), text(slug), spelt_out, output_field=TextField())


def citation_item(report, locator):
    return JoinedWith(text(report), text(locator))


def alias_item(name, report):
    report = Coalesce(text(report), Value(""), output_field=TextField())
    return Coalesce(text(name), spelt("name: ; report: ", report), output_field=TextField())


def linked_item(slug, name, *rest):
    # Without name and slug the cell spells out the record's address: Python's to write.
    return Coalesce(text(name), text(slug), output_field=TextField())


ITEMS: dict[Callable, Callable] = {
    csv_rows.code: code_item,
    csv_rows.term: term_item,
    csv_rows.city: city_item,
    csv_rows.citation: citation_item,
    csv_rows.alias: alias_item,
    csv_rows.affiliated: linked_item,
    csv_rows.network: linked_item,
}


def ordering(rows: QuerySet) -> list:
    """The order of the relation's rows (its queryset's, else its model's), then their ids,
    which make ties come out alike every time."""
    query = rows.query
    order = list(query.order_by) or (
        list(rows.model._meta.ordering) if query.default_ordering else []
    )
    return [*order, "pk"]


def sql_item(relation: csv_rows.Relation) -> Callable:
    """How PostgreSQL writes an item of the relation; `Unwritable` if it cannot."""
    item = ITEMS.get(getattr(relation.item, "func", relation.item))  # a link's item: a partial
    if item is None:
        raise Unwritable("/".join(relation.shape))
    return item


def relation_sql(relation: csv_rows.Relation) -> tuple[str, list]:
    """A relation's cells of the chosen records, one row per record: (owner, cell, exact)."""
    rows = chosen_only(relation.rows().prefetch_related(None).order_by(), relation.owner)
    expression = sql_item(relation)(*relation.values)
    grouped = rows.values(relation.owner).annotate(
        cell=StringAgg(expression, LIST_SEPARATOR, order_by=ordering(relation.rows())),
        exact=BoolAnd(Func(expression, template="%(expressions)s IS NOT NULL")),
    )
    grouped = grouped.values_list(relation.owner, "cell", "exact")
    return grouped.query.sql_with_params()


@dataclass
class Cell:
    """A column's SQL over the record's row `o` (and its relations' `r0`, `r1`...)."""

    sql: str
    params: tuple = ()
    exact: str = "true"  # SQL: whether PostgreSQL writes the cell alike
    exact_params: tuple = ()


def quoted(connection, name: str) -> str:
    return connection.ops.quote_name(name)


def plain_cell(connection, field, model) -> Cell:
    """A field of the record's own row, as the serializer field represents it."""
    column = "o." + quoted(connection, model._meta.get_field(field.source).column)
    if type(field).to_representation in csv_rows.TEXT_FIELDS:
        return Cell(f"NULLIF({column}::text, '')")
    if isinstance(field, serializers.IntegerField) or (
        isinstance(field, serializers.UUIDField) and field.uuid_format == "hex_verbose"
    ):
        return Cell(f"{column}::text")
    if isinstance(field, serializers.BooleanField):
        return Cell(f"CASE WHEN {column} THEN 'yes' WHEN NOT {column} THEN 'no' END")
    if isinstance(field, serializers.DateTimeField):
        return datetime_cell(column, field)
    if isinstance(field, serializers.DateField) and iso_8601(field, api_settings.DATE_FORMAT):
        return Cell(f"to_char({column}, 'YYYY-MM-DD')")
    if isinstance(field, serializers.JSONField) and not field.binary:
        # A list of texts (any list of websites the forms let through), joined as `flat`
        # joins it; any other value is Python's to write.
        is_list = f"jsonb_typeof({column}) = 'array'"
        return Cell(
            f"CASE WHEN {is_list} THEN (SELECT string_agg(item, %s ORDER BY position) "
            f"FROM jsonb_array_elements_text({column}) WITH ORDINALITY AS items(item, position)) "
            "END",
            (LIST_SEPARATOR,),
            exact=(
                f"{is_list} AND NOT jsonb_path_exists("
                f"{column}, 'strict $[*] ? (@.type() != \"string\")', '{{}}', true)"
            ),
        )
    raise Unwritable(field.field_name)


def iso_8601(field, default: str) -> bool:
    """Whether a date or time field writes ISO 8601 (DRF's default)."""
    output = getattr(field, "format", default)
    return isinstance(output, str) and output.lower() == ISO_8601


def datetime_cell(column: str, field) -> Cell:
    """DRF's ISO 8601: the time in the field's time zone, microseconds when there are some,
    the offset (`Z` for none)."""
    if not iso_8601(field, api_settings.DATETIME_FORMAT):
        raise Unwritable(field.field_name)
    zone = field.timezone if hasattr(field, "timezone") else field.default_timezone()
    if zone is None:
        raise Unwritable(field.field_name)
    local = f"({column} AT TIME ZONE %s)"
    offset = f"({local} - ({column} AT TIME ZONE 'UTC'))"
    return Cell(
        f"to_char({local}, 'YYYY-MM-DD\"T\"HH24:MI:SS')"
        f" || CASE WHEN to_char({column}, 'US') = '000000' THEN ''"
        f" ELSE to_char({column}, '.US') END"
        f" || CASE WHEN {offset} = interval '0' THEN 'Z'"
        f" WHEN {offset} > interval '0' THEN '+' || to_char({offset}, 'HH24:MI')"
        f" ELSE '-' || to_char(-{offset}, 'HH24:MI') END",
        (str(zone),) * 5,
    )


def link_cell(connection, links: csv_rows.Links) -> Cell:
    """A record's address: the address of a placeholder slug with the slug in its place, for
    the slugs `csv_rows.Links` writes so too; any other is Python's to write."""
    links(csv_rows.PLACEHOLDER)  # works out the address's parts
    if not links.parts:
        raise Unwritable("an address without the slug once in it")
    slug = "o." + quoted(connection, "slug")
    plain = f"^{csv_rows.PLAIN_SLUG.pattern}$"
    return Cell(f"%s || {slug} || %s", tuple(links.parts), f"{slug} ~ %s", (plain,))


@dataclass
class Plan:
    """The columns of a serializer's CSV in SQL, and the relations they read."""

    names: list[str]
    cells: list[Cell]
    relations: list[csv_rows.Relation]
    table: str


def plan(connection, serializer) -> Plan:
    """The serializer's columns (`csv_rows.plan`'s) in SQL; `Unwritable` for a column
    PostgreSQL cannot write."""
    columns, relations = csv_rows.plan(serializer)
    model = serializer.Meta.model
    names, cells, joined = [], [], []
    for name, field in serializer.fields.items():
        if name in relations:
            sql_item(relations[name])
            number = len(joined)
            joined.append(relations[name])
            cell = Cell(f"r{number}.cell", exact=f"r{number}.exact IS NOT FALSE")
        elif name == "url":
            cell = link_cell(connection, csv_rows.Links(field, csv_rows.by_slug))
        elif name == "web_url":
            cell = link_cell(connection, csv_rows.Links(field, lambda slug: model(slug=slug)))
        elif csv_rows.is_plain(field, model):
            cell = plain_cell(connection, field, model)
        else:
            raise Unwritable(name)
        names.append(name)
        cells.append(cell)
    if names != [column.name for column in columns]:
        raise Unwritable("the columns of csv_rows")
    return Plan(names, cells, joined, quoted(connection, model._meta.db_table))


def formula_guarded(column: str) -> tuple[str, list]:
    """A cell with an apostrophe before a formula's start, as `safe_cell` writes it."""
    starts = ", ".join("%s" for _ in FORMULA_STARTS)
    return (
        f"CASE WHEN left({column}, 1) IN ({starts}) THEN '''' || {column} ELSE {column} END",
        list(FORMULA_STARTS),
    )


# What makes `csv.writer` quote a cell (its default dialect): the delimiter, the quote, or a
# character of the line's end.
NEEDS_QUOTES = "[" + csv.excel.delimiter + csv.excel.quotechar + csv.excel.lineterminator + "]"


def csv_quoted(column: str) -> str:
    return (
        f"CASE WHEN {column} ~ %s THEN '\"' || replace({column}, '\"', '\"\"') || '\"' "
        f"ELSE coalesce({column}, '') END"
    )


def cells_sql(connection, plan: Plan, chosen: str, chosen_params: list) -> tuple[str, list]:
    """The plan's cells (guarded, NULL when empty) of the records `chosen` (a query of their
    ids and positions): columns `record`, `position`, `exact`, then `c0`, `c1`... Each level
    is kept apart (`OFFSET 0`), so that each cell is worked out once."""
    selected, params = [], []
    exact_parts, exact_params = [], []
    for number, cell in enumerate(plan.cells):
        selected.append(f"{cell.sql} AS c{number}")
        params += cell.params
        exact_parts.append(f"({cell.exact})")
        exact_params += cell.exact_params
    joins, join_params = [], []
    for number, relation in enumerate(plan.relations):
        sql, relation_params = relation_sql(relation)
        joins.append(
            f"LEFT JOIN ({sql}) AS r{number}(owner, cell, exact) ON r{number}.owner = o.id"
        )
        join_params += relation_params
    exact = " AND ".join(exact_parts)
    raw = (
        f"WITH chosen(id, position) AS MATERIALIZED ({chosen}) "
        f"SELECT o.id AS record, chosen.position AS position, {exact} AS exact, "
        f"{', '.join(selected)} FROM chosen "
        f"JOIN {plan.table} AS o ON o.id = chosen.id {' '.join(joins)} OFFSET 0"
    )
    raw_params = [*chosen_params, *exact_params, *params, *join_params]
    guarded, guard_params = [], []
    for number in range(len(plan.names)):
        sql, guard = formula_guarded(f"raw.c{number}")
        guarded.append(f"{sql} AS c{number}")
        guard_params += guard
    sql = f"SELECT raw.record, raw.position, raw.exact, {', '.join(guarded)} FROM ({raw}) AS raw"
    return sql, [*guard_params, *raw_params]


def chosen_only(rows: QuerySet, owner: str) -> QuerySet:
    """A relation's rows of the chosen records only (`chosen`, the query's first part)."""
    return rows.filter(**{f"{owner}__in": RawSQL("SELECT chosen.id FROM chosen", ())})


def lines_sql(connection, plan: Plan, ids: list[int]) -> tuple[str, list]:
    """The records `ids`, in that order, as (id, exact, their CSV line)."""
    cells, params = cells_sql(
        connection, plan, "SELECT * FROM unnest(%s::bigint[]) WITH ORDINALITY", [ids]
    )
    line = " || ',' || ".join(csv_quoted(f"cells.c{number}") for number in range(len(plan.names)))
    quote_params = [NEEDS_QUOTES] * len(plan.names)
    sql = (
        f"SELECT cells.record, cells.exact, {line} || %s FROM ({cells} OFFSET 0) AS cells "
        "ORDER BY cells.position"
    )
    return sql, [*quote_params, csv.excel.lineterminator, *params]


def python_lines(columns, relations, model, db: str, ids: list[int]) -> dict[int, str]:
    """The rows `ids` as `csv_rows` writes them: for rows PostgreSQL cannot write alike."""
    writer = csv.writer(csv_files.Echo())
    records = model._base_manager.using(db).filter(pk__in=ids)
    return {
        pk: writer.writerow(row)
        for pk, row in csv_rows.identified_rows(columns, relations, records)
    }


def lines(connection, sql_plan: Plan, columns, relations, records: QuerySet) -> Iterator[str]:
    """The header, then the records' lines: the ids in the list's order (one query), then
    every line (one query, read in chunks)."""
    yield csv_files.header_line(sql_plan.names)
    ids = list(records.prefetch_related(None).values_list("pk", flat=True))
    if not ids:
        return
    sql, params = lines_sql(connection, sql_plan, ids)
    # In a transaction of its own, the lines stream from the server as they are read (outside
    # one, the cursor would hold them all first); and JIT compilation, which the query's cost
    # sets off, took longer than it saved (7 s without it for the whole directory, 12.6 s with).
    with transaction.atomic(using=records.db):
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
        with connection.chunked_cursor() as cursor:
            cursor.execute(sql, params)
            while found := cursor.fetchmany(csv_files.CHUNK_SIZE):
                inexact = [pk for pk, exact, _ in found if not exact]
                written = {}
                if inexact:
                    written = python_lines(columns, relations, records.model, records.db, inexact)
                for pk, _, line in found:
                    yield written.get(pk, line)


def records_csv(serializer_class, records: QuerySet, context: dict, filename: str):
    """Records as CSV with their API serializer's columns and cells: written by PostgreSQL
    when it can write every column, else by `csv_rows`.

    The database is chosen once, now, while the request's routing holds (a signed-in editor
    reads the primary): the lines are read after the view has returned, as they stream."""
    records = records.using(records.db)
    connection = connections[records.db]
    serializer = serializer_class(context=context)
    if connection.vendor == "postgresql":
        try:
            sql_plan = plan(connection, serializer)
        except Unwritable:
            pass
        else:
            columns, relations = csv_rows.plan(serializer)
            return csv_files.lines_response(
                lines(connection, sql_plan, columns, relations, records), filename
            )
    return csv_rows.records_csv(serializer_class, records, context, filename)
