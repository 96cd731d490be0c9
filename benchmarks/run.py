"""`make bench`: how fast the directory answers at scale, measured through the production server.

Against a PostgreSQL database of synthetic records (BENCH_DATABASE_URL; filled on first use with
the real records plus `generate_synthetic`), it starts gunicorn (2 workers, DEBUG off, the figures
cache in Redis as in production: BENCH_CACHE_URL) on a loopback port and, for each request of
`scenarios()`, measures the first request on an empty cache, then the median and p95 latency at
concurrency 1 and 8, requests per second and bytes. In-process, through Django's test client,
it counts the queries of the same request (at two page sizes for API lists), captures its
slowest query and reruns that SQL through the database driver alone: the floor every latency is
compared with. Then the requests nobody made before (`longtail`): hundreds of distinct
requests, each asked once on an empty cache, by class beside the warm figures; a mixed load
without and with an edit a second (`edits`); and the whole directory's CSV against PostgreSQL's
`COPY` of the same rows (`csv_floor`). The tables go to docs/benchmarks.md with the machine, the
date, the data size and the budgets of issues 15 and 27, met or not.

`make bench QUICK=1` is a smoke run: a small database of its own and a few requests each.
"""

import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from benchmarks import csv_floor, edits, longtail  # noqa: E402
from benchmarks.fetching import (  # noqa: E402
    FAILURES,
    TIMEOUT,
    Fetch,
    empty_cache,
    http_fetcher,
    p95,
    timed,
)

DATABASE_URL = "postgres://postgres@127.0.0.1:5432/directory_bench"
QUICK_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/directory_bench_quick"
CACHE_URL = "redis://127.0.0.1:6379/12"  # shared by the server's workers and this script
SIZES = {"full": (100_000, 300_000, 5_000), "quick": (500, 1_500, 50)}
CONCURRENCY = (1, 8)
WORKERS = 2  # gunicorn's, as on a 2-core machine

# Budgets at 100,000 organisations on 2 cores (issue 15), in seconds and bytes.
MEDIAN_AT_1 = 0.050
P95_AT_1 = 0.100
P95_AT_8 = 0.300
FLOOR_RATIO = 3
PAGE_BYTES = 150_000
# "100,000 rows in seconds": the whole directory's CSV, one download at a time, well inside
# gunicorn's 30 s worker timeout (a longer download is cut off).
WHOLE_CSV_SECONDS = 20


@dataclass
class Scenario:
    name: str
    path: str
    kind: str  # "page", "api" (an API list), "endpoint" or "csv"
    # For API lists: the same list at another page size, whose query count must be the same.
    other_page_size: str | None = None
    # Measured at these concurrencies only (of those asked for); None: at all of them.
    concurrency: tuple[int, ...] | None = None
    # The long tail's class of requests like this one (`longtail.CLASSES`), if any.
    group: str = ""


@dataclass
class Timing:
    concurrency: int
    latencies: list[float] = field(default_factory=list)
    wall: float = 0.0
    failures: int = 0

    @property
    def median(self) -> float | None:
        return statistics.median(self.latencies) if self.latencies else None

    @property
    def p95(self) -> float | None:
        return p95(self.latencies)

    @property
    def per_second(self) -> float | None:
        return len(self.latencies) / self.wall if self.latencies and self.wall else None


@dataclass
class Result:
    scenario: Scenario
    status: int | None = None
    size: int | None = None
    cold: float | None = None  # the first request, on an empty cache
    timings: dict[int, Timing] = field(default_factory=dict)
    queries: int | None = None
    queries_other_page_size: int | None = None
    floor: float | None = None
    main_sql: str = ""
    error: str = ""

    @property
    def ratio(self) -> float | None:
        median = self.timings.get(1) and self.timings[1].median
        return median / self.floor if median and self.floor else None

    def budgets(self) -> list[str]:
        """The budgets this request misses ("" when all are met)."""
        if self.error:
            return [self.error]
        missed = []
        one, eight = self.timings.get(1), self.timings.get(8)
        if self.scenario.kind != "csv":
            if one and (one.median is None or one.median >= MEDIAN_AT_1):
                missed.append("median ≥ 50 ms")
            if one and (one.p95 is None or one.p95 >= P95_AT_1):
                missed.append("p95 ≥ 100 ms")
            if eight and (eight.p95 is None or eight.p95 >= P95_AT_8):
                missed.append("p95 at 8 ≥ 300 ms")
        for timing in self.timings.values():
            if timing.failures:
                missed.append(f"{timing.failures} failed or timed out at {timing.concurrency}")
        if self.scenario.concurrency == (1,) and self.scenario.kind == "csv":
            if one and (one.median is None or one.median >= WHOLE_CSV_SECONDS):
                missed.append(f"median ≥ {WHOLE_CSV_SECONDS} s")
        if self.scenario.kind == "api" and self.ratio and self.ratio > FLOOR_RATIO:
            missed.append("over 3× floor")
        if self.scenario.kind == "page" and (self.size or 0) >= PAGE_BYTES:
            missed.append("≥ 150 KB")
        if self.queries_other_page_size not in (None, self.queries):
            missed.append("queries grow with page size")
        return missed


# Requests


def measure(fetch: Fetch, path: str, concurrency: int, count: int, seconds: float) -> Timing:
    """`count` requests by `concurrency` callers at once, or fewer if `seconds` run out (each
    caller still makes at least one)."""
    timing = Timing(concurrency)
    deadline = time.perf_counter() + seconds

    def caller(share: int) -> tuple[list[float], int]:
        """This caller's latencies, and 1 if its last request failed (it stops there)."""
        latencies = []
        while len(latencies) < share and (not latencies or time.perf_counter() < deadline):
            try:
                latency, status, _ = timed(fetch, path)
            except FAILURES:
                return latencies, 1
            if status != 200:
                return latencies, 1
            latencies.append(latency)
        return latencies, 0

    shares = [count // concurrency + (n < count % concurrency) for n in range(concurrency)]
    start = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        for latencies, failed in pool.map(caller, shares):
            timing.latencies += latencies
            timing.failures += failed
    timing.wall = time.perf_counter() - start
    return timing


# In-process: queries and the raw-SQL floor

CURSOR_PREFIX = re.compile(r'^DECLARE "[^"]+" NO SCROLL CURSOR WITH(OUT)? HOLD FOR ', re.S)


def count_queries(path: str) -> tuple[int, list[dict]]:
    """The queries one request runs (its whole body read), with their SQL and time, on an
    empty cache: the worst case, and the queries behind what the server caches."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = Client().get(path)
        if response.streaming:
            for _ in response.streaming_content:
                pass
    return len(captured), captured.captured_queries


def raw_floor(sql: str, runs: int = 3) -> float:
    """The median time of `sql` run and fetched through the database driver alone."""
    from django.db import connection

    sql = CURSOR_PREFIX.sub("", sql)
    connection.ensure_connection()
    times = []
    for _ in range(runs):
        cursor = connection.connection.cursor()
        start = time.perf_counter()
        cursor.execute(sql)
        cursor.fetchall()
        times.append(time.perf_counter() - start)
        cursor.close()
    return statistics.median(times)


def profile(result: Result):
    path = result.scenario.path
    result.queries, captured = count_queries(path)
    if result.scenario.other_page_size:
        other = f"{path}{'&' if '?' in path else '?'}{result.scenario.other_page_size}"
        result.queries_other_page_size, _ = count_queries(other)
    if captured:
        main = max(captured, key=lambda query: float(query["time"] or 0))
        result.main_sql = main["sql"]
        result.floor = raw_floor(main["sql"])


def run_scenarios(
    fetch: Fetch,
    scenarios: list[Scenario],
    count: int,
    seconds: float,
    concurrency_levels=CONCURRENCY,
    log=print,
    done=lambda results: None,
) -> list[Result]:
    """Measures each scenario in turn; `done` sees the results so far after each one."""
    results = []
    for scenario in scenarios:
        result = Result(scenario)
        try:
            empty_cache()
            result.cold, result.status, result.size = timed(fetch, scenario.path)
            levels = [c for c in concurrency_levels if c in (scenario.concurrency or [c])]
            if max(levels, default=1) > 1:
                # Unmeasured: each worker's first answers (its templates), callers enough to
                # reach every worker.
                measure(fetch, scenario.path, 2 * WORKERS, 4 * WORKERS, seconds)
        except FAILURES as error:
            result.error = f"no answer ({type(error).__name__})"
        if result.status not in (None, 200):
            result.error = f"HTTP {result.status}"
        if not result.error:
            for concurrency in levels:
                result.timings[concurrency] = measure(
                    fetch, scenario.path, concurrency, max(count, 2 * concurrency), seconds
                )
            profile(result)
        log(summary_line(result))
        results.append(result)
        done(results)
    return results


# The requests, chosen from the data


def scenarios() -> list[Scenario]:
    """The requests of issue 15, with values (filters, keywords, slugs) that exist in the data."""
    from django.conf import settings
    from django.db.models import Count

    from orgs.models import Organisation
    from orgs.pages.lists import PAGE_SIZE
    from orgs.paging import MAX_DEPTH

    organisations = Organisation.objects.published()
    total = organisations.count()
    country = top(organisations, "countries")
    focus = top(organisations, "focus_areas__slug")
    leadership = top(organisations, "leadership")
    three = f"country={country}&focus={focus}&leadership={leadership}"
    # The country whose organisations come closest to a tenth of them: a CSV of ~10,000 rows.
    per_country = organisations.values("countries").annotate(n=Count("id")).exclude(countries=None)
    csv_country = min(per_country, key=lambda row: abs(row["n"] - total / 10))["countries"]
    rare = organisations.order_by("-id").values_list("name", flat=True).first()
    slug = organisations.order_by("id").values_list("slug", flat=True)[total // 2]
    # The deepest page a list gives (deeper ones ask to narrow the list: `orgs.paging`).
    deep = max(1, min(total, MAX_DEPTH) // PAGE_SIZE)
    deep_api = max(1, min(total, MAX_DEPTH) // settings.API_PAGE_SIZE)
    api = "/api/v1/organisations/"
    lists, apis, records, words = longtail.CLASSES
    return [
        Scenario("home", "/", "page"),
        Scenario("organisations", "/organisations/", "page", group=lists),
        Scenario("organisations API", api, "api", "page_size=100", group=apis),
        Scenario("3 filters", f"/organisations/?{three}", "page", group=lists),
        Scenario("3 filters API", f"{api}?{three}", "api", "page_size=100", group=apis),
        Scenario("common keyword", "/organisations/?q=refugee", "page", group=words),
        Scenario("common keyword API", f"{api}?q=refugee", "api", "page_size=100", group=words),
        Scenario("rare keyword", f"/organisations/?q={quote(rare)}", "page", group=words),
        Scenario("rare keyword API", f"{api}?q={quote(rare)}", "api", "page_size=100", group=words),
        Scenario("deep page", f"/organisations/?page={deep}", "page", group=lists),
        Scenario("deep page API", f"{api}?page={deep_api}", "api", group=apis),
        Scenario("organisation page", f"/organisations/{slug}/", "page", group=records),
        Scenario("like-minded API", f"{api}{slug}/similar/", "endpoint"),
        Scenario("advocates", "/advocates/", "page", group=lists),
        Scenario("advocates API", "/api/v1/advocates/", "api", "page_size=100", group=apis),
        Scenario("stats API", "/api/v1/stats/organisations/?group_by=country", "endpoint"),
        Scenario(
            f"CSV ({country_count(csv_country):,} rows)",
            f"{api}?country={csv_country}&format=csv",
            "csv",
        ),
        # The whole directory: one download at a time (eight at once on two workers queue).
        Scenario(f"CSV, all ({total:,} rows)", f"{api}?format=csv", "csv", concurrency=(1,)),
    ]


def top(queryset, field_name: str) -> str:
    from django.db.models import Count

    row = (
        queryset.exclude(**{f"{field_name}__isnull": True})
        .values(field_name)
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    return row[field_name]


def country_count(code: str) -> int:
    from orgs.models import Organisation

    return Organisation.objects.published().filter(countries=code).count()


def quote(text: str) -> str:
    from urllib.parse import quote_plus

    return quote_plus(text)


# The report


def ms(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds * 1000:,.0f}"


def summary_line(result: Result) -> str:
    one = result.timings.get(1)
    return (
        f"{result.scenario.name:24} cold {ms(result.cold):>7} ms  "
        f"median {ms(one and one.median):>7} ms  "
        f"queries {result.queries if result.queries is not None else '—':>4}  "
        f"{', '.join(result.budgets()) or 'budgets met'}"
    )


def machine() -> dict[str, str]:
    from django.db import connection

    memory = "?"
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kilobytes = int(meminfo.read_text().split("MemTotal:")[1].split()[0])
        memory = f"{kilobytes / 1024 / 1024:.1f} GB"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            database = "PostgreSQL " + cursor.fetchone()[0].split()[0]
        else:
            database = f"{connection.vendor} {connection.Database.sqlite_version}"
    return {
        "cores": str(os.cpu_count()),
        "memory": memory,
        "database": database,
        "python": platform.python_version(),
        "system": platform.platform(terse=True),
    }


def cpu_times() -> list[int]:
    """The machine's CPU time so far by kind (/proc/stat: user ... steal), or [] elsewhere."""
    stat = Path("/proc/stat")
    return [int(value) for value in stat.read_text().split()[1:9]] if stat.exists() else []


def stolen(before: list[int], after: list[int]) -> str:
    """The share of CPU time the host gave to other machines (steal) between two readings."""
    if not before or not after:
        return "unknown"
    spent = [b - a for a, b in zip(before, after, strict=True)]
    return f"{100 * spent[7] / max(1, sum(spent)):.0f}%"


def data_size() -> str:
    from orgs.models import Advocate, Network, Organisation

    return ", ".join(
        f"{model.objects.count():,} {name}"
        for model, name in [
            (Organisation, "organisations"),
            (Advocate, "advocates"),
            (Network, "networks"),
        ]
    )


def table(results: list[Result]) -> str:
    header = (
        "| request | cold ms | median ms (c=1) | p95 ms (c=1) | req/s (c=1) | median ms (c=8) "
        "| p95 ms (c=8) | req/s (c=8) | queries | KB | floor ms | ratio | budgets |"
    )
    lines = [header, header_rule(header)]
    for result in results:
        one, eight = result.timings.get(1), result.timings.get(8)
        queries = "—" if result.queries is None else str(result.queries)
        if result.queries_other_page_size is not None:
            queries += f" / {result.queries_other_page_size}"
        missed = result.budgets()
        cells = [
            f"{result.scenario.name} `{result.scenario.path}`",
            ms(result.cold),
            ms(one and one.median),
            ms(one and one.p95),
            rate(one),
            ms(eight and eight.median),
            ms(eight and eight.p95),
            rate(eight),
            queries,
            "—" if result.size is None else f"{result.size / 1000:,.0f}",
            "—" if result.floor is None else f"{result.floor * 1000:,.1f}",
            "—" if result.ratio is None else f"{result.ratio:,.0f}×",
            "met" if not missed else "not met: " + ", ".join(missed),
        ]
        lines.append(row(cells))
    return "\n".join(lines)


def header_rule(header: str) -> str:
    return "|" + " --- |" * (header.count("|") - 1)


def rate(timing: Timing | None) -> str:
    return "—" if timing is None or timing.per_second is None else f"{timing.per_second:,.1f}"


def row(cells: list[str]) -> str:
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"


def verdict(missed: list[str]) -> str:
    return "met" if not missed else "not met: " + ", ".join(missed)


def never_seen_table(classes: list[longtail.TailClass], results: list[Result]) -> str:
    """Each class of the long tail beside the warm requests of the same class."""
    header = (
        "| class | warm: requests | warm: p95 ms (c=1) | warm: p95 ms (c=8) | never seen: requests "
        "| median ms (c=1) | p95 ms (c=1) | p95 ms (c=8) | slowest | budget (never seen) |"
    )
    lines = [header, header_rule(header)]
    for tail in classes:
        warm = [result for result in results if result.scenario.group == tail.group]
        slowest = tail.slowest
        lines.append(
            row(
                [
                    tail.group,
                    str(len(warm)),
                    ms(worst(warm, 1)),
                    ms(worst(warm, 8)),
                    f"{len(tail.at_1)} + {len(tail.at_8)}",
                    ms(tail.median),
                    ms(tail.p95_at_1),
                    ms(tail.p95_at_8),
                    "—"
                    if slowest is None
                    else f"`{slowest[0].path}` {ms(slowest[0].latency)} ms (c={slowest[1]})",
                    verdict(tail.budgets()),
                ]
            )
        )
    return "\n".join(lines)


def worst(results: list[Result], concurrency: int) -> float | None:
    """The highest p95 of these warm requests at `concurrency`."""
    found = [
        result.timings[concurrency].p95
        for result in results
        if concurrency in result.timings and result.timings[concurrency].p95 is not None
    ]
    return max(found, default=None)


def edits_table(load: edits.EditedLoad) -> str:
    header = (
        f"| load | requests | req/s | median ms | p95 ms | p95 ms within "
        f"{edits.AFTER_EDIT:.0f} s after an edit | edits | failed |"
    )
    lines = [header, header_rule(header)]
    for name, part in (("without edits", load.without), ("with edits", load.with_edits)):
        lines.append(
            row(
                [
                    name,
                    str(len(part.requests)),
                    edits.rate(part.per_second),
                    ms(part.median),
                    ms(part.p95),
                    ms(part.p95_after_edits) if part.edits else "—",
                    str(len(part.edits)),
                    str(part.failures),
                ]
            )
        )
    kept = "—" if load.ratio is None else f"{load.ratio:.0%}"
    lines.append(
        f"\nThroughput kept with edits: {kept} (budget: at least "
        f"{edits.THROUGHPUT_KEPT:.0%}): {verdict(load.budgets())}."
    )
    return "\n".join(lines)


def csv_floor_table(floor: csv_floor.CsvFloor) -> str:
    header = "| what | seconds | MB |"
    ratio = "—" if floor.ratio is None else f"{floor.ratio:.1f}×"
    return "\n".join(
        [
            header,
            header_rule(header),
            row([f"the whole CSV, one download `{csv_floor.WHOLE_CSV}`", seconds(floor.whole),
                 megabytes(floor.whole_bytes)]),
            row(["its floor: `COPY (SELECT ...) TO STDOUT WITH CSV`", seconds(floor.floor),
                 megabytes(floor.floor_bytes)]),
            "",
            f"The CSV takes {ratio} its floor (budget: at most {csv_floor.WHOLE_CSV_RATIO}×): "
            f"{verdict(floor.budgets())}.",
        ]
    )  # fmt: skip


def seconds(value: float | None) -> str:
    return "—" if value is None else f"{value:,.2f}"


def megabytes(value: int | None) -> str:
    return "—" if value is None else f"{value / 1_000_000:,.1f}"


NOT_MEASURED = "Not measured in this run."


def report(
    results: list[Result],
    details: dict[str, str],
    never_seen: list[longtail.TailClass] | None = None,
    edited: edits.EditedLoad | None = None,
    floor: csv_floor.CsvFloor | None = None,
) -> str:
    met = sum(1 for result in results if not result.budgets())
    facts = "\n".join(f"- {name}: {value}" for name, value in details.items())
    budget_1 = ", ".join(
        f"{budget * 1000:.0f} ms ({group.split(' (')[0]})"
        for group, budget in longtail.P95_AT_1.items()
    )
    return f"""# Benchmarks

Written by `make bench` (`benchmarks/run.py`); rerun it to update this file.

{facts}

Latencies are measured through gunicorn (2 workers, DEBUG off, the figures cache in Redis shared
by both, as in production) over loopback.

## Requests nobody made before, beside the same kinds of request warm

A cached answer measures the cache; visitors mostly ask for what nobody asked for since the last
change. The long tail (`benchmarks/longtail.py`) draws, seeded so that every run asks the same,
distinct requests from the database's own values in four classes: list pages (organisations,
advocates, networks) with 1 to 3 filters, sometimes a word (now and then misspelt by one
letter) or a page as deep as lists go; the API's lists with the same filters; organisation,
advocate and network pages; search words (the search page, the lists' search, the API's). Each
request is asked once: a first set one after another, the cache emptied before each
(concurrency 1), then another set, never asked either, by eight callers at once on a cache
emptied when they start (concurrency 8). "never seen: requests" counts both sets; the median and
p95 at concurrency 1 are of the first, the p95 at 8 of the second; the slowest is of either.
"warm" shows, for the same class, the requests of the table of warm requests below (their
highest p95, measured on a warm cache). Budgets (issue 27, at 100,000 organisations on 2 cores,
for a request nobody made before on an empty cache): p95 at concurrency 1 under
{budget_1}; p95 at concurrency 8 under {longtail.P95_AT_8 * 1000:.0f} ms; every request
answered with 200.

{never_seen_table(never_seen, results) if never_seen is not None else NOT_MEASURED}

## Edits at a steady rate

A fixed mix of the warm requests' addresses (all but the CSVs), warmed, asked round by eight
callers for a while without edits, then as long again while the benchmark's own process edits
one organisation a second through the models' saves and signals, as an editor's save does: a
new name, one more focus area, another city of its country, organisations of one country after
another (every edit undone at the end, with its history entries). Requests per second count
the answered requests; the p95 within {edits.AFTER_EDIT:.0f} s after an edit is of the requests
that started that soon after one (with an edit a second, nearly all of them). Budget (issue
27): at least {edits.THROUGHPUT_KEPT:.0%} of the throughput without edits.

{edits_table(edited) if edited is not None else NOT_MEASURED}

## The whole directory's CSV against its floor

One download of the whole directory's CSV, against PostgreSQL writing the same rows and columns
itself (`COPY (SELECT ...) TO STDOUT WITH CSV`, the SQL in `benchmarks/csv_floor.py`, read
through psycopg2 into a sink that keeps nothing; the median of three). Budget (issue 27): the
CSV within {csv_floor.WHOLE_CSV_RATIO}× its floor.

{csv_floor_table(floor) if floor is not None else NOT_MEASURED}

## Warm requests

"Cold" is a request's first answer on an emptied cache: what the first visitor after a change
waits. Then, after a few unmeasured requests (each worker's first answer compiles its
templates), the median and p95 at concurrency 1 and 8 (the cache warm, as for every later
visitor until the next change), and requests per second at each. Queries are counted
in-process for the same request on an empty cache (API lists: at the default page size / at
`page_size=100`). The floor is the request's slowest query run again through the database
driver alone; the ratio is the median at concurrency 1 over that floor. Budgets (issue 15, at
100,000 organisations on 2 cores): every page and API list median under 50 ms and p95 under
100 ms at concurrency 1, p95 under 300 ms at concurrency 8; API lists within 3× their floor;
list pages under 150 KB; the same queries at two page sizes; the whole directory's CSV
(measured one download at a time) under {WHOLE_CSV_SECONDS} s. "no answer" is a request that did
not answer within {TIMEOUT} s.

Budgets met by {met} of {len(results)} requests.

{table(results)}
"""


# The run


def ensure_data(database_url: str, sizes: tuple[int, int, int], env: dict, log=print):
    """Creates, migrates and fills the benchmark database unless it holds organisations."""
    import psycopg2

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    server = psycopg2.connect(database_url.replace(parts.path, "/postgres"))
    server.autocommit = True
    with server.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            log(f"Creating the database {name}.")
            cursor.execute(f'CREATE DATABASE "{name}"')
    server.close()
    manage = [sys.executable, str(BASE_DIR / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], env=env, check=True)
    with psycopg2.connect(database_url) as database, database.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM orgs_organisation")
        empty = cursor.fetchone()[0] == 0
    database.close()
    if empty:
        organisations, advocates, networks = sizes
        log(f"Filling {name}: {organisations:,} organisations (a few minutes per 100,000).")
        subprocess.run([*manage, "load_fixtures", "-v", "0"], env=env, check=True)
        subprocess.run(
            [
                *manage,
                "generate_synthetic",
                "--organisations",
                str(organisations),
                "--advocates",
                str(advocates),
                "--networks",
                str(networks),
            ],
            env=env,
            check=True,
        )
        # Statistics as autovacuum would leave them once the bulk load settles.
        database = psycopg2.connect(database_url)
        database.autocommit = True  # VACUUM runs outside a transaction
        try:
            with database.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        finally:
            database.close()
    subprocess.run([*manage, "collectstatic", "--noinput", "-v", "0"], env=env, check=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(env: dict, port: int) -> subprocess.Popen:
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen(
        [
            str(gunicorn),
            "directory.wsgi",
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "30",
            "--log-level",
            "warning",
        ],  # fmt: skip
        cwd=BASE_DIR,
        env=env,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn stopped while starting")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("gunicorn did not start within 60 s")


def main() -> int:
    quick = os.environ.get("QUICK", "") not in ("", "0")
    database_url = os.environ.get(
        "BENCH_DATABASE_URL", QUICK_DATABASE_URL if quick else DATABASE_URL
    )
    default_sizes = SIZES["quick" if quick else "full"]
    names = ("ORGANISATIONS", "ADVOCATES", "NETWORKS")
    sizes = tuple(
        int(os.environ.get(f"BENCH_{name}", default))
        for name, default in zip(names, default_sizes, strict=True)
    )
    output = Path(os.environ.get("BENCH_OUTPUT", BASE_DIR / "docs" / "benchmarks.md"))
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CACHE_URL": os.environ.get("BENCH_CACHE_URL", CACHE_URL),
        "DEBUG": "0",
        "SECRET_KEY": "benchmark-only-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        "CONN_MAX_AGE": "60",
        "API_RATE_ANONYMOUS": "1000000/minute",
        "API_RATE_TOKEN": "1000000/minute",
        "SECURE_SSL_REDIRECT": "0",
        "DJANGO_SETTINGS_MODULE": "directory.settings",
    }
    ensure_data(database_url, sizes, env)
    os.environ.update(env)
    import django

    django.setup()
    try:
        empty_cache()
    except Exception as error:  # the cache backend's own connection errors
        sys.exit(f"make bench needs the cache at {env['CACHE_URL']} (BENCH_CACHE_URL): {error}")
    load_before, cpu_before = os.getloadavg(), cpu_times()
    details = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "data": data_size(),
        **machine(),
        "server": "gunicorn, 2 sync workers, DEBUG off, CONN_MAX_AGE 60, same machine",
        "cache": env["CACHE_URL"],
        "run": "quick (a smoke run: few requests, small data)" if quick else "full",
    }
    output.parent.mkdir(parents=True, exist_ok=True)

    measured: dict = {"results": []}

    def write(**parts):
        """The report so far: a run cut short still leaves what it measured."""
        measured.update(parts)
        now = os.getloadavg()
        load = " / ".join(", ".join(f"{x:.1f}" for x in loads) for loads in (load_before, now))
        if max(*load_before, *now) > (os.cpu_count() or 1):
            load += " (above the core count: other work shared the machine and slowed every figure)"
        steal = (
            f"{stolen(cpu_before, cpu_times())} (CPU time a virtual machine's host gave to "
            "other machines during the run: every figure is slower by about as much)"
        )
        facts = {**details, "load average (1, 5, 15 min) before / now": load, "steal": steal}
        output.write_text(
            report(
                measured["results"],
                facts,
                never_seen=measured.get("never_seen"),
                edited=measured.get("edited"),
                floor=measured.get("floor"),
            )
        )

    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    server = start_server(env, port)
    fetch = http_fetcher(base_url)
    try:
        chosen = scenarios()
        run_scenarios(
            fetch,
            chosen,
            count=4 if quick else 20,
            seconds=2 if quick else 8,
            done=lambda results: write(results=results),
        )
        write(never_seen=longtail.run(fetch, per_class=5 if quick else 100))
        mix = [scenario.path for scenario in chosen if scenario.kind != "csv"]
        write(edited=edits.run(fetch, mix, concurrency=8, seconds=3 if quick else 30))
        write(floor=csv_floor.measure(fetch, base_url))
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(output.read_text())
    print(f"Written to {output}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
