"""Every log line names its request; no password or key reaches a log or an error page."""

import re

import pytest
from django.test import Client

from tests.project.failing_urls import DATABASE_PASSWORD, DATABASE_URL

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.project.failing_urls")]

SECRET_KEY = "a-secret-key-that-must-never-be-shown-0123456789-abcdefghij"


@pytest.fixture
def secrets_in_place(monkeypatch, settings):
    monkeypatch.setenv("DATABASE_URL", DATABASE_URL)
    settings.SECRET_KEY = SECRET_KEY


@pytest.fixture
def visitor():
    """A browser's view: failures come back as pages, not as exceptions in the test."""
    return Client(raise_request_exception=False)


def test_every_response_names_its_request(client):
    first, second = client.get("/"), client.get("/")
    assert re.fullmatch(r"[0-9a-f]{32}", first["X-Request-ID"])
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_the_proxys_request_id_is_kept_and_a_strange_one_replaced(client):
    kept = client.get("/", headers={"X-Request-ID": "lb-1700000000-42"})
    assert kept["X-Request-ID"] == "lb-1700000000-42"
    odd = client.get("/", headers={"X-Request-ID": "x" * 65})
    assert re.fullmatch(r"[0-9a-f]{32}", odd["X-Request-ID"])


def test_log_lines_carry_the_request_id(client, log_output):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    lines = [line for line in log_output.getvalue().splitlines() if "Not Found" in line]
    assert lines and f"[{response['X-Request-ID']}]" in lines[0]


def test_a_server_error_is_logged_with_its_traceback_and_no_secret(
    visitor, log_output, secrets_in_place
):
    response = visitor.get("/fails/")
    assert response.status_code == 500
    log = log_output.getvalue()
    assert f"[{response['X-Request-ID']}] django.request: Internal Server Error: /fails/" in log
    assert "Traceback (most recent call last)" in log and "RuntimeError" in log
    assert "postgres://directory:********@db.internal:5432/directory" in log
    assert DATABASE_PASSWORD not in log


def test_the_500_page_is_the_sites_own_and_shows_no_traceback(visitor, secrets_in_place):
    page = visitor.get("/fails/").content.decode()
    assert "Something went wrong on our side" in page and "Migrant-led Europe" in page
    assert "Traceback" not in page and "RuntimeError" not in page
    assert DATABASE_PASSWORD not in page and "db.internal" not in page


def test_the_developers_error_page_masks_every_secret(visitor, secrets_in_place, settings):
    settings.DEBUG = True
    response = visitor.get("/fails/")
    page = response.content.decode()
    assert response.status_code == 500 and "RuntimeError" in page  # Django's technical page
    assert "password" in page  # the local variable is listed ...
    assert DATABASE_PASSWORD not in page  # ... with its value masked
    assert SECRET_KEY not in page
    text = visitor.get("/fails/", headers={"Accept": "text/plain"}).content.decode()
    assert "RuntimeError" in text and DATABASE_PASSWORD not in text


def test_an_unreachable_database_gives_the_friendly_503_page_without_a_query(
    visitor, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = visitor.get("/unreachable/")
    assert response.status_code == 503 and response["Retry-After"] == "30"
    page = response.content.decode()
    assert "The directory is back in a moment" in page and "Migrant-led Europe" in page
    assert "db.internal" not in page


def test_an_unreachable_database_gives_the_api_a_json_503(visitor):
    response = visitor.get("/api/v1/unreachable/")
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert response.json() == {
        "detail": "The database is unavailable. Please try again in a minute."
    }


def test_the_health_check_answers_ok_when_the_database_does(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok"
    assert "no-cache" in response["Cache-Control"]
