"""A figure missing from the cache is computed once, however many requests miss it together.

The first computes it under a short lock; the others wait for it, and never get the value it
had before a change; a failed computation leaves no lock behind, and nobody releases a lock
another holds. Real threads, on the tests' cache (one process's memory) and on Redis, as
several servers share it.
"""

import threading
import time

import pytest
from django.core.cache import cache, caches

from orgs import caching
from tests.servers import redis_is_running

THREADS = 8
# How long the first computation takes, unless let go: long enough for every thread to miss.
HELD = 0.5


class Figure:
    """A figure whose computation counts its runs, and takes `held` seconds unless let go."""

    def __init__(self, value="fresh", held=HELD):
        self.held = held
        self.value, self.runs, self.lock = value, 0, threading.Lock()
        self.let_go = threading.Event()

    def __call__(self):
        with self.lock:
            self.runs += 1
        self.let_go.wait(self.held)
        return self.value


def missed_together(figure, depends=("organisation:all",)) -> list:
    """What each of THREADS threads got, asking for the figure at the same moment."""
    start = threading.Barrier(THREADS)
    results = [None] * THREADS
    answered = []

    def ask(number):
        start.wait()
        results[number] = caching.cached("test-figure", ("x",), figure, depends)
        caches["default"].close()
        answered.append(number)
        if len(answered) == THREADS - 1:
            figure.let_go.set()  # all but the one computing it have their answer

    threads = [threading.Thread(target=ask, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_concurrent_misses_compute_once():
    figure = Figure()
    assert missed_together(figure) == ["fresh"] * THREADS
    assert figure.runs == 1


def test_after_a_change_everybody_waits_for_the_new_value_none_gets_the_old():
    caching.cached("test-figure", ("x",), lambda: "before", ("organisation:all",))
    caching.retire(["organisation:all"])
    figure = Figure("after")
    assert missed_together(figure) == ["after"] * THREADS
    assert figure.runs == 1


def test_a_lock_is_released_by_its_holder_alone(monkeypatch):
    """A request that waited too long computes the figure itself, but leaves the lock of the
    one still computing it: else every later miss would compute it too."""
    monkeypatch.setattr(caching, "WAIT_SECONDS", 0.05)
    monkeypatch.setattr(caching, "POLL_SECONDS", (0.01, 0.01))
    key = caching.key_of("test-figure", ("x",), ("organisation:all",))
    cache.set(f"{key}:computing", "another process", caching.LOCK_SECONDS)
    assert caching.cached("test-figure", ("x",), lambda: "fresh", ("organisation:all",)) == "fresh"
    assert cache.get(f"{key}:computing") == "another process"


def test_a_failed_computation_leaves_no_lock(monkeypatch):
    monkeypatch.setattr(caching, "WAIT_SECONDS", 30)

    def fails():
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        caching.cached("test-figure", ("x",), fails, ("organisation:all",))
    began = time.monotonic()
    assert caching.cached("test-figure", ("x",), lambda: "fresh", ("organisation:all",)) == "fresh"
    assert time.monotonic() - began < 5  # computed at once, not after waiting for a lock


def test_a_waiting_request_computes_itself_when_the_holder_takes_too_long(monkeypatch):
    monkeypatch.setattr(caching, "WAIT_SECONDS", 0.05)
    monkeypatch.setattr(caching, "POLL_SECONDS", (0.01, 0.01))
    figure = Figure()
    results = missed_together(figure)
    assert results == ["fresh"] * THREADS
    assert 1 < figure.runs <= THREADS  # served, if late: never an error


@pytest.mark.skipif(not redis_is_running(), reason="no Redis on 127.0.0.1:6379")
def test_with_redis_concurrent_misses_compute_once(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
        }
    }
    cache.clear()
    caching.forget_tokens()
    try:
        figure = Figure()
        assert missed_together(figure) == ["fresh"] * THREADS
        assert figure.runs == 1
        caching.retire(["organisation:all"])
        again = Figure("after")
        assert missed_together(again) == ["after"] * THREADS
        assert again.runs == 1
    finally:
        cache.clear()
