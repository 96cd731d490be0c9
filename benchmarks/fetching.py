"""How the benchmark asks for a page: through the network (the server under test) or through
Django's test client (the benchmark's own test), timed, and the figures cache it empties."""

import threading
import time
from collections.abc import Callable
from http.client import HTTPException
from urllib.error import HTTPError, URLError
from urllib.request import Request, urlopen

# What a request may fail with: refused, timed out, or cut off (a worker killed mid-answer).
FAILURES = (URLError, OSError, HTTPException)
TIMEOUT = 35  # seconds: past gunicorn's 30 s worker timeout

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
    """GET through Django's test client, in-process (for the test of the benchmark)."""
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


def empty_cache():
    """Empties the figures cache, the server's too: it is shared (Redis), or in this process."""
    from django.core.cache import cache

    cache.clear()


def p95(values: list[float]) -> float | None:
    """The 95th percentile, the nearest of the values (None for none)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
