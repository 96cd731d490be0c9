"""The interface in English, French, German and Arabic: the language is in the URL."""

import re
from datetime import date

import pytest
from django.utils import translation
from django.views.defaults import server_error

from orgs.models import Organisation
from tests.responses import result_count

pytestmark = pytest.mark.django_db

# One page of each public type, as an English (unprefixed) path.
PAGES = {
    "home": "/",
    "organisations": "/organisations/",
    "organisation": "/organisations/refugee-radio-network/",
    "advocates": "/advocates/",
    "advocate": "/advocates/larry-macaulay/",
    "networks": "/networks/",
    "network": "/networks/iq-netzwerk-sachsen-anhalt/",
    "countries": "/countries/",
    "country": "/countries/GR/",
    "focus-areas": "/focus/",
    "focus-area": "/focus/housing/",
    "reports": "/sources/",
    "report": "/sources/epim-2019/",
    "surveys": "/surveys/",
    "survey": "/surveys/epim-2019-mapping/",
    "search": "/search/?q=Athens+health",
    "suggest": "/suggest/",
    "suggest-a-correction": "/organisations/refugee-radio-network/suggest/",
    "thanks": "/suggest/thanks/",
}

# The main navigation's first link and the header's search button, in each language.
NAVIGATION = {
    "en": ("Organisations", "Search"),
    "fr": ("Organisations", "Rechercher"),
    "de": ("Organisationen", "Suchen"),
    "ar": ("المنظمات", "بحث"),
}


def in_language(path: str, language: str) -> str:
    return path if language == "en" else f"/{language}{path}"


def html_tag(content: str) -> str:
    return re.search(r"<html[^>]*>", content).group(0)


@pytest.mark.parametrize("language", ["en", "fr", "de", "ar"])
@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_every_page_type_answers_in_every_language(client, path, language):
    response = client.get(in_language(path, language))
    assert response.status_code == 200
    content = response.content.decode()
    direction = "rtl" if language == "ar" else "ltr"
    assert html_tag(content) == f'<html lang="{language}" dir="{direction}">'
    organisations, search = NAVIGATION[language]
    assert f">{organisations}</a></li>" in content
    assert f'<button type="submit">{search}</button>' in content


@pytest.mark.parametrize(
    "url, heading",
    [
        ("/fr/organisations/", "Organisations"),
        ("/de/organisations/", "Organisationen"),
        ("/ar/organisations/", "المنظمات"),
        ("/fr/countries/", "Pays"),
        ("/de/focus/", "Themenfelder"),
        ("/ar/surveys/", "الاستبيانات"),
        ("/fr/sources/", "Les rapports à la base du répertoire"),
        ("/de/", "Migrantisch und von Geflüchteten geführte Organisationen in Europa finden"),
        ("/ar/advocates/", "المناصرون"),
    ],
)
def test_headings_are_translated(client, url, heading):
    content = client.get(url).content.decode()
    assert re.search(r"<h1>(.*?)</h1>", content).group(1) == heading


@pytest.mark.parametrize(
    "url, heading",
    [
        (
            "/fr/organisations/?leadership=refugee-led&country=GR&focus=health",
            "Organisations dirigées par des personnes réfugiées (Grèce) travaillant sur : "
            "santé et soins",
        ),
        (
            "/de/organisations/?leadership=refugee-led&country=GR&focus=health",
            "Von Geflüchteten geführte Organisationen (Griechenland) mit Schwerpunkt "
            "Gesundheit und Gesundheitsversorgung",
        ),
        (
            "/ar/organisations/?leadership=refugee-led&country=GR&focus=health",
            "المنظمات التي يقودها لاجئون في اليونان في مجال الصحة والرعاية الصحية",
        ),
        ("/de/advocates/?country=PT&country=ES", "Aktivist*innen (Portugal oder Spanien)"),
    ],
)
def test_a_filtered_list_is_titled_in_the_language_with_country_and_term_names_translated(
    client, url, heading
):
    content = client.get(url).content.decode()
    assert re.search(r"<h1>(.*?)</h1>", content).group(1) == heading


def test_country_names_follow_the_language(client):
    assert "<h1>Griechenland</h1>" in client.get("/de/countries/GR/").content.decode()
    assert "<h1>Grèce</h1>" in client.get("/fr/countries/GR/").content.decode()
    assert "<h1>اليونان</h1>" in client.get("/ar/countries/GR/").content.decode()
    assert "<h1>Greece</h1>" in client.get("/countries/GR/").content.decode()


def test_the_switcher_links_to_this_page_in_each_language(client):
    content = client.get("/fr/organisations/?country=GR&focus=health").content.decode()
    switcher = re.search(
        r'<nav aria-label="Langue" class="languages wrap">(.*?)</nav>', content, re.S
    )
    links = re.findall(
        r'<a href="([^"]+)" lang="(\w+)" hreflang="(\w+)"([^>]*)>([^<]+)</a>', switcher.group(1)
    )
    assert links == [
        ("/organisations/?country=GR&amp;focus=health", "en", "en", "", "English"),
        (
            "/fr/organisations/?country=GR&amp;focus=health",
            "fr",
            "fr",
            ' aria-current="true"',
            "français",
        ),
        ("/de/organisations/?country=GR&amp;focus=health", "de", "de", "", "Deutsch"),
        ("/ar/organisations/?country=GR&amp;focus=health", "ar", "ar", "", "العربيّة"),
    ]
    alternates = re.findall(r'<link rel="alternate" hreflang="(\w+)" href="([^"]+)">', content)
    assert alternates == [
        ("en", "http://testserver/organisations/?country=GR&amp;focus=health"),
        ("de", "http://testserver/de/organisations/?country=GR&amp;focus=health"),
        ("ar", "http://testserver/ar/organisations/?country=GR&amp;focus=health"),
    ]


def test_the_switcher_of_a_missing_page_links_to_each_home_page(client):
    response = client.get("/de/no-such-page/")
    assert response.status_code == 404
    content = response.content.decode()
    assert "<h1>Seite nicht gefunden</h1>" in content
    assert '<a href="/fr/" lang="fr" hreflang="fr">français</a>' in content
    assert '<a href="/" lang="en" hreflang="en">English</a>' in content


@pytest.mark.parametrize(
    "path", ["/xx/organisations/", "/en/organisations/", "/fr-xx/", "/FR/organisations/"]
)
def test_an_unknown_language_prefix_is_not_found(client, path):
    assert client.get(path).status_code == 404


def test_filters_and_query_strings_work_under_a_language(client):
    english = client.get("/organisations/", {"country": "GR", "leadership": "refugee-led"})
    french = client.get("/fr/organisations/", {"country": "GR", "leadership": "refugee-led"})
    assert french.status_code == 200
    # Refugee-led in Greece (EPIM 2019 Annex 2, Greece): Greek Forum of Refugees, Humanity Crew
    # and Velos Youth.
    assert result_count(english) == result_count(french) == 3
    content = french.content.decode()
    assert "<strong>3</strong> organisations trouvées" in content
    assert 'value="GR" checked' in content
    assert "Pays: Grèce" in content  # the chip of the chosen country


def test_an_empty_parameter_redirects_within_the_language(client):
    response = client.get("/de/organisations/", {"q": "", "country": "GR"})
    assert response.status_code == 302
    assert response["Location"] == "/de/organisations/?country=GR"


def test_a_wrong_filter_says_why_in_the_language(client):
    response = client.get("/fr/organisations/", {"country": "XX"})
    assert response.status_code == 400
    assert "Certains filtres n'ont pas pu être appliqués" in response.content.decode()


@pytest.mark.parametrize(
    "prefix, checked",
    [
        ("", "Last checked on 3 March 2025"),
        ("/fr", "Vérifié pour la dernière fois le 3 mars 2025"),
        ("/de", "Zuletzt geprüft am 3. März 2025"),
        ("/ar", "آخر تحقق في 3 مارس، 2025"),
    ],
)
def test_dates_are_written_as_each_language_writes_them(client, prefix, checked):
    Organisation.objects.filter(slug="refugee-radio-network").update(checked_on=date(2025, 3, 3))
    content = client.get(f"{prefix}/organisations/refugee-radio-network/").content.decode()
    assert f"<dd>{checked}</dd>" in content


def test_english_pages_and_the_api_stay_english_whatever_the_browser_asks(client):
    page = client.get("/organisations/", headers={"accept-language": "de"})
    assert html_tag(page.content.decode()) == '<html lang="en" dir="ltr">'
    assert page["Content-Language"] == "en"
    api = client.get("/api/v1/organisations/", {"country": "XX"}, headers={"accept-language": "fr"})
    assert api.status_code == 400
    assert api["Content-Language"] == "en"
    assert "Select a valid choice" in api.content.decode()


def test_the_server_error_page_speaks_the_language_of_the_address(rf):
    with translation.override("ar"):
        response = server_error(rf.get("/ar/organisations/"))
    content = response.content.decode()
    assert response.status_code == 500
    assert html_tag(content) == '<html lang="ar" dir="rtl">'
    assert "<h1>حدث خطأ ما من جهتنا</h1>" in content
    assert '<a href="/ar/">العودة إلى الصفحة الرئيسية</a>' in content
