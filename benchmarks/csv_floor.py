"""The whole directory's CSV against its floor: PostgreSQL writing the same rows and columns
with `COPY (SELECT ...) TO STDOUT WITH CSV`, no Python in between.

`ORGANISATIONS_SQL` is the one place that says what the floor writes. It follows
`orgs/api/csv_rows.py` for `/api/v1/organisations/?format=csv` column by column:

- the rows: public organisations (`RecordQuerySet.published`: `is_published`), in the API's
  order (`SORTED_BY_NAME`: sort name, name, id);
- the columns: the serializer's fields in its order, under the same names (the header);
- each list column is the related items `csv_rows.RELATIONS` reads, aggregated with
  `string_agg` in the order its queryset gives them (the models' default `ordering`, or the
  selector's `order_by`), joined by `csv_files.LIST_SEPARATOR`, each item written as
  `csv_rows` writes it (a term by its name, a country by its code, a citation as
  "report, locator", an affiliation or membership by the other side's name);
- a record's addresses are the API's and the page's, made from the slug as `csv_rows.Links`
  makes them;
- dates and times as the serializer writes them (ISO 8601 in the site's time zone, the
  microseconds only when there are any, `Z` for UTC).

What it leaves out costs next to nothing and changes no row or column: the byte-order mark and
the apostrophe before a cell a spreadsheet would run as a formula (`spreadsheet_cells`).
"""

import statistics
import time
from dataclasses import dataclass

from benchmarks.fetching import FAILURES, Fetch, timed

WHOLE_CSV = "/api/v1/organisations/?format=csv"

SEPARATOR = " | "  # csv_files.LIST_SEPARATOR; a test checks that they agree

# Each list column is aggregated once for every organisation (`GROUP BY`) and joined by id:
# PostgreSQL's fastest way to the whole file (a subquery per row took four times as long).
ORGANISATIONS_SQL = """
SELECT
  o.id AS "id",
  o.uuid AS "uuid",
  o.slug AS "slug",
  o.name AS "name",
  %(api)s || o.slug || '/' AS "url",
  %(pages)s || o.slug || '/' AS "web_url",
  aliases.cell AS "aliases",
  o.description AS "description",
  o.form AS "form",
  o.form_raw AS "form_raw",
  o.leadership AS "leadership",
  o.leadership_evidence AS "leadership_evidence",
  claims.cell AS "leadership_claims",
  countries.cell AS "countries",
  cities.cell AS "cities",
  o.location_raw AS "location_raw",
  levels.cell AS "levels",
  o.levels_raw AS "levels_raw",
  focus.cell AS "focus_areas",
  o.focus_raw AS "focus_raw",
  groups.cell AS "target_groups",
  o.target_groups_raw AS "target_groups_raw",
  o.website AS "website",
  (SELECT string_agg(w.value, %(sep)s ORDER BY w.n)
    FROM jsonb_array_elements_text(o.other_websites) WITH ORDINALITY w(value, n))
    AS "other_websites",
  o.email AS "email",
  o.founded AS "founded",
  advocates.cell AS "advocates",
  networks.cell AS "networks",
  sources.cell AS "sources",
  o.confirmed_on AS "confirmed_on",
  replace(
    to_char(o.updated_at, CASE WHEN date_part('microseconds', o.updated_at)::int %% 1000000 = 0
      THEN 'YYYY-MM-DD"T"HH24:MI:SS' ELSE 'YYYY-MM-DD"T"HH24:MI:SS.US' END)
    || to_char(o.updated_at, 'TZH:TZM'), '+00:00', 'Z') AS "updated_at"
FROM orgs_organisation o
LEFT JOIN (
  SELECT a.organisation_id AS id, string_agg(a.name, %(sep)s ORDER BY a.name) AS cell
  FROM orgs_organisationalias a GROUP BY 1
) aliases ON aliases.id = o.id
LEFT JOIN (
  SELECT c.organisation_id AS id, string_agg(
    concat_ws(', ', nullif(s.key, ''), nullif(c.locator, '')), %(sep)s
    ORDER BY s.year, s.key, c.locator) AS cell
  FROM orgs_leadershipclaim c JOIN orgs_source s ON s.id = c.source_id GROUP BY 1
) claims ON claims.id = o.id
LEFT JOIN (
  SELECT l.organisation_id AS id, string_agg(t.code, %(sep)s ORDER BY t.sort_name) AS cell
  FROM orgs_organisation_countries l JOIN orgs_country t ON t.code = l.country_id GROUP BY 1
) countries ON countries.id = o.id
LEFT JOIN (
  SELECT l.organisation_id AS id, string_agg(t.name, %(sep)s ORDER BY t.name, t.country) AS cell
  FROM orgs_organisation_cities l JOIN orgs_city t ON t.id = l.city_id GROUP BY 1
) cities ON cities.id = o.id
LEFT JOIN (
  SELECT l.organisation_id AS id, string_agg(t.slug, %(sep)s ORDER BY t.position) AS cell
  FROM orgs_organisation_levels l JOIN orgs_worklevel t ON t.id = l.worklevel_id GROUP BY 1
) levels ON levels.id = o.id
LEFT JOIN (
  SELECT l.organisation_id AS id, string_agg(t.name, %(sep)s ORDER BY t.name) AS cell
  FROM orgs_organisation_focus_areas l JOIN orgs_focusarea t ON t.id = l.focusarea_id
  GROUP BY 1
) focus ON focus.id = o.id
LEFT JOIN (
  SELECT l.organisation_id AS id, string_agg(t.name, %(sep)s ORDER BY t.name) AS cell
  FROM orgs_organisation_target_groups l JOIN orgs_targetgroup t ON t.id = l.targetgroup_id
  GROUP BY 1
) groups ON groups.id = o.id
LEFT JOIN (
  SELECT f.organisation_id AS id,
    string_agg(p.name, %(sep)s ORDER BY f.is_current DESC, p.name) AS cell
  FROM orgs_affiliation f JOIN orgs_advocate p ON p.id = f.advocate_id
  WHERE p.is_published GROUP BY 1
) advocates ON advocates.id = o.id
LEFT JOIN (
  SELECT m.organisation_id AS id, string_agg(n.name, %(sep)s ORDER BY n.name, m.role) AS cell
  FROM orgs_membership m JOIN orgs_network n ON n.id = m.network_id
  WHERE n.is_published AND m.organisation_id IS NOT NULL GROUP BY 1
) networks ON networks.id = o.id
LEFT JOIN (
  SELECT c.organisation_id AS id, string_agg(
    concat_ws(', ', nullif(s.key, ''), nullif(c.locator, '')), %(sep)s
    ORDER BY s.year, s.key, c.locator) AS cell
  FROM orgs_organisationcitation c JOIN orgs_source s ON s.id = c.source_id GROUP BY 1
) sources ON sources.id = o.id
WHERE o.is_published
ORDER BY o.sort_name, o.name, o.id
"""


class NullSink:
    """A file that keeps nothing of what is written to it but its length."""

    def __init__(self):
        self.size = 0

    def write(self, data) -> int:
        self.size += len(data)
        return len(data)


def copy_sql(cursor, base_url: str) -> str:
    """The COPY statement for the directory at `base_url` ("http://host"), its values bound."""
    query = cursor.mogrify(
        ORGANISATIONS_SQL,
        {
            "api": f"{base_url}/api/v1/organisations/",
            "pages": f"{base_url}/organisations/",
            "sep": SEPARATOR,
        },
    ).decode()
    return f"COPY ({query}) TO STDOUT WITH CSV HEADER"


def copy_organisations(connection, sink, base_url: str, time_zone: str) -> float:
    """Writes the organisations' CSV from PostgreSQL into `sink` (a file opened for bytes):
    the seconds it took. `connection` is a psycopg2 connection."""
    with connection.cursor() as cursor:
        # Times as the serializer writes them: in the site's time zone, with its offset.
        cursor.execute("SET TIME ZONE %s", [time_zone])
        sql = copy_sql(cursor, base_url)
        start = time.perf_counter()
        cursor.copy_expert(sql, sink)
        return time.perf_counter() - start


def own_connection():
    """A psycopg2 connection of its own to Django's database (its session's settings are ours
    to change)."""
    import psycopg2
    from django.db import connection

    return psycopg2.connect(**connection.get_connection_params())


def floor_seconds(base_url: str, runs: int = 3) -> tuple[float, int]:
    """The median time of the COPY over `runs`, and the bytes it wrote."""
    from django.conf import settings

    connection = own_connection()
    try:
        times, size = [], 0
        for _ in range(runs):
            sink = NullSink()
            times.append(copy_organisations(connection, sink, base_url, settings.TIME_ZONE))
            size = sink.size
            connection.rollback()
        return statistics.median(times), size
    finally:
        connection.close()


WHOLE_CSV_RATIO = 3  # budget: the whole CSV within 3× its COPY floor (issue 27)


@dataclass
class CsvFloor:
    """One download of the whole directory's CSV, and the COPY that writes the same."""

    floor: float
    floor_bytes: int
    whole: float | None = None
    whole_bytes: int | None = None
    error: str = ""

    @property
    def ratio(self) -> float | None:
        return self.whole / self.floor if self.whole and self.floor else None

    def budgets(self) -> list[str]:
        if self.error:
            return [self.error]
        if self.ratio is None or self.ratio > WHOLE_CSV_RATIO:
            return [f"over {WHOLE_CSV_RATIO}× its floor"]
        return []


def measure(fetch: Fetch, base_url: str, runs: int = 3) -> CsvFloor:
    """The floor, then one download of the whole CSV through `fetch`."""
    result = CsvFloor(*floor_seconds(base_url, runs))
    try:
        result.whole, status, result.whole_bytes = timed(fetch, WHOLE_CSV)
    except FAILURES as error:
        result.error = f"no answer ({type(error).__name__})"
        return result
    if status != 200:
        result.error = f"HTTP {status}"
    return result
