"""A list's Atom feed holds what the list holds, the records changed last first, each entry
saying what changed; every list page links its feed with its filters ("Follow this list")."""

from datetime import UTC, datetime

import feedparser
import pytest

from orgs.choices import LeadershipBasis, SuggestionKind
from orgs.models import (
    Advocate,
    FieldOpenToTheListed,
    FocusArea,
    Network,
    Organisation,
    Suggestion,
)
from orgs.services import answers, corrections, suggestions

pytestmark = pytest.mark.django_db

# EPIM 2019 Annex 2, Greece: the three refugee-led organisations in Greece.
REFUGEE_LED_IN_GREECE = {"Greek Forum of Refugees", "Humanity Crew", "Velos Youth"}
GREECE = {"country": "GR", "leadership": "refugee-led"}
LANGUAGES = ["", "/fr", "/de", "/ar"]
FEEDS = ["/organisations/feed/", "/advocates/feed/", "/networks/feed/"]
# The two personal addresses the reports print (EPIM 2019 Annex 2, Belgium, line 635; ERASMI
# 2021, Appendix, Germany, Integrationsnetzwerk Dortmund "lokal willkommen").
ADVOCATE_WITH_ADDRESS = ("abdul-azim-azad", "azimazad00@gmail.com")
NETWORK_WITH_ADDRESS = ("integrationsnetzwerk-dortmund-lokal-willkommen", "nfarshi@stadtdo.de")
LOADED = datetime(2026, 1, 5, tzinfo=UTC)


def read_feed(client, url, params=None):
    response = client.get(url, params or {})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    return parsed


@pytest.fixture
def settled():
    """The reports' records as loaded long ago: an edit in a test is a change of its own, however
    soon after loading the directory the test runs."""
    for model in (Organisation, Advocate, Network):
        model.history.all().update(history_date=LOADED)


@pytest.fixture
def humanity_crew():
    return Organisation.objects.get(slug="humanity-crew")


@pytest.fixture
def azad():
    return Advocate.objects.get(slug=ADVOCATE_WITH_ADDRESS[0])


def correct_focus_and_website(advocate, organisation):
    """A listed person corrects an organisation they work for, in fields opened to them."""
    for field in ("focus_areas", "website"):
        FieldOpenToTheListed.objects.create(record="organisation", field=field)
    proposed = {
        "focus_areas": list(FocusArea.objects.filter(slug__in=["health", "education"])),
        "website": "https://humanitycrew.example.org/",
    }
    corrections.correct(advocate, organisation, proposed)


def test_the_feed_of_refugee_led_organisations_in_greece_holds_the_three_of_the_list(client):
    feed = read_feed(client, "/organisations/feed/", GREECE)
    assert {entry.title for entry in feed.entries} == REFUGEE_LED_IN_GREECE
    assert feed.feed.title == "Refugee-led organisations in Greece · Migrant-led Europe directory"
    list_url = "http://testserver/organisations/?country=GR&leadership=refugee-led"
    assert feed.feed.link == list_url
    assert feed.feed.id == list_url
    assert feed.feed.language == "en"


def test_an_entry_links_the_records_page_in_the_feeds_language_with_a_stable_id(client):
    english = read_feed(client, "/organisations/feed/", GREECE)
    german = read_feed(client, "/de/organisations/feed/", GREECE)
    [crew] = [entry for entry in german.entries if entry.title == "Humanity Crew"]
    assert crew.link == "http://testserver/de/organisations/humanity-crew/"
    assert crew.id in {entry.id for entry in english.entries}
    assert crew.id.startswith("tag:testserver,")
    assert crew.author == "Verzeichnis Migrant-led Europe"
    assert crew.published and crew.updated


def test_a_correction_shows_first_saying_who_confirmed_it_and_what_changed(
    client, settled, humanity_crew, azad
):
    correct_focus_and_website(azad, humanity_crew)
    feed = read_feed(client, "/organisations/feed/", GREECE)
    first = feed.entries[0]
    assert first.title == "Humanity Crew"
    assert first.summary == (
        "Confirmed by the organisation. Changed: Focus areas, Website. "
        "Athens, Greece · Refugee-led · Education and training, Health and healthcare"
    )
    assert feed.feed.updated == first.updated
    assert {entry.title for entry in feed.entries} == REFUGEE_LED_IN_GREECE


def test_an_edit_shows_in_a_feed_read_and_cached_before_it(client, settled, humanity_crew, azad):
    before = read_feed(client, "/organisations/feed/", GREECE)
    assert not before.entries[0].summary.startswith("Confirmed by the organisation.")
    correct_focus_and_website(azad, humanity_crew)
    first = read_feed(client, "/organisations/feed/", GREECE).entries[0]
    assert first.title == "Humanity Crew"
    assert first.summary.startswith("Confirmed by the organisation. Changed: Focus areas")


def test_what_changed_is_said_in_the_feeds_language(client, settled, humanity_crew, azad):
    correct_focus_and_website(azad, humanity_crew)
    summary = read_feed(client, "/fr/organisations/feed/", GREECE).entries[0].summary
    assert summary.startswith(
        "Confirmé par l'organisation. Modifié : Domaines d'action, Site web. Athènes, Grèce"
    )


def test_an_approved_correction_names_the_field_an_editor_published(
    client, settled, humanity_crew, editor
):
    suggestion = Suggestion.objects.create(
        kind=SuggestionKind.CORRECTION,
        organisation=humanity_crew,
        website="https://crew.example.org/",
        message="Their new website.",
        sender_email="sender@example.org",
    )
    suggestions.approve(suggestion, by=editor)
    first = read_feed(client, "/organisations/feed/", GREECE).entries[0]
    assert first.title == "Humanity Crew"
    assert first.summary.startswith("Changed: Website. Athens, Greece")


def test_a_new_organisation_shows_first_as_new(client, settled, editor):
    suggestion = Suggestion.objects.create(
        kind=SuggestionKind.NEW,
        name="Nea Fonitiki Refugee Voices",
        country="GR",
        city="Athens",
        leadership="refugee-led",
        leadership_basis=LeadershipBasis.PART_OF_IT,
        is_own=True,
        message="Refugees running a radio in Athens.",
        sender_email="sender@example.org",
    )
    suggestions.approve(suggestion, by=editor)
    feed = read_feed(client, "/organisations/feed/", GREECE)
    first = feed.entries[0]
    assert first.title == "Nea Fonitiki Refugee Voices"
    assert first.summary == "New in the directory. Athens, Greece · Refugee-led"
    assert {entry.title for entry in feed.entries[1:]} == REFUGEE_LED_IN_GREECE


def test_the_last_entrys_time_as_modified_after_gives_the_api_the_same_change(
    client, settled, humanity_crew, azad
):
    correct_focus_and_website(azad, humanity_crew)
    last_read = read_feed(client, "/organisations/feed/", GREECE).entries[0].updated
    response = client.get("/api/v1/organisations/", {**GREECE, "modified_after": last_read})
    assert [item["name"] for item in response.json()["results"]] == ["Humanity Crew"]


def test_the_api_documents_modified_after_with_the_feeds(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    parameters = schema["paths"]["/api/v1/organisations/"]["get"]["parameters"]
    [modified_after] = [item for item in parameters if item["name"] == "modified_after"]
    assert "Atom feed (`/organisations/feed/`" in modified_after["description"]


def test_a_network_confirming_itself_says_so(client, settled):
    network = Network.objects.get(slug=NETWORK_WITH_ADDRESS[0])
    answers.confirm(network)
    first = read_feed(client, "/networks/feed/", {"country": "DE"}).entries[0]
    assert first.title == network.name
    assert first.summary.startswith("Confirmed by the network. ")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("url", FEEDS)
def test_every_feed_parses_without_a_warning_in_every_language(client, url, language):
    feed = read_feed(client, language + url)
    assert feed.feed.language == (language.strip("/") or "en")
    assert feed.entries
    for entry in feed.entries:
        assert entry.title and entry.summary and entry.author
        assert entry.link.startswith(f"http://testserver{language}{url.removesuffix('feed/')}")
        assert entry.id.startswith("tag:testserver,")
        assert entry.published_parsed <= entry.updated_parsed


@pytest.mark.parametrize(
    "url, params",
    [
        ("/organisations/feed/", {"country": "XX"}),
        ("/advocates/feed/", {"focus": "astrology"}),
        ("/networks/feed/", {"modified_after": "yesterday"}),
        ("/organisations/feed/", {"sort": "size"}),
    ],
)
def test_a_wrong_filter_is_refused_with_the_reason(client, url, params):
    response = client.get(url, params)
    assert response.status_code == 400
    text = response.content.decode()
    [(name, value)] = params.items()
    assert text.startswith("No feed: fix the filters.\n")
    assert f"{name}: " in text


def test_a_wrong_filter_is_refused_in_the_feeds_language(client):
    response = client.get("/fr/organisations/feed/", {"country": "XX"})
    assert response.status_code == 400
    assert "XX n’en fait pas partie" in response.content.decode()


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_personal_address_is_in_any_feed(client, settled, azad, language):
    answers.confirm(azad)
    network = Network.objects.get(slug=NETWORK_WITH_ADDRESS[0])
    answers.confirm(network)
    for url, params, name, address in [
        ("/advocates/feed/", {"country": "BE"}, azad.name, ADVOCATE_WITH_ADDRESS[1]),
        ("/networks/feed/", {"country": "DE"}, network.name, NETWORK_WITH_ADDRESS[1]),
    ]:
        response = client.get(language + url, params)
        content = response.content.decode()
        assert feedparser.parse(response.content).entries[0].title == name
        assert address.lower() not in content.lower()
        assert address.split("@")[0].lower() not in content.lower()


def test_a_search_carries_into_the_feed(client):
    feed = read_feed(client, "/organisations/feed/", {"q": "radio"})
    assert "Refugee Radio Network" in {entry.title for entry in feed.entries}
    assert feed.feed.title == "Organisations matching “radio” · Migrant-led Europe directory"


# choices of 7 term filters + the 50 rows + 3 prefetches (countries, cities, focus areas) + the
# latest history entries + the terms the compared entries held
ORGANISATION_FEED_QUERIES = 13
ORGANISATION_FEED_WARM = 0  # the choices and the feed are cached
# choices of 6 term filters + rows + 4 prefetches (the 3, organisations) + history + terms
ADVOCATE_FEED_QUERIES = 13
ADVOCATE_FEED_WARM = 0
# choices of 4 term filters + rows + 4 prefetches (the 3, aliases) + history + terms
NETWORK_FEED_QUERIES = 11
NETWORK_FEED_WARM = 0

# Every filter but the network, each chosen as Humanity Crew has it (EPIM 2019 Annex 2, line 695)
# once it is confirmed and works on education too: the worst case, with entries to describe.
EVERY_ORGANISATION_FILTER = {
    "country": "GR",
    "city": "gr-athens",
    "focus": "education",
    "target_group": "refugees",
    "leadership": "refugee-led",
    "form": "organisation",
    "level": "global",
    "source": "epim-2019",
    "confirmed": "true",
    "modified_after": "2026-01-01T00:00:00Z",
    "q": "crew",
}


def test_the_organisations_feed_runs_the_same_queries_for_any_filter(
    client, settled, humanity_crew, azad, assert_cold_and_warm
):
    correct_focus_and_website(azad, humanity_crew)  # a change compared with the one before
    for params in [{}, GREECE, EVERY_ORGANISATION_FILTER]:
        response = assert_cold_and_warm(
            "/organisations/feed/", ORGANISATION_FEED_QUERIES, ORGANISATION_FEED_WARM, params
        )
        assert feedparser.parse(response.content).entries[0].title == "Humanity Crew"


def test_the_advocates_and_networks_feeds_run_a_fixed_number_of_queries(
    client, settled, azad, assert_cold_and_warm
):
    answers.confirm(azad)
    answers.confirm(Network.objects.get(slug=NETWORK_WITH_ADDRESS[0]))
    assert_cold_and_warm("/advocates/feed/", ADVOCATE_FEED_QUERIES, ADVOCATE_FEED_WARM)
    assert_cold_and_warm("/networks/feed/", NETWORK_FEED_QUERIES, NETWORK_FEED_WARM)


def test_the_list_page_links_its_feed_with_its_filters_and_search(client):
    content = client.get("/organisations/", {**GREECE, "q": "crew"}).content.decode()
    feed_url = "/organisations/feed/?country=GR&amp;leadership=refugee-led&amp;q=crew"
    assert (
        '<link rel="alternate" type="application/atom+xml" title="Refugee-led organisations in '
        f'Greece matching “crew”" href="{feed_url}">'
    ) in content
    assert f'<a href="{feed_url}" type="application/atom+xml" class="feed-link">' in content
    assert "Follow this list</a>" in content


@pytest.mark.parametrize(
    "url, follow",
    [
        ("/fr/advocates/", "Suivre cette liste"),
        ("/de/networks/", "Dieser Liste folgen"),
        ("/ar/organisations/", "تابع هذه القائمة"),
    ],
)
def test_every_list_links_its_feed_in_its_language(client, url, follow):
    content = client.get(url, {"country": "DE"}).content.decode()
    feed_url = url + "feed/?country=DE"
    assert f'type="application/atom+xml" class="feed-link">{follow}</a>' in content
    assert f'href="{feed_url}"' in content
    assert read_feed(client, feed_url).feed.link.endswith(url + "?country=DE")
