"""The API's OpenAPI schema: committed, current, and what the API really answers."""

from pathlib import Path

import pytest
import schemathesis
from django.conf import settings
from django.core import signals
from django.core.management import call_command
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as examples

from directory.wsgi import application

OPENAPI = Path(settings.BASE_DIR) / "docs" / "openapi.yaml"

schema = schemathesis.openapi.from_path(OPENAPI)
schema.app = application


@pytest.mark.django_db
def test_the_committed_schema_is_what_the_code_generates(tmp_path):
    generated = tmp_path / "openapi.yaml"
    call_command("spectacular", "--file", str(generated), "--validate", "--fail-on-warn")
    assert generated.read_text(encoding="utf-8") == OPENAPI.read_text(encoding="utf-8"), (
        "docs/openapi.yaml is out of date: run make schema"
    )


@pytest.mark.django_db
def test_the_docs_serve_the_schema_without_any_other_site(client):
    assert client.get("/api/schema/").status_code == 200
    page = client.get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in page
    assert "cdn" not in page.lower()


@pytest.fixture
def wsgi_calls_share_the_test_transaction():
    """Requests made through the WSGI app must not close the test's database connection."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@examples(
    max_examples=15,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_answers_as_its_schema_says(case, wsgi_calls_share_the_test_transaction):
    """No 5xx, and every status, content type and body as documented. Values of the filters
    that name records (countries, cities, terms, reports, networks) are data, not enums in
    the schema: an unknown one is the documented 400, so "any string is accepted" is not
    checked."""
    case.call_and_validate(excluded_checks=[schemathesis.checks.positive_data_acceptance])
