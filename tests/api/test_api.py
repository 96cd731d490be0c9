"""The API's contract, asserted from the outside: status, body, headers."""

import pytest

from orgs.selectors.filters import OrganisationFilterSet

pytestmark = pytest.mark.django_db

API = "/api/v1/"


def get(client, path, **params):
    return client.get(API + path, params)


def names(response):
    return [item["name"] for item in response.json()["results"]]


def test_the_root_links_every_collection_the_schema_and_the_docs(client):
    body = get(client, "").json()
    assert body["version"] == "1"
    assert body["schema"] == "http://testserver/api/schema/"
    assert body["docs"] == "http://testserver/api/docs/"
    assert set(body["collections"]) == {
        "organisations", "advocates", "networks", "surveys", "sources", "focus-areas",
        "target-groups", "levels", "network-types", "countries",
    }  # fmt: skip
    for url in [*body["collections"].values(), *body["stats"].values()]:
        params = {"group_by": "country"} if "stats" in url else {}
        assert client.get(url, params).status_code == 200, url


def test_a_funder_finds_the_refugee_led_organisations_in_greece_working_on_health(client):
    # EPIM 2019 Annex 2, lines 695 (Humanity Crew) and 696 (Velos Youth).
    response = get(client, "organisations/", country="GR", leadership="refugee-led", focus="health")
    assert response.status_code == 200
    assert names(response) == ["Humanity Crew", "Velos Youth"]


def test_filters_narrow_together_and_repeated_values_widen(client):
    greece = get(client, "organisations/", country="GR").json()["count"]
    portugal = get(client, "organisations/", country="PT").json()["count"]
    both = client.get(API + "organisations/", {"country": ["GR", "PT"]}).json()["count"]
    assert (greece, portugal, both) == (7, 6, 13)
    assert (
        get(client, "organisations/", country="GR", leadership="refugee-led").json()["count"] == 3
    )


ONE_VALUE_EACH = {
    "country": "DE",
    "city": "de-berlin",
    "focus": "integration",
    "target_group": "refugees",
    "leadership": "refugee-led",
    "form": "network",
    "level": "eu",
    "network": "grupp-39",
    "source": "epim-2019",
    "confirmed": "false",
    "q": "refugee",
    "modified_after": "2020-01-01T00:00:00Z",
    "sort": "-country",
}


def test_the_api_takes_exactly_the_filters_and_values_of_the_page(client):
    """One FilterSet: each filter of the organisations page selects the same records here."""
    assert set(ONE_VALUE_EACH) == set(OrganisationFilterSet.base_filters)
    for name, value in ONE_VALUE_EACH.items():
        api = get(client, "organisations/", **{name: value, "page_size": 100}).json()
        page = client.get("/organisations/", {name: value}).context["page"]
        assert api["count"] == page.paginator.count, name
        assert [o["slug"] for o in api["results"][:20]] == [o.slug for o in page.object_list]


def test_an_organisation_says_where_what_who_and_from_which_report(client):
    item = get(client, "organisations/diaspora-network-alliance/").json()
    assert item["url"] == "http://testserver/api/v1/organisations/diaspora-network-alliance/"
    assert item["web_url"] == "http://testserver/organisations/diaspora-network-alliance/"
    assert item["countries"] == ["BE", "DE"]
    assert {city["slug"] for city in item["cities"]} == {"de-berlin", "be-brussels", "de-potsdam"}
    assert {"name": "Diaspora Networks Alliance (DNA)", "report": "epim-2019"} in item["aliases"]
    assert (item["leadership"], item["leadership_evidence"]) == ("diaspora-led", "self-described")
    assert {claim["locator"] for claim in item["leadership_claims"]} == {
        "Annex 2, Belgium, line 626",
        "Annex 2, Germany, line 684",
    }
    assert "integration" in {term["slug"] for term in item["focus_areas"]}
    assert "Integration" in item["focus_raw"]
    assert {advocate["name"] for advocate in item["advocates"]} == {
        "Mahmoud Ramadan",
        "Jala El Jazairi",
        "Oula Sulliman",
    }
    source = item["sources"][0]
    assert set(source) == {"report", "title", "locator", "quote"}
    assert source["title"] == "Migrant-led advocacy across Europe: challenges and opportunities"
    assert item["updated_at"]


def test_an_advocate_lists_their_organisations_with_role_and_whether_current(client):
    item = get(client, "advocates/bernadett-varga/").json()
    assert item["organisations"] == [
        {
            "slug": "roma-health-fund",
            "name": "Roma health Fund",
            "url": "http://testserver/api/v1/organisations/roma-health-fund/",
            "role": "",
            "is_current": False,
        }
    ]


def test_a_network_lists_its_type_members_and_aliases(client):
    item = get(client, "networks/grupp-39/").json()
    assert item["type"]["slug"] == "non-state-integration-network"
    coordinators = {m["name"] for m in item["members"] if m["role"] == "coordinator"}
    assert coordinators == {"Ronneby Municipality", "Folkuniversitet"}
    found = get(client, "networks/", q="Percorsi di affido").json()["results"]
    assert [network["slug"] for network in found] == ["a-misura-di-bambino"]


def test_similar_organisations_come_with_the_shared_terms_that_explain_them(client):
    matches = get(client, "organisations/syrbanism/similar/").json()
    assert matches
    first = matches[0]
    assert first["score"] == max(match["score"] for match in matches)
    assert first["shared_focus_areas"] or first["shared_target_groups"]
    assert first["reasons"]
    elsewhere = get(client, "organisations/syrbanism/similar/", other_countries="1").json()
    assert elsewhere and all("AT" not in match["countries"] for match in elsewhere)


def test_counts_per_country_of_the_organisations_working_on_housing(client):
    body = get(client, "stats/organisations/", group_by="country", focus="housing").json()
    assert body["group_by"] == "country"
    assert body["total"] == sum(group["count"] for group in body["groups"])
    assert {"value": "GR", "label": "Greece", "count": 1} in body["groups"]


@pytest.mark.parametrize(
    "group_by", ["country", "focus", "target_group", "leadership", "level", "form"]
)
def test_every_group_counts_what_the_filters_select(client, group_by):
    body = get(client, "stats/organisations/", group_by=group_by, country="GR").json()
    assert body["total"] == 7
    assert body["groups"] and all(group["count"] <= 7 for group in body["groups"])


def test_vocabularies_and_countries_say_how_many_records_each_has(client):
    germany = get(client, "countries/de/").json()
    assert germany["counts"]["organisations"] == 36
    assert germany["counts"]["networks"] == 6  # ERASMI appendix: six German profiles
    housing = get(client, "focus-areas/", page_size=100).json()["results"]
    assert {"slug", "name", "description", "counts"} <= set(housing[0])
    types = get(client, "network-types/").json()
    assert types["count"] == 7
    assert sum(t["counts"]["networks"] for t in types["results"]) == 23
    assert get(client, "sources/").json()["count"] == 5
    assert get(client, "levels/").json()["count"] == 4


def test_a_surveys_responses_and_figures(client):
    survey = get(client, "surveys/erasmi-2020-network-survey/").json()
    assert (survey["responses_held"], survey["respondents_reported"]) == (23, 55)
    responses = client.get(survey["responses_url"], {"page_size": 30}).json()
    assert responses["count"] == 23
    assert all(response["network"] for response in responses["results"])
    epim = get(client, "surveys/epim-2019-mapping/responses/").json()["results"][0]
    assert epim["key"] == "row-622" and "email_website" not in epim["answers"]
    figures = get(client, "surveys/unhcr-2020-rlo-mapping/figures/", page_size=50).json()
    office = next(f for f in figures["results"] if f["key"] == "offices-engaging-rlos")
    assert (office["count"], office["denominator"]) == (20, 38)


def test_pages_have_a_count_and_links(client):
    body = get(client, "organisations/", page_size=5, page=2).json()
    assert len(body["results"]) == 5
    assert body["count"] == 235
    assert body["next"].endswith("?page=3&page_size=5")
    assert body["previous"].endswith("?page_size=5")


@pytest.mark.parametrize(
    "params, status, parameter, reason",
    [
        ({"country": "XX"}, 400, "country", "Select a valid choice"),
        ({"focus": "knitting"}, 400, "focus", "Select a valid choice"),
        ({"modified_after": "yesterday"}, 400, "modified_after", "Enter a valid date"),
        ({"modified_after": "0001-01-01T00:00:00+01:00"}, 400, "modified_after", "between"),
        ({"sort": "shoe-size"}, 400, "sort", "Select a valid choice"),
        ({"page_size": "101"}, 400, "page_size", "from 1 to 100"),
        ({"page": "two"}, 400, "page", "“two” is not a page number."),
        ({"city": "de-berlin\x00"}, 400, "city", "Select a valid choice"),
        ({"colour": "red"}, 400, "colour", "Unknown parameter"),
        ({"page": "99"}, 404, "page", "There is no page 99: this list has 12 pages."),
    ],
)
def test_a_wrong_parameter_answers_with_its_name_and_the_reason(
    client, params, status, parameter, reason
):
    response = get(client, "organisations/", **params)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert reason in " ".join(response.json()[parameter])


def test_the_pages_the_api_and_hsds_word_a_page_they_cannot_give_alike(client):
    """One paginator, one wording (the pages' in their language); each keeps its status."""
    for page, api_status, page_status, wording in [
        ("999", 404, 404, "There is no page 999: this list has 12 pages."),
        ("two", 400, 404, "“two” is not a page number."),
    ]:
        for url in ("/api/v1/organisations/", "/api/hsds/organizations/"):
            response = client.get(url, {"page": page})
            assert response.status_code == api_status, url
            assert response.json() == {"page": [wording]}, url
        html = client.get("/organisations/", {"page": page})
        assert html.status_code == page_status
        assert wording in html.content.decode()
    french = client.get("/fr/organisations/", {"page": "999"}).content.decode()
    assert "Il n&#x27;y a pas de page 999 : cette liste compte 12 pages." in french


def test_an_unknown_record_is_a_json_404(client):
    response = get(client, "organisations/no-such-organisation/")
    assert response.status_code == 404
    assert response.json() == {"detail": "No Organisation matches the given query."}


def test_the_stats_need_a_known_group(client):
    response = get(client, "stats/organisations/", group_by="shoe-size")
    assert response.status_code == 400
    assert "Choose one of" in response.json()["group_by"][0]


def test_an_empty_parameter_is_refused_with_its_name(client):
    response = client.get("/api/v1/stats/organisations/", {"group_by": "focus", "format": ""})
    assert response.status_code == 400
    assert "leave the parameter out" in response.json()["format"][0]
    response = client.get("/api/v1/networks/", {"formalisation": "", "country": "DE"})
    assert response.status_code == 400 and list(response.json()) == ["formalisation"]


def test_a_time_no_database_can_compare_is_refused_in_words(client):
    response = get(client, "organisations/", modified_after="0001-01-01T00:00:00+01:00")
    assert response.status_code == 400
    assert response.json() == {
        "modified_after": ["Enter a date and time between 0001-01-01 and 9999-12-31 (UTC)."]
    }


def test_an_empty_time_is_refused_in_words_by_the_csv_export(client):
    """The page's download is the API's CSV: the same refusal, naming the parameter."""
    response = client.get("/organisations/export.csv", {"modified_after": ""})
    assert response.status_code == 400
    assert response.json() == {
        "modified_after": ["Enter a date and time, or leave the parameter out."]
    }


@pytest.mark.parametrize(
    "url, query, parameter",
    [
        ("/api/v1/organisations/", "page=1&page=2", "page"),
        ("/api/v1/organisations/", "page_size=2&page_size=3", "page_size"),
        ("/api/v1/organisations/", "q=athens&q=berlin", "q"),
        ("/api/v1/organisations/", "format=json&format=csv", "format"),
        ("/api/v1/surveys/epim-2019-mapping/responses/", "page=1&page=2", "page"),
        ("/api/hsds/organizations/", "page=1&page=2", "page"),
        ("/api/hsds/organizations/", "per_page=1&per_page=2", "per_page"),
    ],
)
def test_a_parameter_that_takes_one_value_given_twice_is_refused_with_its_name(
    client, url, query, parameter
):
    response = client.get(f"{url}?{query}")
    assert response.status_code == 400
    assert response.json() == {parameter: ["Given more than once: give one value."]}


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/organisations/?format=csv",
        "/api/v1/surveys/epim-2019-mapping/responses/?format=csv",
        "/api/v1/surveys/epim-2019-mapping/figures/?format=csv",
    ],
)
def test_a_page_that_is_no_number_is_refused_when_csv_is_asked_for_too(client, url):
    response = client.get(f"{url}&page=true")
    assert response.status_code == 400
    assert response.json() == {"page": ["“true” is not a page number."]}
    response = client.get(f"{url}&page_size=true")
    assert response.status_code == 400
    assert response.json() == {"page_size": ["Enter a whole number from 1 to 100 (got 'true')."]}


@pytest.mark.parametrize(
    "url, formats",
    [
        ("/api/v1/organisations/", "csv, json"),
        ("/api/v1/organisations/syrbanism/", "csv, json"),
        ("/api/v1/stats/organisations/?group_by=country", "csv, json"),
        ("/api/v1/", "json"),
        ("/api/hsds/organizations/", "json"),
    ],
)
def test_an_unknown_format_is_refused_with_its_name_and_the_formats_there_are(client, url, formats):
    response = client.get(url, {"format": "xml"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "format": [f"Unknown format 'xml'. This endpoint answers in: {formats}."]
    }
