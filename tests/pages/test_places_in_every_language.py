"""A place typed in the page's language, in another interface language or in the place's own
finds its organisations, from the page of every language, on both databases; and our own terms
(focus areas, target groups, levels, cities) are shown in the page's language.

Expectations are the reports' records: the seven organisations in Greece and the five in Athens
(tests/pages/test_search.py), the six in Lisbon and the six in Cologne (EPIM 2019 Annex 2 and the
Churchill 2018 appendix).
"""

import pytest

from tests.pages.test_search import IN_ATHENS
from tests.responses import every_listed, slugs

pytestmark = pytest.mark.django_db

LANGUAGES = ("en", "fr", "de", "ar")
IN_GREECE = 7
IN_LISBON = {
    "capital-juridico",
    "casa-do-brasil-de-lisboa",
    "forum-refugio-portugal",
    "renovar-mouraria",
    "uniao-de-refugiados-em-portugal",
    "womens-platform-of-brazil",
}
IN_COLOGNE = {
    "begegnungs-und-fortbildungszentrum-muslimischer-frauen",
    "integrationsrat-stadt-koeln",
    "koelner-fluechtlingsrat",
    "koelner-freiwilligen-agentur",
    "sprachraum-stadtbibliothek",
    "stark-die-buergerplattform",
}


def found(client, language: str, query: str) -> set[str]:
    path = "/organisations/" if language == "en" else f"/{language}/organisations/"
    return set(slugs(every_listed(client, path, {"q": query})))


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("query", ["Greece", "Grèce", "Griechenland", "اليونان", "Ελλάδα"])
def test_greece_in_any_of_its_names_finds_the_organisations_there(client, language, query):
    greece = found(client, language, query)
    assert len(greece) == IN_GREECE
    assert IN_ATHENS <= greece


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("query", ["Germany", "Allemagne", "Deutschland", "ألمانيا"])
def test_germany_in_any_of_its_names_finds_the_organisations_in_cologne(client, language, query):
    assert IN_COLOGNE <= found(client, language, query)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("query", ["Athens", "Athènes", "Athen", "أثينا", "Αθήνα"])
def test_athens_in_any_of_its_names_finds_the_organisations_there(client, language, query):
    assert found(client, language, query) == IN_ATHENS


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("query", ["Lisbon", "Lisbonne", "Lissabon", "لشبونة", "Lisboa"])
def test_lisbon_in_any_of_its_names_finds_the_organisations_there(client, language, query):
    assert found(client, language, query) == IN_LISBON


# National organisations whose descriptions say that speakers in Köln named them (Churchill
# 2018, lines 257 and 267): the city's own name is in their text, its English one is not.
SAID_IN_KOELN = {
    "bundesverband-netzwerke-von-migrantenorganisationen",
    "bundesverband-russischsprachiger-eltern",
}


def test_cologne_in_its_own_language_finds_the_organisations_there(client):
    assert found(client, "de", "Cologne") == IN_COLOGNE
    assert found(client, "de", "Köln") == IN_COLOGNE | SAID_IN_KOELN
    assert found(client, "en", "Koln") == IN_COLOGNE | SAID_IN_KOELN


@pytest.mark.parametrize(
    ("language", "query"),
    [("fr", "Santé"), ("de", "Gesundheitsversorgung"), ("ar", "الصحية")],
)
def test_a_focus_area_in_the_page_s_language_finds_the_organisations_working_on_it(
    client, language, query
):
    working_on_health = client.get("/api/v1/organisations/", {"focus": "health", "page_size": 100})
    expected = {item["slug"] for item in working_on_health.json()["results"]}
    assert len(expected) > 10
    assert found(client, language, query) == expected


@pytest.mark.parametrize(
    ("language", "focus", "group", "city", "country", "led"),
    [
        ("en", "Health and healthcare", "Refugees", "Athens", "Greece", "Refugee-led"),
        (
            "fr",
            "Santé et soins",
            "Personnes réfugiées",
            "Athènes",
            "Grèce",
            "Dirigée par des personnes réfugiées",
        ),
        (
            "de",
            "Gesundheit und Gesundheitsversorgung",
            "Geflüchtete",
            "Athen",
            "Griechenland",
            "Von Geflüchteten geführt",
        ),
        ("ar", "الصحة والرعاية الصحية", "اللاجئون", "أثينا", "اليونان", "يقودها لاجئون"),
    ],
)
def test_our_own_terms_are_shown_in_the_page_s_language(
    client, language, focus, group, city, country, led
):
    prefix = "" if language == "en" else f"/{language}"
    page = client.get(f"{prefix}/organisations/humanity-crew/").content.decode()
    assert f">{focus}</a>" in page
    assert city in page
    listed = client.get(f"{prefix}/organisations/", {"country": "GR", "focus": "health"})
    content = listed.content.decode()
    assert f"<li>{focus}</li>" in content  # a card's tags
    assert f'> {group} <span class="count">' in content  # a filter's option
    assert f": {focus} <span aria-hidden" in content  # the chip of the chosen focus
    assert f'> {led} <span class="count">' in content  # the leadership filter's option
    chart = client.get(f"{prefix}/countries/GR/").content.decode()
    assert f'class="bar-label">{focus}</text>' in chart
    home = client.get(f"{prefix}/").content.decode()
    assert f'class="bar-label">{country}</text>' in home


def test_a_record_s_own_words_say_they_are_english_on_a_page_in_another_language(client):
    page = client.get("/ar/organisations/humanity-crew/").content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    assert '<dd lang="en">' in page  # the focus in the report's words
    assert '<cite lang="en">' in page  # the report's title
