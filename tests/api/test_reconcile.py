"""The reconciliation service (`/api/reconcile/`): every answer valid against the Reconciliation
Service API 0.2's own JSON schemas, the reports' names matched, cross-origin, and bad input a
400 that says why."""

import json
from functools import cache

import pytest
from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from orgs.models import FormerOrganisationSlug, Organisation
from tests.outside_files import required

pytestmark = pytest.mark.django_db

SERVICE = "/api/reconcile/"
AYAD = "organisations/afghan-youth-association-in-denmark"
ECRE = "organisations/european-council-on-refugees-and-exiles"
ZOUHAIR = "advocates/zouhair-el-hairan"


@cache
def registry() -> Registry:
    """The specification's schemas by their `$id`s, so that `type.json` resolves offline."""
    folder = required("STANDARDS_DIR", "reconciliation-0.2")
    resources = []
    for path in sorted(folder.glob("*.json")):
        contents = json.loads(path.read_text("utf-8"))
        if "$id" in contents:
            resource = Resource.from_contents(contents, default_specification=DRAFT7)
            resources.append((contents["$id"], resource))
    return Registry().with_resources(resources)


def valid(name: str, body: dict) -> dict:
    folder = required("STANDARDS_DIR", "reconciliation-0.2")
    schema = json.loads((folder / f"{name}.json").read_text("utf-8"))
    Draft7Validator(schema, registry=registry()).validate(body)
    return body


def reconcile(client, queries: dict, method: str = "post"):
    send = client.post if method == "post" else client.get
    return send(SERVICE, {"queries": json.dumps(queries)})


def test_the_manifest_is_valid_and_points_at_our_pages(client):
    manifest = valid("manifest", client.get(SERVICE).json())
    assert manifest["versions"] == ["0.2"]
    assert manifest["identifierSpace"] == "http://testserver/"
    assert manifest["view"] == {"url": "http://testserver/{{id}}/"}
    assert manifest["preview"] == {
        "url": "http://testserver/api/reconcile/preview/?id={{id}}",
        "width": 400,
        "height": 160,
    }
    assert [kind["id"] for kind in manifest["defaultTypes"]] == [
        "organisation",
        "advocate",
        "network",
    ]
    assert manifest["suggest"]["entity"] == {
        "service_url": "http://testserver",
        "service_path": "/api/reconcile/suggest/entity/",
    }
    assert manifest["extend"]["propose_properties"]["service_path"] == (
        "/api/reconcile/properties/"
    )


def test_a_candidate_id_is_its_page_which_opens(client):
    body = reconcile(client, {"q0": {"query": "Afghan Youth Association in Denmark"}}).json()
    first = body["q0"]["result"][0]
    assert first["id"] == AYAD
    assert client.get(f"/{first['id']}/").status_code == 200


def test_a_batch_by_post_gives_valid_results_for_the_reports_names(client):
    queries = {
        "exact": {"query": "Afghan Youth Association in Denmark", "type": "organisation"},
        "alias": {"query": "AYAD", "type": "organisation"},
        "accents": {"query": "Reseau des Exiles en France", "type": "organisation"},
        "typo": {"query": "Afgan Youth Asociation in Denmark", "type": "organisation"},
        "unknown": {"query": "Refugee Council of Nowhere", "type": "organisation"},
        "advocate": {"query": "Zouhair El Hairan", "type": "advocate"},
    }
    body = valid("reconciliation-result-batch", reconcile(client, queries).json())
    best = {key: answer["result"][0] for key, answer in body.items() if answer["result"]}
    assert {key: (found["id"], found["match"]) for key, found in best.items()} == {
        "exact": (AYAD, True),
        "alias": (AYAD, True),
        "accents": ("organisations/reseau-des-exiles-en-france", True),
        "typo": (AYAD, True),
        "unknown": (best["unknown"]["id"], False),
        "advocate": (ZOUHAIR, True),
    }
    assert best["exact"]["type"] == [{"id": "organisation", "name": "Organisation"}]
    assert best["exact"]["description"] == "Denmark · Viby Sjælland · Refugee-led"
    assert best["advocate"]["type"] == [{"id": "advocate", "name": "Advocate"}]


def test_a_query_by_get_answers_as_by_post(client):
    queries = {"q0": {"query": "AYAD"}}
    assert reconcile(client, queries, "get").json() == reconcile(client, queries).json()


def test_a_query_without_a_type_finds_every_kind_and_names_each_candidates_type(client):
    body = reconcile(client, {"q0": {"query": "Zouhair El Hairan"}}).json()
    valid("reconciliation-result-batch", body)
    assert body["q0"]["result"][0]["id"] == ZOUHAIR
    assert all(candidate["type"] for candidate in body["q0"]["result"])


def test_a_city_in_german_raises_the_score(client):
    name = {"query": "Koelner Fluechtlingsrat", "type": "organisation"}
    with_city = {**name, "properties": [{"pid": "city", "v": "Köln"}]}
    body = reconcile(client, {"a": name, "b": with_city}).json()
    valid("reconciliation-result-batch", body)
    alone, placed = body["a"]["result"][0], body["b"]["result"][0]
    assert alone["id"] == placed["id"] == "organisations/koelner-fluechtlingsrat"
    assert placed["score"] == alone["score"] + 5


def test_the_limit_bounds_the_candidates(client):
    body = reconcile(client, {"q0": {"query": "Refugee", "limit": 2}}).json()
    assert len(body["q0"]["result"]) == 2


def test_a_batch_costs_four_queries_a_name_of_one_type(client, django_assert_num_queries):
    queries = {
        f"q{number}": {"query": name, "type": "organisation"}
        for number, name in enumerate(["AYAD", "ECRE", "Caritasverband"])
    }
    with django_assert_num_queries(12):
        response = reconcile(client, queries)
    assert response.status_code == 200


def test_extension_properties_are_proposed_per_type(client):
    organisation = valid("data-extension-property-proposal", client.get(
        "/api/reconcile/properties/", {"type": "organisation"}).json())  # fmt: skip
    advocate = client.get("/api/reconcile/properties/", {"type": "advocate"}).json()
    valid("data-extension-property-proposal", advocate)
    assert [item["id"] for item in organisation["properties"]] == [
        "country",
        "city",
        "leadership",
        "focus_areas",
        "website",
        "source_report",
        "confirmed_on",
    ]
    assert [item["id"] for item in advocate["properties"]] == [
        "country",
        "city",
        "focus_areas",
        "source_report",
        "confirmed_on",
    ]


def extend(client, ids: list[str], properties: list[str]):
    asked = {"ids": ids, "properties": [{"id": pid} for pid in properties]}
    return client.post(SERVICE, {"extend": json.dumps(asked)})


def test_data_extension_adds_our_columns(client, django_assert_num_queries):
    properties = ["country", "city", "leadership", "website", "source_report", "confirmed_on"]
    with django_assert_num_queries(6):
        response = extend(client, [ECRE, AYAD, "organisations/no-such-record"], properties)
    body = valid("data-extension-response", response.json())
    assert [item["id"] for item in body["meta"]] == properties
    assert body["rows"][ECRE]["country"] == [{"str": "Belgium"}]
    assert body["rows"][ECRE]["city"] == [{"str": "Brussels"}]
    assert body["rows"][ECRE]["website"] == [{"str": "https://www.ecre.org/"}]
    assert body["rows"][AYAD]["leadership"] == [{"str": "Refugee-led"}]
    assert body["rows"]["organisations/no-such-record"] == dict.fromkeys(properties, [])


def test_a_confirmed_date_is_extended_as_a_date(client):
    Organisation.objects.filter(slug=AYAD.partition("/")[2]).update(confirmed_on="2026-03-01")
    body = valid("data-extension-response", extend(client, [AYAD], ["confirmed_on"]).json())
    assert body["rows"][AYAD]["confirmed_on"] == [{"date": "2026-03-01T00:00:00Z"}]


def test_an_old_slug_still_extends_its_record(client):
    record = Organisation.objects.get(slug=AYAD.partition("/")[2])
    FormerOrganisationSlug.objects.create(organisation=record, slug="ayad-old")
    body = extend(client, ["organisations/ayad-old"], ["country"]).json()
    assert body["rows"]["organisations/ayad-old"]["country"] == [{"str": "Denmark"}]


def test_an_advocates_extension_and_preview_never_show_their_email(client):
    properties = ["country", "city", "leadership", "focus_areas", "website", "source_report"]
    response = extend(client, [ZOUHAIR], properties)
    valid("data-extension-response", response.json())
    preview = client.get("/api/reconcile/preview/", {"id": ZOUHAIR})
    assert preview.status_code == 200
    for page in (response, preview):
        assert b"zeo.zeh" not in page.content
    assert response.json()["rows"][ZOUHAIR]["website"] == []
    assert response.json()["rows"][ZOUHAIR]["leadership"] == []


def test_suggest_entity_completes_names_with_a_cursor(client, django_assert_num_queries):
    with django_assert_num_queries(2):
        first = client.get(
            "/api/reconcile/suggest/entity/", {"prefix": "caritasv", "type": "organisation"}
        ).json()
    valid("suggest-entities-response", first)
    assert [item["id"] for item in first["result"]] == [
        "organisations/caritasverband-fur-das-bistum-magdeburg-ev",
        "organisations/caritasverband-fur-das-dekanat-halberstadt",
    ]
    asked = {"prefix": "caritasv", "type": "organisation", "cursor": 1}
    later = client.get("/api/reconcile/suggest/entity/", asked).json()
    assert [item["id"] for item in later["result"]] == [first["result"][1]["id"]]


def test_suggest_type_and_property_complete_their_prefix(client):
    types = valid("suggest-types-response", client.get(
        "/api/reconcile/suggest/type/", {"prefix": "adv"}).json())  # fmt: skip
    properties = valid("suggest-properties-response", client.get(
        "/api/reconcile/suggest/property/", {"prefix": "c"}).json())  # fmt: skip
    assert types["result"] == [{"id": "advocate", "name": "Advocate"}]
    assert [item["id"] for item in properties["result"]] == ["country", "city", "confirmed_on"]


def test_the_preview_is_a_card_any_page_may_frame(client):
    response = client.get("/api/reconcile/preview/", {"id": ECRE})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert b"European Council on Refugees and Exiles" in response.content
    assert "X-Frame-Options" not in response
    assert "frame-ancestors *" in response["Content-Security-Policy"]
    assert "<script" not in response.content.decode()


def test_the_preview_of_no_record_is_a_404(client):
    for value in ("organisations/no-such-record", "planets/earth", ""):
        assert client.get("/api/reconcile/preview/", {"id": value}).status_code == 404


@pytest.mark.parametrize(
    "path,params,method",
    [
        (SERVICE, {}, "get"),
        (SERVICE, {"queries": json.dumps({"q0": {"query": "AYAD"}})}, "post"),
        (SERVICE, {"extend": json.dumps({"ids": [AYAD], "properties": []})}, "post"),
        ("/api/reconcile/properties/", {"type": "network"}, "get"),
        ("/api/reconcile/suggest/entity/", {"prefix": "ayad"}, "get"),
        ("/api/reconcile/suggest/type/", {"prefix": "o"}, "get"),
        ("/api/reconcile/suggest/property/", {"prefix": "c"}, "get"),
        ("/api/reconcile/preview/", {"id": AYAD}, "get"),
        (SERVICE, {"queries": "{"}, "post"),
    ],
)
def test_every_endpoint_answers_any_origin(client, path, params, method):
    send = client.post if method == "post" else client.get
    response = send(path, params, HTTP_ORIGIN="https://sheets.example.org")
    assert response["Access-Control-Allow-Origin"] == "*"


TOO_MANY = {f"q{number}": {"query": "x"} for number in range(101)}
NOT_A_BATCH = 'Give a JSON object of queries, such as {"q0": {"query": "a name"}}.'


@pytest.mark.parametrize(
    "queries,parameter,reason",
    [
        ("{", "queries", "Not JSON: give a JSON object."),
        ("[1]", "queries", NOT_A_BATCH),
        ("{}", "queries", NOT_A_BATCH),
        ('"AYAD"', "queries", NOT_A_BATCH),
        (json.dumps(TOO_MANY), "queries", "At most 100 queries a request (got 101)."),
        ('{"q0": 3}', "queries.q0", "Each query is a JSON object."),
        ('{"q0": {"query": 3}}', "queries.q0.query", "Give the name as a string."),
        ('{"q0": {"query": "a", "limit": 0}}', "queries.q0.limit",
         "Give a whole number from 1 to 25 (got 0)."),
        ('{"q0": {"query": "a", "limit": 1000}}', "queries.q0.limit",
         "Give a whole number from 1 to 25 (got 1000)."),
        ('{"q0": {"query": "a", "limit": "5"}}', "queries.q0.limit",
         "Give a whole number from 1 to 25."),
        ('{"q0": {"query": "a", "limit": 1e999}}', "queries.q0.limit",
         "Give a whole number from 1 to 25."),
        ('{"q0": {"query": "a", "type": "planet"}}', "queries.q0.type",
         "Unknown type 'planet'. Types: organisation, advocate, network."),
        ('{"q0": {"query": "a", "type": [1]}}', "queries.q0.type",
         "Give a type, or a list of types, as strings."),
        ('{"q0": {"query": "a", "colour": "red"}}', "queries.q0",
         "Unknown key(s): colour. A query takes: limit, properties, query, type, type_strict."),
        ('{"q0": {"query": "a", "properties": [{"pid": "founded", "v": "1990"}]}}',
         "queries.q0.properties",
         "Unknown property 'founded'. Properties: country, city, website."),
        ('{"q0": {"query": "a", "properties": [{"pid": "city"}]}}', "queries.q0.properties",
         "Each property is an object with `pid` and `v`."),
        ('{"q0": {"query": "a", "properties": [{"pid": "city", "v": {"x": 1}}]}}',
         "queries.q0.properties", "Give city's value as a string, or a list of them."),
        (json.dumps({"q0": {"query": "a" * 301}}), "queries.q0.query",
         "At most 300 characters (got 301)."),
        ("[" * 100000 + "]" * 100000, "queries", "Not JSON: give a JSON object."),
        ('{"q0": {"query": "a", "limit": 1' + "0" * 400 + "}}", "queries.q0.limit",
         "Give a whole number from 1 to 25 (got 10000000000000000000)."),
        ('{"q0": {"query": "a", "properties": [{"pid": ["city"], "v": "Athens"}]}}',
         "queries.q0.properties", "Unknown property ['city']. Properties: country, city, website."),
    ],
)  # fmt: skip
def test_bad_queries_are_a_400_that_says_why(client, queries, parameter, reason):
    response = client.post(SERVICE, {"queries": queries})
    assert response.status_code == 400
    assert response.json() == {parameter: [reason]}


@pytest.mark.parametrize(
    "path,params,parameter,reason",
    [
        (SERVICE, {"extend": "{"}, "extend", "Not JSON: give a JSON object."),
        (SERVICE, {"extend": '{"ids": []}'}, "extend",
         'Give a JSON object such as {"ids": [...], "properties": [...]}.'),
        (SERVICE, {"extend": '{"ids": "x", "properties": []}'}, "extend.ids",
         "Give the ids as a list of strings."),
        (SERVICE, {"extend": json.dumps({"ids": ["x"] * 101, "properties": []})}, "extend.ids",
         "At most 100 ids a request (got 101)."),
        (SERVICE, {"extend": '{"ids": [], "properties": [{"id": "email"}]}'},
         "extend.properties", "Unknown property 'email'. Properties: country, city, leadership, "
         "focus_areas, website, source_report, confirmed_on."),
        (SERVICE, {"extend": '{"ids": [], "properties": ["country"]}'}, "extend.properties",
         "Give the properties as a list of objects with an `id`."),
        ("/api/reconcile/properties/", {"type": "planet"}, "type",
         "Unknown type 'planet'. Types: organisation, advocate, network."),
        ("/api/reconcile/properties/", {"limit": "x"}, "limit",
         "Give a whole number from 1 to 25 (got 'x')."),
        ("/api/reconcile/suggest/entity/", {}, "prefix", "Give the beginning of a name."),
        ("/api/reconcile/suggest/entity/", {"prefix": "a", "cursor": "-1"}, "cursor",
         "Give a whole number from 0 to 100 (got '-1')."),
        ("/api/reconcile/suggest/entity/", {"prefix": "a", "cursor": "101"}, "cursor",
         "Give a whole number from 0 to 100 (got '101')."),
        ("/api/reconcile/suggest/property/", {"prefix": "a", "type": "x"}, "type",
         "Unknown type 'x'. Types: organisation, advocate, network."),
    ],
)  # fmt: skip
def test_bad_requests_are_a_400_that_says_why(client, path, params, parameter, reason):
    send = client.post if "extend" in params else client.get
    response = send(path, params)
    assert response.status_code == 400
    assert response.json() == {parameter: [reason]}
