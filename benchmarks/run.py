"""`make bench`: how fast the directory answers at scale, measured through the production server.

Against a PostgreSQL database of synthetic records (BENCH_DATABASE_URL; filled on first use with
the real records plus `generate_synthetic`), it starts gunicorn (2 workers, DEBUG off, the figures
cache in Redis as in production: BENCH_CACHE_URL) on a loopback port and, for each request of
`scenarios()`, measures the first request on an empty cache, then the median and p95 latency at
concurrency 1 and 8, requests per second and bytes. In-process, through Django's test client,
it counts the queries of the same request (at two page sizes for API lists), captures its
slowest query and reruns that SQL through the database driver alone: the floor every latency is
compared with. The table goes to docs/benchmarks.md with the machine, the date, the data size
and the budgets of issue 15, met or not.

`make bench QUICK=1` is a smoke run: a small database of its own and a few requests each.
"""

import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.client import HTTPException
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit
from urllib.request import Request, urlopen

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
DATABASE_URL = "postgres://postgres@127.0.0.1:5432/directory_bench"
QUICK_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/directory_bench_quick"
CACHE_URL = "redis://127.0.0.1:6379/12"  # shared by the server's workers and this script
SIZES = {"full": (100_000, 300_000, 5_000), "quick": (500, 1_500, 50)}
CONCURRENCY = (1, 8)
WORKERS = 2  # gunicorn's, as on a 2-core machine
# What a request may fail with: refused, timed out, or cut off (a worker killed mid-answer).
FAILURES = (URLError, OSError, HTTPException)
TIMEOUT = 35  # seconds: past gunicorn's 30 s worker timeout

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
        if not self.latencies:
            return None
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]

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


Fetch = Callable[[str], tuple[int, int]]


def http_fetcher(base_url: str) -> Fetch:
    """GET through the network, the body read to its end: (status, bytes)."""

    def fetch(path: str) -> tuple[int, int]:
        request = Request(base_url + path, headers={"X-Forwarded-Proto": "https"})
        try:
            with urlopen(request, timeout=TIMEOUT) as response:
                size = 0
                while chunk := response.read(65536):
                    size += len(chunk)
                return response.status, size
        except HTTPError as error:
            return error.code, len(error.read())

    return fetch


def client_fetcher() -> Fetch:
    """GET through Django's test client, in-process (for the test of this script)."""
    from django.db import connections
    from django.test import Client

    def fetch(path: str) -> tuple[int, int]:
        try:
            response = Client().get(path)
            if response.streaming:
                size = sum(len(chunk) for chunk in response.streaming_content)
            else:
                size = len(response.content)
            return response.status_code, size
        finally:
            if threading.current_thread() is not threading.main_thread():
                connections.close_all()  # a caller thread's own connection

    return fetch


def timed(fetch: Fetch, path: str) -> tuple[float, int, int]:
    start = time.perf_counter()
    status, size = fetch(path)
    return time.perf_counter() - start, status, size


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


def empty_cache():
    """Empties the figures cache, the server's too: it is shared (Redis), or in this process."""
    from django.core.cache import cache

    cache.clear()


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
    return [
        Scenario("home", "/", "page"),
        Scenario("organisations", "/organisations/", "page"),
        Scenario("organisations API", api, "api", "page_size=100"),
        Scenario("3 filters", f"/organisations/?{three}", "page"),
        Scenario("3 filters API", f"{api}?{three}", "api", "page_size=100"),
        Scenario("common keyword", "/organisations/?q=refugee", "page"),
        Scenario("common keyword API", f"{api}?q=refugee", "api", "page_size=100"),
        Scenario("rare keyword", f"/organisations/?q={quote(rare)}", "page"),
        Scenario("rare keyword API", f"{api}?q={quote(rare)}", "api", "page_size=100"),
        Scenario("deep page", f"/organisations/?page={deep}", "page"),
        Scenario("deep page API", f"{api}?page={deep_api}", "api"),
        Scenario("organisation page", f"/organisations/{slug}/", "page"),
        Scenario("like-minded API", f"{api}{slug}/similar/", "endpoint"),
        Scenario("advocates", "/advocates/", "page"),
        Scenario("advocates API", "/api/v1/advocates/", "api", "page_size=100"),
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
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(lines)


def header_rule(header: str) -> str:
    return "|" + " --- |" * (header.count("|") - 1)


def rate(timing: Timing | None) -> str:
    return "—" if timing is None or timing.per_second is None else f"{timing.per_second:,.1f}"


def report(results: list[Result], details: dict[str, str]) -> str:
    met = sum(1 for result in results if not result.budgets())
    facts = "\n".join(f"- {name}: {value}" for name, value in details.items())
    return f"""# Benchmarks

Written by `make bench` (`benchmarks/run.py`); rerun it to update this file.

{facts}

Latencies are measured through gunicorn (2 workers, DEBUG off, the figures cache in Redis shared
by both, as in production) over loopback. "Cold" is a request's first answer on an emptied
cache: what the first visitor after a change waits. Then, after a few unmeasured requests
(each worker's first answer compiles its templates), the median and p95 at concurrency 1 and 8
(the cache warm, as for every later visitor until the next change), and requests per second
at each. Queries are counted in-process for the same request on an empty cache (API
lists: at the default page size / at `page_size=100`). The floor is the request's slowest query
run again through the database driver alone; the ratio is the median at concurrency 1 over that
floor. Budgets (issue 15, at 100,000 organisations on 2 cores): every page and API list median
under 50 ms and p95 under 100 ms at concurrency 1, p95 under 300 ms at concurrency 8; API lists
within 3× their floor; list pages under 150 KB; the same queries at two page sizes; the whole
directory's CSV (measured one download at a time) under {WHOLE_CSV_SECONDS} s. "no answer" is a
request that did not answer within {TIMEOUT} s.

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

    def write(results: list[Result]):
        """The report so far: a run cut short still leaves what it measured."""
        now = os.getloadavg()
        load = " / ".join(", ".join(f"{x:.1f}" for x in loads) for loads in (load_before, now))
        if max(*load_before, *now) > (os.cpu_count() or 1):
            load += " (above the core count: other work shared the machine and slowed every figure)"
        steal = (
            f"{stolen(cpu_before, cpu_times())} (CPU time a virtual machine's host gave to "
            "other machines during the run: every figure is slower by about as much)"
        )
        facts = {**details, "load average (1, 5, 15 min) before / now": load, "steal": steal}
        output.write_text(report(results, facts))

    port = free_port()
    server = start_server(env, port)
    try:
        run_scenarios(
            http_fetcher(f"http://127.0.0.1:{port}"),
            scenarios(),
            count=4 if quick else 20,
            seconds=2 if quick else 8,
            done=write,
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(output.read_text())
    print(f"Written to {output}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
