"""The API's contract as committed examples: one request each, its whole answer in a file.

Each example in `EXAMPLES` requests one endpoint of the API and compares its status code and
its whole JSON body with `tests/api/responses/<name>.json`, failing with a unified diff of the
pretty-printed JSON. A field renamed, added or dropped, a value that changes form, an error
that answers differently: the diff shows it, and the change to the contract is reviewed as a
change to the files.

To write the files again from the current code (after a change that is meant):

    UPDATE_API_RESPONSES=1 DEBUG=1 .venv/bin/pytest -q -p no:cacheprovider \
        tests/api/test_api_contract.py

then read `git diff tests/api/responses/` before committing it. Without the variable, a
missing file is a failure, and so is a file no example writes.

Values that would change from run to run are made fixed, not ignored: the loader stamps each
organisation's, advocate's and network's `updated_at` with the time of loading, so every test
here first sets them to `FIXED_TIME` (inside the test's transaction, rolled back after it).
That fixes the `updated_at` of the records and HSDS's `metadata[].last_action_date`, which is
its date. Every other value is what the reports and the vocabularies give: ids follow the
order of loading, and HSDS ids are uuid5 of the slugs. The files are the same on SQLite and
PostgreSQL. As a guard, a response holding any other date-and-time fails.
"""

import datetime
import difflib
import json
import os
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.core.cache import cache

pytestmark = pytest.mark.django_db

RESPONSES = Path(__file__).parent / "responses"
UPDATE = os.environ.get("UPDATE_API_RESPONSES") == "1"

# What the records' `updated_at` is set to, and how the files show it (in the directory's time
# zone, Europe/Brussels).
FIXED_TIME = datetime.datetime(2001, 2, 3, 4, 5, 6, tzinfo=datetime.UTC)
FIXED_TIME_SHOWN = "2001-02-03T05:05:06+01:00"
STAMPED_MODELS = ["orgs.Organisation", "orgs.Advocate", "orgs.Network"]

# The examples: file name -> (request, whether the caller sends a token).
ANONYMOUS, WITH_TOKEN = False, True
EXAMPLES = {
    "root": ("/api/v1/", ANONYMOUS),
    # Organisations: a page, a record, its like-minded ones, a filtered list.
    "organisations-list": ("/api/v1/organisations/?page_size=2", ANONYMOUS),
    "organisations-detail": ("/api/v1/organisations/syrbanism/", ANONYMOUS),
    "organisations-list-filtered": (
        "/api/v1/organisations/?country=GR&leadership=migrant-led&page_size=2",
        ANONYMOUS,
    ),
    "organisations-similar": ("/api/v1/organisations/syrbanism/similar/", ANONYMOUS),
    # Advocates: a token holder also gets `personal_email` (EPIM line 622 gives his).
    "advocates-list": ("/api/v1/advocates/?page_size=2", ANONYMOUS),
    "advocates-detail": ("/api/v1/advocates/edwar-hanna/", ANONYMOUS),
    "advocates-detail-with-token": ("/api/v1/advocates/edwar-hanna/", WITH_TOKEN),
    "networks-list": ("/api/v1/networks/?page_size=2", ANONYMOUS),
    "networks-detail": ("/api/v1/networks/newcomers-network-harz/", ANONYMOUS),
    "surveys-list": ("/api/v1/surveys/", ANONYMOUS),
    "surveys-detail": ("/api/v1/surveys/epim-2019-mapping/", ANONYMOUS),
    "surveys-responses": ("/api/v1/surveys/epim-2019-mapping/responses/?page_size=2", ANONYMOUS),
    "surveys-figures": ("/api/v1/surveys/epim-2019-mapping/figures/?page_size=2", ANONYMOUS),
    # The vocabularies: short lists, one page each.
    "sources-list": ("/api/v1/sources/", ANONYMOUS),
    "focus-areas-list": ("/api/v1/focus-areas/", ANONYMOUS),
    "target-groups-list": ("/api/v1/target-groups/", ANONYMOUS),
    "levels-list": ("/api/v1/levels/", ANONYMOUS),
    "network-types-list": ("/api/v1/network-types/", ANONYMOUS),
    "countries-list": ("/api/v1/countries/?page_size=3", ANONYMOUS),
    "countries-detail": ("/api/v1/countries/gr/", ANONYMOUS),
    "stats-organisations": ("/api/v1/stats/organisations/?group_by=leadership", ANONYMOUS),
    "stats-organisations-filtered": (
        "/api/v1/stats/organisations/?group_by=focus&country=GR",
        ANONYMOUS,
    ),
    # Open Referral HSDS 3.0.
    "hsds-organizations": ("/api/hsds/organizations/?per_page=2", ANONYMOUS),
    "hsds-organization": (
        "/api/hsds/organizations/e4570804-3ea5-54e8-b974-33efc3f5fb05/",
        ANONYMOUS,
    ),
    # Errors.
    "error-unknown-filter-value": ("/api/v1/organisations/?country=XX", ANONYMOUS),
    "error-unknown-parameter": ("/api/v1/organisations/?colour=blue", ANONYMOUS),
    "error-page-size-too-large": ("/api/v1/organisations/?page_size=101", ANONYMOUS),
    "error-page-not-a-number": ("/api/v1/organisations/?page=last", ANONYMOUS),
    # (A page past the first 2,000 records answers 400, "too deep": no list is that long.)
    "error-no-such-page": ("/api/v1/organisations/?page_size=10&page=25", ANONYMOUS),
    "error-no-such-page-filtered": (
        "/api/v1/organisations/?country=GR&leadership=migrant-led&page=2",
        ANONYMOUS,
    ),
    "error-unknown-organisation": ("/api/v1/organisations/no-such-organisation/", ANONYMOUS),
    "error-unknown-advocate": ("/api/v1/advocates/no-such-advocate/", ANONYMOUS),
    "error-unknown-country": ("/api/v1/countries/zz/", ANONYMOUS),
    "error-wrong-token": ("/api/v1/advocates/edwar-hanna/", "not-a-token"),
    "error-stats-without-group": ("/api/v1/stats/organisations/", ANONYMOUS),
    "error-hsds-no-such-page": ("/api/hsds/organizations/?page=9999", ANONYMOUS),
    "error-hsds-not-an-id": ("/api/hsds/organizations/not-a-uuid/", ANONYMOUS),
}

# A date and time in a JSON string: only FIXED_TIME_SHOWN may appear.
DATE_AND_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d[^\"]*")


@pytest.fixture(autouse=True)
def fixed_update_times(db):
    for label in STAMPED_MODELS:
        apps.get_model(label).objects.update(updated_at=FIXED_TIME)
    cache.clear()  # the latest change of each list is cached


def authorization(request, token):
    if token is ANONYMOUS:
        return {}
    if token is WITH_TOKEN:
        return {"HTTP_AUTHORIZATION": f"Token {request.getfixturevalue('token').key}"}
    return {"HTTP_AUTHORIZATION": f"Token {token}"}


def pretty(data) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def as_example(url: str, token, response) -> dict:
    assert response["Content-Type"] == "application/json", url
    return {
        "request": f"GET {url}",
        "token": {ANONYMOUS: "none", WITH_TOKEN: "a funder's token"}.get(token, token),
        "status_code": response.status_code,
        "body": response.json(),
    }


@pytest.mark.parametrize("name", EXAMPLES)
def test_the_response_is_the_committed_example(client, request, name):
    url, token = EXAMPLES[name]
    response = client.get(url, **authorization(request, token))
    text = pretty(as_example(url, token, response))
    times = sorted(set(DATE_AND_TIME.findall(text)) - {FIXED_TIME_SHOWN})
    assert not times, f"{name}: a date and time that changes from run to run: {times}"
    path = RESPONSES / f"{name}.json"
    if UPDATE:
        path.write_text(text, encoding="utf-8")
        return
    if not path.exists():
        pytest.fail(f"{path} is missing: write it with UPDATE_API_RESPONSES=1 (see the docstring)")
    expected = path.read_text(encoding="utf-8")
    if text != expected:
        diff = difflib.unified_diff(
            expected.splitlines(keepends=True),
            text.splitlines(keepends=True),
            f"committed {path.name}",
            f"the API now ({url})",
        )
        pytest.fail(
            "The API's answer differs from its committed example (UPDATE_API_RESPONSES=1 "
            "writes it again, if the change is meant):\n" + "".join(diff),
            pytrace=False,
        )


def test_every_committed_file_is_an_example():
    files = {path.stem for path in RESPONSES.glob("*.json")}
    assert sorted(files - set(EXAMPLES)) == []


def test_every_collection_and_count_of_the_root_has_an_example(client):
    root = client.get("/api/v1/").json()
    links = [*root["collections"].values(), *root["stats"].values()]
    requested = {url.split("?")[0] for url, _ in EXAMPLES.values()}
    assert [link for link in links if link.removeprefix("http://testserver") not in requested] == []
