"""The whole directory is loaded once per test session, through the same command `make run` uses."""

import io
import logging

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import translation
from django_tasks_db.models import DBTaskResult

from tests.factories import EditorFactory, TokenFactory, UserFactory, ViewerFactory

# Fixtures for the tests that start a production server.
pytest_plugins = ["tests.servers", "tests.smtp"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_fixtures", verbosity=0)
        # Loading queued a build of the open data (orgs.services.open_data): each test starts
        # with no task waiting, as the tests that run the worker count what it runs.
        DBTaskResult.objects.all().delete()


@pytest.fixture(autouse=True)
def generous_api_rates(settings):
    """Tests call the API far more often than a person would; the rate tests set their own."""
    settings.API_THROTTLE_RATES = {"anon": "100000/minute", "token": "100000/minute"}


@pytest.fixture(autouse=True)
def open_data_of_its_own(settings, tmp_path):
    """Each test builds and serves the open data (/data/) in a folder of its own, never the
    checkout's: none is built until a test builds it."""
    settings.OPEN_DATA_DIR = tmp_path / "open-data"


@pytest.fixture(autouse=True)
def each_test_starts_in_english():
    """A request to /fr/... leaves French active in the thread, and reverse() would then give
    /fr/ addresses to the next test: each test starts with the default language."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: a test's rows are rolled back without a signal, so
    figures cached from them must not be read by the next test."""
    from orgs import caching

    cache.clear()
    caching.forget_tokens()


@pytest.fixture
def assert_cold_and_warm(client, django_assert_num_queries):
    """Asserts the queries of a request on an empty cache, then of the same request again, when
    its figures (counts, facets, choices) come from the cache; returns the first response."""

    def check(url, cold: int, warm: int, params=None):
        cache.clear()
        with django_assert_num_queries(cold):
            response = client.get(url, params or {})
        with django_assert_num_queries(warm):
            client.get(url, params or {})
        return response

    return check


@pytest.fixture
def editor(db, client):
    """An account of the Editor group named "editor", signed in on `client`; returns the account."""
    user = EditorFactory(username="editor")
    client.force_login(user)
    return user


@pytest.fixture
def viewer(db, client):
    """An account of the Viewer group named "viewer", signed in on `client`; returns the account."""
    user = ViewerFactory(username="viewer")
    client.force_login(user)
    return user


@pytest.fixture
def token_holder(db):
    """A funder's active account named "funder", in no group and not signed in: it holds `token`."""
    return UserFactory(username="funder")


@pytest.fixture
def token(token_holder):
    """The API token of `token_holder`: a request sending it sees personal addresses."""
    return TokenFactory(user=token_holder)


@pytest.fixture
def log_output():
    """What the site's log handler (standard output) writes during the test."""
    handler = next(h for h in logging.getLogger().handlers if h.name == "stdout")
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)
