"""The organisations list, its filters and export; the organisation page and its partners."""

import re
from datetime import UTC, datetime

import pytest

from orgs.models import Network, Organisation
from tests.responses import csv_rows, facet, listed, listed_names, result_count, slugs

pytestmark = pytest.mark.django_db

LIST = "/organisations/"

# The numbers are counted in the fixtures (fixtures/*.json), where each record cites its report.


def names(response):
    return listed_names(response)


def cards(response) -> list[str]:
    """The HTML of each card of the list."""
    return response.content.decode().split('<li class="card">')[1:]


def test_the_list_shows_the_count_and_the_first_page(client):
    response = client.get(LIST)
    assert response.status_code == 200
    # EPIM 2019 107, ERASMI 2021 48, Urban Academy 2018 36, Churchill 2018 23, UNHCR 2020 21.
    assert result_count(response) == 235
    assert len(names(response)) == 20


def test_filtering_by_country_and_focus_gives_only_matching_organisations(client):
    response = client.get(LIST, {"country": "DE", "focus": "integration"})
    # Of the 36 in Germany, 17 work on integration: 9 of EPIM 2019 Annex 2, 8 of Churchill 2018.
    assert result_count(response) == 17
    assert len(cards(response)) == 17
    for card in cards(response):
        assert "Germany" in card.split("·")[0]
        assert "<li>Integration and inclusion in general</li>" in card


def test_several_values_of_one_filter_widen_the_list(client):
    # 7 in Greece and 6 in Portugal (EPIM 2019 Annex 2, Portugal), none in both.
    assert result_count(client.get(LIST, {"country": "GR"})) == 7
    assert result_count(client.get(LIST, {"country": ["GR", "PT"]})) == 7 + 6


def test_lowercase_country_codes_are_accepted(client):
    assert result_count(client.get(LIST, {"country": "de"})) == 36


@pytest.mark.parametrize(
    "filters, expected",
    [
        ({"city": "de-berlin"}, 13),  # Churchill 2018 6, EPIM 2019 4, Urban Academy 2018 3
        ({"target_group": "women"}, 56),  # EPIM 2019 54, Churchill 2018 1, ERASMI 2021 1
        ({"leadership": "refugee-led"}, 40),  # EPIM 2019 36, UNHCR 2020 3, Churchill 2018 1
        ({"form": "network"}, 27),
        ({"level": "eu"}, 48),  # EPIM 2019 43, Urban Academy 2018 3, Churchill 2018 2
        ({"source": "churchill-2018"}, 24),  # Appendix A's 20 and 4 the body names
        ({"network": "iq-netzwerk-sachsen-anhalt"}, 1),  # its member, Caritasverband Magdeburg
    ],
)
def test_each_filter_selects_some_organisations(client, filters, expected):
    response = client.get(LIST, filters)
    assert response.status_code == 200
    assert result_count(response) == expected


def test_modified_after_lists_only_the_organisations_changed_at_or_after_that_time(client):
    Organisation.objects.update(updated_at=datetime(2020, 1, 1, tzinfo=UTC))
    for slug, day in (("mosaico", 1), ("syrbanism", 2)):
        changed = datetime(2024, 6, day, tzinfo=UTC)
        Organisation.objects.filter(slug=slug).update(updated_at=changed)

    def since(time):
        response = client.get(LIST, {"modified_after": time})
        assert response.status_code == 200
        return slugs(listed(response))

    assert since("2024-06-01T00:00:00Z") == [
        "mosaico",
        "syrbanism",
    ]  # at that time, or after
    assert since("2024-06-01T00:00:01Z") == ["syrbanism"]
    assert since("2024-06-01T02:00:00+02:00") == [
        "mosaico",
        "syrbanism",
    ]  # the same instant
    assert since("2024-06-02T00:00:01Z") == []


def test_search_finds_an_organisation_by_alias(client):
    response = client.get(LIST, {"q": "ECRE"})
    assert "European Council on Refugees and Exiles" in names(response)


def test_search_finds_raw_focus_text(client):
    response = client.get(LIST, {"q": "Islamophobia"})
    assert "Documentation center against Islamophobia" in names(response)


def test_sorting_by_country_orders_the_list(client):
    # The 5 organisations on housing (EPIM 2019 Annex 2), one in each of five countries.
    response = client.get(LIST, {"focus": "housing", "sort": "country"})
    assert names(response) == [
        "Velos Youth",  # Greece
        "The house of akina",  # Ireland
        "Uniao de Refugiados em Portugal",
        "Alkompis Media AB",  # Sweden
        "Bradford City of Sanctuary",  # United Kingdom
    ]


def test_active_filters_are_listed_each_with_a_button_that_removes_it(client):
    response = client.get(LIST, {"country": ["DE", "GR"], "focus": "housing"})
    content = response.content.decode()
    assert re.findall(r'class="chip" aria-label="Remove filter ([^"]+)"', content) == [
        "Country: Germany",
        "Country: Greece",
        "Focus area: Housing and accommodation",
    ]
    assert 'form="filters" name="drop" value="country=GR"' in content
    assert 'form="filters" name="drop" value="focus=housing"' in content


def test_a_search_is_listed_as_an_active_filter_too(client):
    response = client.get(LIST, {"q": "housing", "country": "DE"})
    assert [
        (active["name"], active["filter"], active["value"], active["label"])
        for active in response.context["active_filters"]
    ] == [("q", "Search", "housing", "housing"), ("country", "Country", "DE", "Germany")]
    assert 'name="drop" value="q=housing"' in response.content.decode()


def test_removing_one_filter_value_keeps_the_others_in_a_clean_url(client):
    query = {"country": ["DE", "GR"], "focus": "housing", "q": "", "page": "2"}
    response = client.get(LIST, {**query, "drop": "country=GR"})
    assert response.status_code == 302
    assert response["Location"] == "/organisations/?country=DE&focus=housing"


def test_the_page_grows_linearly_with_the_values_chosen(client):
    """Each chosen value appears a bounded number of times, not once per other value: its
    chip, the CSV and feed links, at most 11 page links (first, previous, 7 numbers, next,
    last), this page in each of the 4 languages and its alternates in the head, and on the map
    Germany's own link and its cities' (each with Germany alone of the countries chosen)."""
    codes = ["DE", "GR", "FR", "IT", "NL", "BE", "PT", "ES", "AT", "SE"]
    found = {}
    for count in (2, 10):
        content = client.get(LIST, {"country": codes[:count]}).content.decode()
        assert content.count('value="country=DE"') == 1
        found[count] = content.count("country=DE")
    # Eight more countries add page links at most, never a link per country to each value.
    assert found[10] - found[2] <= 11


def test_facets_count_the_values_with_the_other_filters_applied(client):
    response = client.get(LIST, {"country": "DE"})
    # A country's option counts as if it were chosen instead: the 7 in Greece.
    assert facet(response, "country")["GR"] == 7
    # Of the 36 in Germany, 17 work on integration and none on housing (the 5 on housing are in
    # Greece, Ireland, Portugal, Sweden and the United Kingdom).
    focus = facet(response, "focus")
    assert focus["integration"] == 17 and focus.get("housing", 0) == 0
    assert b'value="DE" checked' in response.content


def test_an_empty_result_says_so_and_offers_a_way_back(client):
    response = client.get(LIST, {"q": "no organisation is called this"})
    assert response.status_code == 200
    assert b"No organisation matches these filters." in response.content
    assert b"clear all filters" in response.content


@pytest.mark.parametrize(
    "query, message",
    [
        ({"country": "XX"}, b"Select a valid choice"),
        ({"focus": "knitting"}, b"Select a valid choice"),
        ({"leadership": "robot-led"}, b"Select a valid choice"),
        ({"modified_after": "yesterday"}, b"Enter a valid date/time"),
        ({"sort": "shoe-size"}, b"Select a valid choice"),
        ({"q": "x" * 201}, b"at most 200 characters"),
    ],
)
def test_a_wrong_filter_value_shows_the_form_with_the_reason(client, query, message):
    response = client.get(LIST, query)
    assert response.status_code == 400
    assert message in response.content
    assert b"Clear all filters" in response.content


@pytest.mark.parametrize(
    "page, message", [("9999", b"There is no page 9999"), ("two", b"is not a page")]
)
def test_a_wrong_page_number_shows_a_message_and_a_way_back(client, page, message):
    response = client.get(LIST, {"page": page, "country": "DE"})
    assert response.status_code == 404
    assert message in response.content
    assert b'href="?country=DE"' in response.content


def test_the_csv_export_holds_the_filtered_list_with_public_fields_only(client):
    response = client.get("/organisations/export.csv", {"country": "FI"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = csv_rows(response)
    assert len(rows) == 8  # in Finland: EPIM 2019 Annex 2 6, Urban Academy 2018 2
    union = next(row for row in rows if row["name"] == "Ghana Union Finland")
    assert union["email"] == "info@ghanaunionfinland.com"
    assert "Annex 2, Finland" in union["sources"]


def test_the_csv_export_rejects_a_wrong_filter(client):
    response = client.get("/organisations/export.csv", {"country": "XX"})
    assert response.status_code == 400
    assert b"country" in response.content


def test_an_empty_value_in_the_csv_exports_address_filters_nothing(client):
    """As an unticked box: `country=` beside `country=FI` still gives the Finnish list."""
    response = client.get("/organisations/export.csv", {"country": ["", "FI"]})
    assert response.status_code == 200
    rows = csv_rows(response)
    assert len(rows) == 8
    assert rows == csv_rows(client.get("/organisations/export.csv", {"country": "FI"}))


def test_a_hidden_network_is_no_choice(client):
    network = Network.objects.get(slug="iq-netzwerk-sachsen-anhalt")
    assert client.get(LIST, {"network": network.slug}).status_code == 200
    network.is_published = False
    network.save()
    response = client.get(LIST, {"network": network.slug})
    assert response.status_code == 400
    assert b"Select a valid choice" in response.content


def test_countries_are_named_in_the_pages_language(client):
    response = client.get("/fr/organisations/", {"country": "DE"})
    assert [active["label"] for active in response.context["active_filters"]] == ["Allemagne"]


def test_the_organisation_page_shows_its_record_advocates_and_sources(client):
    response = client.get("/organisations/diaspora-network-alliance/")
    assert response.status_code == 200
    content = response.content.decode()
    for text in ["Diaspora Network Alliance", "Diaspora Networks Alliance (DNA)", "Oula Sulliman"]:
        assert text in content
    assert "Annex 2, Germany" in content
    assert "line 684" not in content


def test_the_organisation_page_shows_its_networks(client):
    response = client.get("/organisations/caritasverband-fur-das-bistum-magdeburg-ev/")
    assert b"IQ Netzwerk Sachsen-Anhalt" in response.content


def test_like_minded_organisations_are_ranked_with_their_reasons(client):
    response = client.get("/organisations/syrbanism/")
    matches = response.context["like_minded"]
    assert matches
    scores = [match.score for match in matches]
    assert scores == sorted(scores, reverse=True)
    first = matches[0]
    assert first.reasons[0].startswith("Both work on ")
    assert first.reasons[0] in response.content.decode()


def test_like_minded_can_be_limited_to_other_countries(client):
    response = client.get("/organisations/syrbanism/", {"other_countries": "1"})
    section = response.content.decode().split('id="like-minded"')[1]
    places = re.findall(r'<p class="muted">([^·<]*)', section)
    assert places and not [place for place in places if "Austria" in place]


def test_an_unknown_organisation_is_not_found(client):
    assert client.get("/organisations/no-such-organisation/").status_code == 404


def test_the_organisation_page_runs_a_fixed_number_of_queries(assert_cold_and_warm):
    # the record with 8 prefetches, affiliations with their citations, memberships, and, cold,
    # the like-minded partners: the published count, one term-frequency query per vocabulary,
    # the ranking's two queries (a sample, then the candidates that can beat it), then the
    # partners and their 5 prefetches (warm: cached as found); and which of its advocates and
    # networks accept messages
    assert_cold_and_warm("/organisations/european-council-on-refugees-and-exiles/", 25, 13)


@pytest.mark.parametrize(
    "slug, through",
    [
        ("arcisolidarieta", "no network it belongs to can be reached"),
        ("afghan-womens-organisation", "Suggest a way to reach them"),
        ("caritasverband-fur-das-bistum-magdeburg-ev", "Reach it through a network it belongs to"),
    ],
)
def test_a_record_without_a_website_or_email_says_how_to_reach_it(client, slug, through):
    page = client.get(f"/organisations/{slug}/").content.decode()
    assert "How to reach it" in page and through in page
    assert f"/organisations/{slug}/suggest/" in page


def test_an_organisation_with_a_website_is_reached_through_it(client):
    page = client.get("/organisations/european-council-on-refugees-and-exiles/").content.decode()
    assert "Reach it through its public website or email, above." in page
    assert "Reach it through a network" not in page
