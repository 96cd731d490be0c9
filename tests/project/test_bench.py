"""`make bench` keeps working: its machinery runs on the test data, in-process, in seconds.

It asserts that every request answered and that the tables were written, not a speed."""

import csv
import io

import pytest
from django.db import connection
from django.test import Client

from benchmarks import csv_floor, edits, longtail, run
from benchmarks.fetching import client_fetcher
from orgs.api import csv_files
from orgs.models import Organisation


@pytest.mark.django_db
def test_the_benchmark_measures_every_request_and_writes_its_table(tmp_path):
    scenarios = run.scenarios()
    assert len(scenarios) == 18
    results = run.run_scenarios(
        client_fetcher(), scenarios, count=2, seconds=0.1, concurrency_levels=(1, 2),
        log=lambda line: None,
    )  # fmt: skip
    for result in results:
        assert not result.error, result.scenario.name
        assert result.status == 200 and result.size > 0
        assert result.cold > 0 and result.timings[1].median > 0
        assert list(result.timings) == list(result.scenario.concurrency or (1, 2))
        assert all(timing.p95 > 0 for timing in result.timings.values())
        assert result.queries > 0 and result.floor > 0 and result.main_sql
        assert all(timing.failures == 0 for timing in result.timings.values())
    api = next(result for result in results if result.scenario.name == "organisations API")
    assert api.queries_other_page_size == api.queries

    output = tmp_path / "benchmarks.md"
    output.write_text(run.report(results, {"date": "today", **run.machine()}))
    text = output.read_text()
    assert "| request | cold ms | median ms (c=1) |" in text
    assert text.count("\n| ") == len(scenarios) + 2  # the header, its rule, a row each
    assert text.count(run.NOT_MEASURED) == 3  # the long tail, the edits, the CSV floor
    assert "`/api/v1/organisations/?q=refugee`" in text


def timing(concurrency: int, *latencies: float, failures: int = 0) -> run.Timing:
    return run.Timing(concurrency, list(latencies), wall=sum(latencies), failures=failures)


def test_the_budgets_are_those_of_the_issue():
    fast = run.Result(
        run.Scenario("list", "/api/v1/organisations/", "api", "page_size=100"),
        size=20_000,
        timings={1: timing(1, 0.010, 0.012, 0.020), 8: timing(8, 0.050, 0.200)},
        queries=5,
        queries_other_page_size=5,
        floor=0.005,
    )
    assert fast.budgets() == []
    slow = run.Result(
        run.Scenario("page", "/organisations/", "page"),
        size=200_000,
        timings={1: timing(1, 0.060, 0.070, 0.150), 8: timing(8, 0.400, failures=3)},
        queries=5,
        queries_other_page_size=6,
    )
    assert slow.budgets() == [
        "median ≥ 50 ms", "p95 ≥ 100 ms", "p95 at 8 ≥ 300 ms", "3 failed or timed out at 8",
        "≥ 150 KB", "queries grow with page size",
    ]  # fmt: skip


def test_only_the_whole_directory_csv_has_a_time_budget():
    path = "/api/v1/organisations/?format=csv"
    whole = run.Scenario("CSV, all", path, "csv", concurrency=(1,))
    some = run.Scenario("CSV", f"{path}&country=DE", "csv")
    slow, fast = {1: timing(1, 25.0)}, {1: timing(1, 12.0)}
    assert run.Result(whole, timings=slow).budgets() == ["median ≥ 20 s"]
    assert run.Result(whole, timings=fast).budgets() == []
    assert run.Result(some, timings=slow).budgets() == []


def test_the_steal_is_the_hosts_share_of_the_cpu_time():
    before = [100, 0, 50, 800, 0, 0, 0, 50]  # user nice system idle iowait irq softirq steal
    after = [160, 0, 60, 900, 0, 0, 0, 90]  # 40 of 210 stolen
    assert run.stolen(before, after) == "19%"
    assert run.stolen([], after) == "unknown"


@pytest.mark.django_db
def test_the_long_tail_asks_distinct_requests_of_every_class_once():
    at_1, at_8 = longtail.requests(per_class=3)
    paths = [request.path for request in at_1 + at_8]
    assert len(paths) == len(set(paths)) == 24
    assert longtail.requests(per_class=3) == (at_1, at_8)  # seeded: the same each run
    for asked in (at_1, at_8):
        assert sorted({request.group for request in asked}) == sorted(longtail.CLASSES)
    assert any("page=" in path for path in paths + [r.path for r in longtail.requests(30)[0]])

    classes = longtail.run(client_fetcher(), per_class=2, log=lambda line: None)
    assert [tail.group for tail in classes] == list(longtail.CLASSES)
    for tail in classes:
        assert len(tail.at_1) == len(tail.at_8) == 2
        assert [r.status for r in tail.at_1 + tail.at_8] == [200] * 4, tail.failures
        assert tail.median > 0 and tail.p95_at_1 > 0 and tail.p95_at_8 > 0
        assert tail.slowest[0].latency == max(r.latency for r in tail.at_1 + tail.at_8)

    text = run.report([], {"date": "today"}, never_seen=classes)
    assert "| class | warm: requests |" in text
    for group in longtail.CLASSES:
        assert f"\n| {group} | 0 | — | — | 2 + 2 |" in text


def test_a_long_tail_class_meets_its_budget_at_both_concurrencies():
    def asked(*latencies, status=200):
        return [
            longtail.Asked(longtail.API_LISTS, f"/{n}", x, status) for n, x in enumerate(latencies)
        ]

    fast = longtail.TailClass(longtail.API_LISTS, asked(0.02, 0.09), asked(0.3, 0.39))
    assert fast.budgets() == []
    slow = longtail.TailClass(
        longtail.API_LISTS, asked(0.02, 0.1), asked(0.4) + asked(0.1, status=500)
    )
    assert slow.budgets() == ["p95 ≥ 100 ms", "p95 at 8 ≥ 400 ms", "1 failed (500)"]
    search = longtail.TailClass(longtail.SEARCH_WORDS, asked(0.15, 0.19), asked(0.3))
    assert search.budgets() == []
    assert longtail.TailClass(longtail.RECORD_PAGES).budgets() == ["no request"]


def names_and_places() -> list[tuple]:
    organisations = Organisation.objects.order_by("pk").prefetch_related("focus_areas", "cities")
    return [
        (o.pk, o.name, o.updated_at, sorted(f.pk for f in o.focus_areas.all()),
         sorted(c.pk for c in o.cities.all()))
        for o in organisations
    ]  # fmt: skip


@pytest.mark.django_db
def test_the_edit_loop_edits_every_second_under_load_and_undoes_its_edits():
    before = names_and_places()
    history = Organisation.history.count()
    paths = ["/organisations/", "/api/v1/organisations/?country=DE", "/advocates/"]
    if connection.vendor == "sqlite":
        # SQLite's shared in-memory database locks a table this test's transaction wrote for
        # every other connection: the callers ask for pages that read no record.
        paths = ["/privacy/", "/api/v1/"]
    result = edits.run(client_fetcher(), paths, concurrency=2, seconds=4, log=lambda line: None)

    assert len(result.with_edits.edits) == 3 and result.without.edits == []
    for load in (result.without, result.with_edits):
        assert load.requests and load.failures == 0
        assert load.per_second > 0 and load.p95 > 0
    assert result.ratio > 0
    assert names_and_places() == before
    assert Organisation.history.count() == history

    text = run.report([], {"date": "today"}, edited=result)
    assert "\n| without edits | " in text and "\n| with edits | " in text
    assert "Throughput kept with edits: " in text


@pytest.mark.django_db
def test_each_edit_changes_another_organisation_of_another_country():
    edit = edits.SteadyEdits()
    renamed, focused, moved = (Organisation.objects.get(pk=pk) for pk in edit.order[:3])
    countries = [set(o.countries.values_list("code", flat=True)) for o in (renamed, focused, moved)]
    assert countries[0] != countries[1] != countries[2]
    focus = set(focused.focus_areas.values_list("pk", flat=True))
    cities = set(moved.cities.values_list("pk", flat=True))
    before = names_and_places()

    edit(), edit(), edit()
    assert Organisation.objects.get(pk=renamed.pk).name == renamed.name + " (edited)"
    now = set(focused.focus_areas.values_list("pk", flat=True))
    assert len(now - focus) == 1 and focus < now
    now = set(moved.cities.values_list("pk", flat=True))
    assert len(now) == 1 and now != cities

    edit.undo()
    assert names_and_places() == before


def test_the_p95_after_edits_counts_the_requests_started_within_two_seconds_of_one():
    started = [(0.5, 0.9), (1.2, 0.3), (2.9, 0.2), (3.5, 0.7), (6.0, 5.0)]
    load = edits.Load(10.0, [(start, latency, True) for start, latency in started], [1.0, 2.0])
    assert load.p95_after_edits == 0.7  # of 0.3, 0.2 and 0.7: not the first nor the last
    assert load.p95 == 5.0
    assert edits.Load(10.0, load.requests).p95_after_edits is None  # no edit


def test_the_throughput_budget_is_four_fifths_of_the_load_without_edits():
    def load(requests: int, edits_made: int = 0) -> edits.Load:
        done = [(n * 0.01, 0.01, True) for n in range(requests)]
        return edits.Load(10.0, done, [float(n) for n in range(edits_made)])

    assert edits.EditedLoad(load(100), load(80, 9)).budgets() == []
    assert edits.EditedLoad(load(100), load(79, 9)).budgets() == ["throughput with edits < 80%"]
    assert edits.EditedLoad(load(100), load(100)).budgets() == ["no edit made"]


def test_the_whole_csv_budget_is_three_times_its_copy_floor():
    assert csv_floor.CsvFloor(10.0, 1, whole=30.0).budgets() == []
    assert csv_floor.CsvFloor(10.0, 1, whole=31.0).budgets() == ["over 3× its floor"]
    assert csv_floor.CsvFloor(10.0, 1, error="HTTP 500").budgets() == ["HTTP 500"]


def test_the_copy_floor_joins_lists_as_the_csv_does():
    assert csv_floor.SEPARATOR == csv_files.LIST_SEPARATOR


@pytest.mark.django_db
def test_the_copy_floor_writes_the_rows_and_columns_of_the_whole_csv():
    if connection.vendor != "postgresql":
        pytest.skip("COPY is PostgreSQL's")
    response = Client().get(csv_floor.WHOLE_CSV)
    assert response.status_code == 200
    real = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))

    sink = io.BytesIO()
    raw = csv_floor.own_connection()
    try:
        csv_floor.copy_organisations(raw, sink, "http://testserver", "Europe/Brussels")
    finally:
        raw.close()
    floor = list(csv.reader(io.StringIO(sink.getvalue().decode())))

    assert floor[0] == real[0]  # the header
    assert len(floor) == len(real) > 100
    assert [row[0] for row in floor] == [row[0] for row in real]  # the same ids, in order
    # Cell for cell (no cell of the test data starts as a formula would: see csv_floor).
    assert floor == real

    measured = csv_floor.measure(client_fetcher(), "http://testserver", runs=1)
    assert measured.floor > 0 and measured.floor_bytes > 0
    assert measured.whole > 0 and measured.whole_bytes > 0 and not measured.error
    text = run.report([], {"date": "today"}, floor=measured)
    assert "| the whole CSV, one download `/api/v1/organisations/?format=csv` |" in text
