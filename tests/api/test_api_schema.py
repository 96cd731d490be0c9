"""The API's OpenAPI schema: committed, current, and what the API really answers."""

import re
from pathlib import Path

import pytest
import schemathesis
from django.conf import settings
from django.core import signals
from django.core.management import call_command
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck
from hypothesis import settings as examples
from rest_framework.settings import api_settings
from schemathesis.config import SchemathesisConfig

from directory.wsgi import application
from orgs.selectors.filters import (
    AdvocateFilterSet,
    ChoicesFilter,
    ConfirmedFilter,
    NetworkFilterSet,
    OrganisationFilterSet,
    SortFilter,
    TermFilter,
)

OPENAPI = Path(settings.BASE_DIR) / "docs" / "openapi.yaml"

# Checked as `schemathesis run` checks it, with the repository's schemathesis.toml (the
# expected statuses, with 414 for an address too long).
schema = schemathesis.openapi.from_path(
    OPENAPI, config=SchemathesisConfig.from_path(Path(settings.BASE_DIR) / "schemathesis.toml")
)
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


# What each operation accepts: its view's FilterSet (the web page's), with the pages and the
# formats, as the README and the HSDS specification name them. Path parameters aside.
PAGES = {"page", "page_size"}
FORMAT = {"format"}
OPERATIONS = {
    "root_retrieve": (None, set()),
    "organisations_list": (OrganisationFilterSet, FORMAT | PAGES),
    "organisations_retrieve": (None, FORMAT),
    "organisations_similar_list": (None, FORMAT | {"other_countries"}),
    "v1_stats_organisations": (OrganisationFilterSet, FORMAT | {"group_by"}),
    "advocates_list": (AdvocateFilterSet, FORMAT | PAGES),
    "advocates_retrieve": (None, FORMAT),
    "networks_list": (NetworkFilterSet, FORMAT | PAGES),
    "networks_retrieve": (None, FORMAT),
    "surveys_list": (None, FORMAT | PAGES),
    "surveys_retrieve": (None, FORMAT),
    "surveys_responses_list": (None, FORMAT | PAGES),
    "surveys_figures_list": (None, FORMAT | PAGES),
    **{
        f"{terms}_{action}": (None, FORMAT | PAGES if action == "list" else FORMAT)
        for terms in ["sources", "focus_areas", "target_groups", "levels", "network_types"]
        + ["countries"]
        for action in ["list", "retrieve"]
    },
    "hsds_organizations_list": (None, {"page", "per_page"}),
    "hsds_organizations_retrieve": (None, set()),
}


def accepted(operation_id: str) -> set[str]:
    filterset, others = OPERATIONS[operation_id]
    return others | (set(filterset.base_filters) if filterset else set())


@pytest.fixture(scope="module")
def generated(django_db_blocker):
    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


@pytest.fixture(scope="module")
def operations(generated):
    """Each GET operation of the generated schema by its id, with its path."""
    return {
        methods["get"]["operationId"]: {**methods["get"], "path": path}
        for path, methods in generated["paths"].items()
    }


def query_parameters(operation) -> dict:
    return {p["name"]: p for p in operation.get("parameters", []) if p["in"] == "query"}


def documented_values(parameter) -> set | None:
    schema = parameter["schema"]
    values = schema.get("enum", schema.get("items", {}).get("enum"))
    return None if values is None else set(values)


def test_every_operation_of_the_schema_is_checked_for_its_parameters(operations):
    assert set(operations) == set(OPERATIONS)


@pytest.mark.parametrize("operation_id", OPERATIONS)
def test_the_schema_lists_exactly_the_parameters_each_operation_accepts(operations, operation_id):
    documented = set(query_parameters(operations[operation_id]))
    assert documented == accepted(operation_id), (
        f"undocumented: {sorted(accepted(operation_id) - documented)}; "
        f"documented but not accepted: {sorted(documented - accepted(operation_id))}"
    )


def expected_values(operation_id: str, name: str) -> set | None:
    """The values a parameter takes, where they are a closed set; None for data (the terms,
    countries and cities are records, listed by their own collections) and free values."""
    filterset, _ = OPERATIONS[operation_id]
    if filterset and name in filterset.base_filters:
        filter_ = filterset.base_filters[name]
        if isinstance(filter_, TermFilter):
            return None
        if isinstance(filter_, ChoicesFilter | SortFilter | ConfirmedFilter):
            return {value for value, _ in filter_.extra["choices"]}
        return None
    if name == "format":
        return {renderer.format for renderer in api_settings.DEFAULT_RENDERER_CLASSES}
    if name == "group_by":  # any filter with a closed set of values
        filters = OrganisationFilterSet.base_filters.items()
        return {name for name, filter_ in filters if isinstance(filter_, ChoicesFilter)}
    if name == "other_countries":
        return {"1"}
    return None


@pytest.mark.parametrize("operation_id", OPERATIONS)
def test_each_parameter_documents_the_values_it_takes(operations, operation_id):
    for name, parameter in query_parameters(operations[operation_id]).items():
        assert documented_values(parameter) == expected_values(operation_id, name), name


def probe_path(path: str) -> str:
    # The unknown parameters are refused before any record is looked up: any value will do.
    return re.sub(r"\{[^}]+\}", "x", path)


@pytest.mark.django_db
@pytest.mark.parametrize("operation_id", OPERATIONS)
def test_the_api_accepts_every_documented_parameter_and_no_other(client, operations, operation_id):
    """One request with every documented parameter (a documented value where there are some)
    and one undocumented: only the undocumented one is unknown to the API."""
    operation = operations[operation_id]
    params = {
        name: sorted(documented_values(parameter) or {"1"})[0]
        for name, parameter in query_parameters(operation).items()
    }
    response = client.get(probe_path(operation["path"]), {**params, "undocumented": "1"})
    assert response.status_code == 400
    unknown = {
        name
        for name, reasons in response.json().items()
        if any("Unknown parameter" in reason for reason in reasons)
    }
    assert unknown == {"undocumented"}


@pytest.mark.django_db
def test_the_counts_take_every_documented_group(client, operations):
    parameter = query_parameters(operations["v1_stats_organisations"])["group_by"]
    for group in documented_values(parameter):
        response = client.get("/api/v1/stats/organisations/", {"group_by": group})
        assert response.status_code == 200, group
        assert response.json()["group_by"] == group


@pytest.mark.parametrize("component", ["Advocate", "Network"])
def test_the_schema_documents_personal_email_as_optional_and_possibly_null(generated, component):
    """Token holders get it, null when no address is known; anonymous callers never get it."""
    schema = generated["components"]["schemas"][component]
    assert schema["properties"]["personal_email"]["nullable"] is True
    assert "personal_email" not in schema["required"]


def test_every_query_parameter_is_documented_never_empty(operations):
    """The API refuses an empty value of any parameter (`country=`, `sort=`)."""
    for operation_id, operation in operations.items():
        for name, parameter in query_parameters(operation).items():
            schema = parameter["schema"]
            if schema["type"] == "array":
                assert schema["minItems"] == 1, (operation_id, name)
                schema = schema["items"]
            if schema["type"] == "string" and "enum" not in schema:
                assert schema["minLength"] == 1, (operation_id, name)


def test_every_operation_documents_the_414_of_a_long_address(operations):
    for operation_id, operation in operations.items():
        assert "414" in operation["responses"], operation_id


# Every list without a record in its path, and the counts, open as CSV from the docs.
CSV_LINKS = {
    "organisations_list": "/api/v1/organisations/?format=csv",
    "advocates_list": "/api/v1/advocates/?format=csv",
    "networks_list": "/api/v1/networks/?format=csv",
    "surveys_list": "/api/v1/surveys/?format=csv",
    "sources_list": "/api/v1/sources/?format=csv",
    "focus_areas_list": "/api/v1/focus-areas/?format=csv",
    "target_groups_list": "/api/v1/target-groups/?format=csv",
    "levels_list": "/api/v1/levels/?format=csv",
    "network_types_list": "/api/v1/network-types/?format=csv",
    "countries_list": "/api/v1/countries/?format=csv",
    "v1_stats_organisations": "/api/v1/stats/organisations/?group_by=country&format=csv",
}


def markdown_links(text: str) -> list[str]:
    """The addresses of the links in a Markdown text whose words are the address itself."""
    links = re.findall(r"\[([^]]+)\]\(([^)]+)\)", text)
    return [target for words, target in links if words == target]


def test_each_list_links_to_itself_as_csv_in_its_description(operations):
    linked = {
        operation_id: markdown_links(operation.get("description", ""))
        for operation_id, operation in operations.items()
    }
    assert {operation_id: links for operation_id, links in linked.items() if links} == {
        operation_id: [link] for operation_id, link in CSV_LINKS.items()
    }


def test_the_api_description_links_every_list_as_csv_and_says_why(generated):
    description = generated["info"]["description"]
    assert sorted(markdown_links(description)) == sorted(CSV_LINKS.values())
    assert "byte-order mark" in description and "Download file" in description


@pytest.mark.django_db
@pytest.mark.parametrize("link", CSV_LINKS.values())
def test_a_csv_link_answers_csv_that_starts_with_the_byte_order_mark(client, link):
    response = client.get(link)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body.startswith(b"\xef\xbb\xbf")
    assert len(body.decode("utf-8-sig").splitlines()) > 1  # a header and rows


@pytest.fixture
def wsgi_calls_share_the_test_transaction():
    """Requests made through the WSGI app must not close the test's database connection."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


# What the API refuses, rightly, though no schema can say it (each parameter's description does):
# a filter's value naming no record (countries, cities, terms, reports, networks are data, listed
# by their own collections, not enums), and a search without the words the search reads
# (letters and digits by Unicode's rules, which JSON Schema's patterns do not share).
RECORD_KEYS = {
    name
    for filterset in (OrganisationFilterSet, AdvocateFilterSet, NetworkFilterSet)
    for name, filter_ in filterset.base_filters.items()
    if isinstance(filter_, TermFilter)
}
UNSTATABLE = {
    **dict.fromkeys(RECORD_KEYS, ["is not one of the available choices"]),
    "q": ["Type at least one letter or digit", "Search for at most", "Null characters"],
}


def refused_for_what_no_schema_says(response) -> bool:
    """Whether the answer is a 400 for such values (UNSTATABLE), and for nothing else."""
    if response.status_code != 400:
        return False
    reasons = response.json()
    return all(
        any(known in reason for known in UNSTATABLE.get(name, []))
        for name in reasons
        for reason in reasons[name]
    )


def call_and_validate(case, headers=None):
    """Every check of schemathesis on the answer, in positive and negative modes. Only "any
    schema-valid request is accepted" is left out, and only for an answer refusing values no
    schema can describe (UNSTATABLE); any other refusal of a valid request fails."""
    response = case.call(headers=headers)
    excluded = []
    if refused_for_what_no_schema_says(response):
        excluded = [schemathesis.checks.positive_data_acceptance]
    case.validate_response(
        response,
        headers=headers,
        excluded_checks=excluded,
        transport_kwargs={"headers": dict(headers)} if headers else None,
    )


EXAMPLES = examples(
    max_examples=10,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


@pytest.mark.django_db
@schema.parametrize()
@EXAMPLES
def test_the_api_answers_anonymous_callers_as_its_schema_says(
    case, wsgi_calls_share_the_test_transaction
):
    """No 5xx, and every status, content type, header and body as documented."""
    call_and_validate(case)


# A token changes what advocates and networks answer (their personal addresses), nothing else.
WITH_PERSONAL_ADDRESSES = schema.include(tag=["advocates", "networks"])


@pytest.mark.django_db
@WITH_PERSONAL_ADDRESSES.parametrize()
@EXAMPLES
def test_the_api_answers_token_holders_as_its_schema_says(
    case, token, wsgi_calls_share_the_test_transaction
):
    """The same with a funder's token: advocates and networks carry personal addresses (or
    null)."""
    call_and_validate(case, headers={"Authorization": f"Token {token.key}"})
