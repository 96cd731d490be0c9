"""The workers of one server share what they must, with the default settings (no CACHE_URL).

gunicorn with two workers, as `make serve` runs it: a session ended on one worker is refused
by the other, an import previewed on one is confirmed on the other, and an edit on one retires
the figures the other had cached. Each request's worker is read from the access log (its
`request_id` and `worker`); requests from other threads at the same time make both workers
answer the test's own. The server runs on a copy of the test database, which it changes.
"""

import csv
import io
import json
import re
import secrets
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections

from orgs.services.records_import.reading import COLUMNS, COUNTRY
from tests.servers import Answer, Browser, copy_of_test_database, database_url, gunicorn

pytestmark = [
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="the server runs on a copy of the test database on PostgreSQL",
    ),
    # The test database is made and loaded for the session, then copied for the server.
    pytest.mark.django_db,
]

EDITOR = "server-editor"
PASSWORD = secrets.token_urlsafe(16)
ADMIN = "/" + settings.ADMIN_PATH
IMPORT = ADMIN + "orgs/organisation/import/"
# A list of few organisations, whose count an edit changes.
COUNTRY_LIST = "/api/v1/organisations/?country=CZ&page_size=1"


class Workers:
    """Which worker answered each request, from the server's access log."""

    def __init__(self, log: Path):
        self.log = log

    def of(self, answers: list[Answer]) -> list[str]:
        wanted = {answer.request_id for answer in answers}
        pattern = re.compile(r"request_id=(\w+) worker=<(\d+)>")
        for _ in range(50):  # a line is written once its response is sent
            found = dict(pattern.findall(self.log.read_text()))
            if wanted <= found.keys():
                return [found[answer.request_id] for answer in answers]
            time.sleep(0.1)
        pytest.fail(f"requests missing from the access log: {wanted - found.keys()}")


@contextmanager
def other_visitors(base: str) -> Iterator[None]:
    """Requests from other threads, so that either worker may be busy when the test asks."""
    stop = threading.Event()

    def visit():
        visitor = Browser(base)
        while not stop.is_set():
            visitor.get("/healthz")

    threads = [threading.Thread(target=visit, daemon=True) for _ in range(2)]
    for thread in threads:
        thread.start()
    try:
        yield
    finally:
        stop.set()
        for thread in threads:
            thread.join()


def many(browser: Browser, path: str, times: int = 60) -> list[Answer]:
    """The same request, four at a time, as several tabs would send it."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(lambda _: browser.get(path), range(times)))


@pytest.fixture(scope="module")
def own_database(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[str]:
    """A copy of the loaded test database, with an editor who signs in with PASSWORD."""
    with django_db_blocker.unblock():
        connections.close_all()  # a database is copied only while nobody uses it
    with copy_of_test_database("workers", EDITOR, PASSWORD, tmp_path_factory) as name:
        yield name


@pytest.fixture(scope="module")
def server(own_database, collected_static, tmp_path_factory) -> Iterator[tuple[str, Workers]]:
    env = {
        "DATABASE_URL": database_url(own_database),
        "STATIC_ROOT": str(collected_static),
        "WEB_CONCURRENCY": "2",
    }
    with gunicorn(env, tmp_path_factory.mktemp("server")) as (base, log):
        yield base, Workers(log)


def test_a_session_ended_on_one_worker_is_refused_by_every_worker(server):
    base, workers = server
    editor = Browser(base)
    editor.sign_in(EDITOR, PASSWORD)
    signed_in = many(editor, ADMIN)
    assert {answer.status for answer in signed_in} == {200}
    assert len(set(workers.of(signed_in))) == 2  # each worker has read the session

    old_cookie = dict(editor.cookies)
    assert editor.post(ADMIN + "logout/", {}).status == 200
    thief = Browser(base)
    thief.cookies = old_cookie
    refused = many(thief, ADMIN, times=110)
    assert [answer.status for answer in refused] == [302] * 110
    assert {answer.headers["Location"] for answer in refused} == {f"{ADMIN}login/?next={ADMIN}"}
    assert len(set(workers.of(refused))) == 2


def one_organisation(name: str, country: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([*COLUMNS, COUNTRY])
    writer.writerow(["", "", name, "Association, Migrant-led", "", "Local", "", "", country])
    return out.getvalue().encode()


def preview_and_confirm(editor: Browser, name: str, country: str) -> tuple[Answer, Answer]:
    key = f"workers-{uuid.uuid4().hex[:12]}"
    preview = editor.post(
        IMPORT,
        {
            "new_source_key": key,
            "new_source_title": "Organisations a test imported",
            "new_source_short_title": "A test's import",
            "new_source_year": "2026",
        },
        files={"file": (f"{key}.csv", one_organisation(name, country))},
    )
    assert preview.status == 200 and "Confirm import" in preview.body, preview.body
    confirmed = editor.post(IMPORT + "confirm/", {})
    return preview, confirmed


def test_an_import_previewed_on_one_worker_is_confirmed_on_the_other(server):
    base, workers = server
    editor = Browser(base)
    editor.sign_in(EDITOR, PASSWORD)
    assert len(set(workers.of(many(editor, ADMIN)))) == 2  # each worker has read the session

    crossed = 0
    with other_visitors(base):
        for number in range(1, 21):
            preview, confirmed = preview_and_confirm(editor, f"Cross-worker group {number}", "MT")
            # To the list, not back to the upload form with "There is no previewed file".
            assert (confirmed.status, confirmed.headers["Location"]) == (
                302,
                ADMIN + "orgs/organisation/",
            ), number
            previewed_by, confirmed_by = workers.of([preview, confirmed])
            crossed += previewed_by != confirmed_by
            if crossed == 3:
                break
    assert crossed == 3, "the confirmations never reached the other worker"


def count_on_each_worker(base: str, workers: Workers) -> dict[str, set[int]]:
    # Fewer than the anonymous rate of the API in a minute (60), twice.
    answers = many(Browser(base), COUNTRY_LIST, times=24)
    assert {answer.status for answer in answers} == {200}, answers[0].body
    counts: dict[str, set[int]] = {}
    for answer, worker in zip(answers, workers.of(answers), strict=True):
        count = json.loads(answer.body)["count"]
        counts.setdefault(worker, set()).add(count)
    assert len(counts) == 2, counts  # both workers answered, from their figures cache
    return counts


def test_an_edit_on_one_worker_retires_the_figures_every_worker_cached(server):
    base, workers = server
    before = count_on_each_worker(base, workers)
    (count,) = set.union(*before.values())
    listed = json.loads(Browser(base).get(COUNTRY_LIST).body)["results"][0]["id"]

    editor = Browser(base)
    editor.sign_in(EDITOR, PASSWORD)
    # One request, so one worker: the action hides the organisation.
    hidden = editor.post(
        ADMIN + "orgs/organisation/", {"action": "hide", "_selected_action": listed, "index": 0}
    )
    assert hidden.status == 302

    after = count_on_each_worker(base, workers)
    assert after == {worker: {count - 1} for worker in before}
