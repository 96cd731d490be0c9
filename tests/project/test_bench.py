"""`make bench` keeps working: its machinery runs on the test data, in-process, in seconds.

It asserts that every request answered and that the table was written, not a speed."""

import pytest

from benchmarks import run


@pytest.mark.django_db
def test_the_benchmark_measures_every_request_and_writes_its_table(tmp_path):
    scenarios = run.scenarios()
    assert len(scenarios) == 18
    results = run.run_scenarios(
        run.client_fetcher(), scenarios, count=2, seconds=0.1, concurrency_levels=(1, 2),
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
