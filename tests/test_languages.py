"""The interface in English, French, German and Arabic: the language is in the URL."""

import re

import pytest

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
            "health and healthcare",
        ),
        (
            "/de/organisations/?leadership=refugee-led&country=GR&focus=health",
            "Von Geflüchteten geführte Organisationen (Griechenland) mit Schwerpunkt "
            "health and healthcare",
        ),
        (
            "/ar/organisations/?leadership=refugee-led&country=GR&focus=health",
            "المنظمات التي يقودها لاجئون في اليونان في مجال health and healthcare",
        ),
        ("/de/advocates/?country=PT&country=ES", "Aktivist*innen (Portugal oder Spanien)"),
    ],
)
def test_a_filtered_list_is_titled_in_the_language_with_country_names_translated(
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
    assert french.context["page"].paginator.count == english.context["page"].paginator.count
    assert french.context["page"].paginator.count > 0
    content = french.content.decode()
    assert re.search(r"<strong>\d+</strong> organisations? trouvées?", content)
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
