"""A mixed load while editors work: throughput and latency with an edit every second.

Every edit retires cached figures, so the requests after it pay for their queries again. The
load (a fixed mix of the warm scenarios' requests, by several callers at once) runs for a while
without edits, then as long again while this process edits one organisation a second, through
the models' own saves and the same signals as an editor's save in the admin: a new name, one
more focus area, another city of its country; different organisations in turn, from country to
country. Every edit is undone at the end, with the records' last-changed times and the history
entries it wrote, so that runs do not drift the data.
"""

import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import zip_longest

from benchmarks.fetching import FAILURES, Fetch, p95, timed

EDITS_EVERY = 1.0  # seconds
AFTER_EDIT = 2.0  # seconds: the requests counted as "after an edit"
THROUGHPUT_KEPT = 0.8  # budget: the share of the throughput kept with edits (issue 27)
REASON = "benchmark: steady edits (undone at the end)"
RENAMED = " (edited)"


@dataclass
class Load:
    """What the callers did: each request's start (seconds from the load's start), latency and
    success; and when each edit was made."""

    seconds: float
    requests: list[tuple[float, float, bool]] = field(default_factory=list)
    edits: list[float] = field(default_factory=list)

    @property
    def answered(self) -> list[tuple[float, float, bool]]:
        return [request for request in self.requests if request[2]]

    @property
    def failures(self) -> int:
        return len(self.requests) - len(self.answered)

    @property
    def per_second(self) -> float | None:
        return len(self.answered) / self.seconds if self.seconds else None

    @property
    def median(self) -> float | None:
        latencies = [latency for _, latency, _ in self.answered]
        return statistics.median(latencies) if latencies else None

    @property
    def p95(self) -> float | None:
        return p95([latency for _, latency, _ in self.answered])

    @property
    def p95_after_edits(self) -> float | None:
        """The p95 of the requests that started within AFTER_EDIT seconds after an edit."""
        return p95(
            [
                latency
                for start, latency, _ in self.answered
                if any(0 <= start - edit < AFTER_EDIT for edit in self.edits)
            ]
        )


def steady_load(
    fetch: Fetch, paths: list[str], concurrency: int, seconds: float, edit=None
) -> Load:
    """`concurrency` callers go round `paths` (each from its own place) for `seconds`; when
    `edit` is given, this thread calls it every EDITS_EVERY seconds meanwhile."""
    start = time.perf_counter()
    deadline = start + seconds
    load = Load(seconds)

    def caller(offset: int) -> list[tuple[float, float, bool]]:
        done, turn = [], offset
        while (began := time.perf_counter()) < deadline:
            try:
                latency, status, _ = timed(fetch, paths[turn % len(paths)])
                done.append((began - start, latency, status == 200))
            except FAILURES:
                done.append((began - start, time.perf_counter() - began, False))
            turn += 1
        return done

    with ThreadPoolExecutor(concurrency) as pool:
        callers = [pool.submit(caller, n * len(paths) // concurrency) for n in range(concurrency)]
        if edit is not None:
            tick = start + EDITS_EVERY
            while tick < deadline:
                time.sleep(max(0.0, tick - time.perf_counter()))
                edit()
                load.edits.append(time.perf_counter() - start)
                tick += EDITS_EVERY
        for done in callers:
            load.requests += done.result()
    load.seconds = time.perf_counter() - start
    return load


class SteadyEdits:
    """One edit per call, each to another organisation, countries in turn; `undo` reverts them
    all. Synthetic organisations are edited when there are any."""

    def __init__(self, size: int = 500):
        from orgs.models import Organisation

        published = Organisation.objects.published().filter(countries__isnull=False)
        if published.filter(slug__startswith="synthetic-").exists():
            published = published.filter(slug__startswith="synthetic-")
        by_country: dict[str, list[int]] = {}
        for pk, country in published.order_by("pk").values_list("pk", "countries")[: size * 4]:
            by_country.setdefault(country, []).append(pk)
        # The countries in turn: the first organisation of each, then the second of each, ...
        rounds = zip_longest(*(pks for _, pks in sorted(by_country.items())))
        self.order = list(dict.fromkeys(pk for pks in rounds for pk in pks if pk))[:size]
        self.made: list[tuple[int, object]] = []  # (organisation, how to undo)
        self.changed_at: dict[int, object] = {}  # each edited organisation's updated_at before

    def __call__(self):
        from django.db import transaction

        from orgs.models import Organisation
        from orgs.services.history import recorded

        pk = self.order[len(self.made) % len(self.order)]
        kinds = (self.rename, self.add_focus, self.move_city)
        with transaction.atomic(), recorded(None, REASON):
            organisation = Organisation.objects.get(pk=pk)
            self.changed_at.setdefault(pk, organisation.updated_at)
            undo = kinds[len(self.made) % len(kinds)](organisation)
        self.made.append((pk, undo))

    @staticmethod
    def rename(organisation):
        organisation.name += RENAMED
        organisation.save()

        def undo(record):
            record.name = record.name.removesuffix(RENAMED)
            record.save()

        return undo

    @staticmethod
    def add_focus(organisation):
        from orgs.models import FocusArea

        other = FocusArea.objects.exclude(organisations=organisation).order_by("slug").first()
        if other is None:
            return lambda record: None
        organisation.focus_areas.add(other)
        return lambda record: record.focus_areas.remove(other)

    @staticmethod
    def move_city(organisation):
        from orgs.models import City

        before = list(organisation.cities.all())
        countries = organisation.countries.values_list("code", flat=True)
        others = City.objects.exclude(pk__in=[city.pk for city in before]).order_by("slug")
        # Another city of its country, or of anywhere when its country has no other.
        other = others.filter(country__in=list(countries)).first() or others.first()
        if other is None:
            return lambda record: None
        organisation.cities.set([other])
        return lambda record: record.cities.set(before)

    def undo(self):
        """Reverts every edit, latest first, then the last-changed times and the history."""
        from django.db import transaction

        from orgs import caching
        from orgs.models import Organisation
        from orgs.services.history import recorded

        with transaction.atomic(), recorded(None, REASON):
            for pk, undo in reversed(self.made):
                undo(Organisation.objects.get(pk=pk))
            for pk, updated_at in self.changed_at.items():
                Organisation.objects.filter(pk=pk).update(updated_at=updated_at)
            Organisation.history.filter(history_change_reason=REASON).delete()
            caching.changed()  # the bulk writes above send no signals
        self.made, self.changed_at = [], {}


@dataclass
class EditedLoad:
    without: Load
    with_edits: Load

    @property
    def ratio(self) -> float | None:
        before, after = self.without.per_second, self.with_edits.per_second
        return after / before if before and after is not None else None

    def budgets(self) -> list[str]:
        missed = []
        if self.ratio is None or self.ratio < THROUGHPUT_KEPT:
            missed.append(f"throughput with edits < {THROUGHPUT_KEPT:.0%}")
        failures = self.without.failures + self.with_edits.failures
        if failures:
            missed.append(f"{failures} failed")
        if not self.with_edits.edits:
            missed.append("no edit made")
        return missed


def run(fetch: Fetch, paths: list[str], concurrency: int, seconds: float, log=print) -> EditedLoad:
    """The mix, warmed, without edits and then with an edit a second (undone at the end)."""
    for path in paths:  # warm: every request once, so that the first load measures no cold one
        try:
            timed(fetch, path)
        except FAILURES:
            pass
    without = steady_load(fetch, paths, concurrency, seconds)
    edit = SteadyEdits()
    try:
        with_edits = steady_load(fetch, paths, concurrency, seconds, edit=edit)
    finally:
        edit.undo()
    result = EditedLoad(without, with_edits)
    log(
        f"Edits: {rate(without.per_second)} requests/s without, "
        f"{rate(with_edits.per_second)} with {len(with_edits.edits)} edits."
    )
    return result


def rate(value: float | None) -> str:
    return "—" if value is None else f"{value:,.1f}"
