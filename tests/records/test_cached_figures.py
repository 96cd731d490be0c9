"""Counts, facets and overviews come from the cache, and an edit shows on the next request.

Every figure is cached under the tags of what it depends on (see
`test_edits_retire_their_lists`): a save, a delete, a many-to-many change and the bulk writes
of merges, imports and synthetic records replace them.
Lists go only so deep, and a very long facet lists its first options with a link to all.
"""

from datetime import date

import pytest
from django.core.cache import cache

from orgs import caching, figure_tags, paging
from orgs.models import City, Country, FocusArea, Organisation
from orgs.seeding import synthetic
from orgs.selectors import facets, filters, overviews
from orgs.services import merging, pending_imports
from tests.servers import redis_is_running

pytestmark = pytest.mark.django_db

LIST = "/organisations/"


def facet_counts(response, name):
    facets = {facet.name: facet for facet in response.context["facets"]}
    return {option.value: option.count for option in facets[name].options}


def new_organisation(slug, **terms):
    organisation = Organisation.objects.create(slug=slug, name=slug.replace("-", " ").title())
    for relation, values in terms.items():
        getattr(organisation, relation).set(values)
    return organisation


def test_a_new_organisation_shows_on_the_next_request(client):
    before = client.get(LIST, {"country": "GR"})
    count = before.context["page"].paginator.count
    focus = facet_counts(before, "focus")
    assert client.get("/").context["counts"]["organisations"] == Organisation.objects.count()

    new_organisation(
        "new-in-athens", countries=["GR"], focus_areas=[FocusArea.objects.get(slug="health")]
    )

    after = client.get(LIST, {"country": "GR"})
    assert after.context["page"].paginator.count == count + 1
    assert facet_counts(after, "focus")["health"] == focus.get("health", 0) + 1
    assert client.get("/").context["counts"]["organisations"] == Organisation.objects.count()
    assert "New In Athens" in client.get("/countries/GR/").content.decode()


def test_the_rendered_list_shows_a_rename_on_the_next_request(client):
    """The cards and facets are cached as rendered, per address and version."""
    assert "Velos Youth" in client.get(LIST, {"country": "GR"}).content.decode()
    velos = Organisation.objects.get(slug="velos-youth")
    velos.name = "Velos Youth Athens"
    velos.save()
    assert "Velos Youth Athens" in client.get(LIST, {"country": "GR"}).content.decode()


def test_each_language_has_its_own_rendered_list(client):
    english = client.get(LIST).content.decode()
    french = client.get("/fr" + LIST).content.decode()
    assert "<summary>Country" in english and "<summary>Pays" in french
    assert client.get(LIST).content.decode() == english


def test_a_hidden_organisation_leaves_every_count_at_once(client):
    organisation = Organisation.objects.filter(countries="DE").first()
    germany = client.get("/api/v1/countries/DE/").json()["counts"]["organisations"]
    listed = client.get(LIST, {"country": "DE"}).context["page"].paginator.count

    organisation.is_published = False
    organisation.save()

    assert client.get("/api/v1/countries/DE/").json()["counts"]["organisations"] == germany - 1
    assert client.get(LIST, {"country": "DE"}).context["page"].paginator.count == listed - 1
    stats = client.get("/api/v1/stats/organisations/", {"group_by": "country"}).json()
    assert {g["value"]: g["count"] for g in stats["groups"]}["DE"] == germany - 1


def test_a_term_added_from_either_side_changes_the_facets(client):
    organisation = new_organisation("moves-around", countries=["PT"])
    lisbon = City.objects.get(slug="pt-lisbon")
    assert "pt-lisbon" not in facet_counts(client.get(LIST, {"q": "moves around"}), "city")

    lisbon.organisations.add(organisation)  # the city's side of the relation

    assert facet_counts(client.get(LIST, {"q": "moves around"}), "city")["pt-lisbon"] == 1


def test_a_merge_is_counted_at_once(client):
    keep, duplicate = Organisation.objects.filter(countries="PT")[:2]
    count = client.get(LIST, {"country": "PT"}).context["page"].paginator.count

    merging.merge(keep, [duplicate])

    assert client.get(LIST, {"country": "PT"}).context["page"].paginator.count == count - 1


def test_synthetic_records_are_counted_and_uncounted_at_once(client):
    total = client.get("/").context["counts"]["organisations"]
    synthetic.generate(organisations=5, advocates=0, networks=0)
    assert client.get("/").context["counts"]["organisations"] == total + 5
    synthetic.delete_synthetic()
    assert client.get("/").context["counts"]["organisations"] == total


def test_cached_counts_are_the_databases_after_edits(client):
    Organisation.objects.filter(countries="GR").first().countries.add(Country.objects.get(pk="PT"))
    new_organisation("second-in-lisbon", countries=["PT"])
    client.get(LIST, {"leadership": "refugee-led"})  # cache, then check against the database
    response = client.get(LIST, {"leadership": "refugee-led"})
    refugee_led = Organisation.objects.filter(leadership="refugee-led")
    assert response.context["page"].paginator.count == refugee_led.count()
    countries = facet_counts(response, "country")
    for code in ("GR", "PT", "DE"):
        assert countries.get(code, 0) == refugee_led.filter(countries=code).count()
    by_country = dict((code, count) for code, _, count in overviews.organisations_by_country())
    assert by_country["PT"] == Organisation.objects.filter(countries="PT").count()


def test_a_tag_changes_now_and_again_when_the_transaction_commits(
    django_capture_on_commit_callbacks,
):
    first = caching.token([caching.TERMS])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        caching.changed()
        caching.changed()  # one callback per transaction, however many changes
        second = caching.token([caching.TERMS])
    assert len(callbacks) == 1
    assert first != second != caching.token([caching.TERMS])


EVERY_TAG = figure_tags.of_everything()


def test_a_change_of_an_unshown_row_keeps_the_figures():
    before = caching.token(EVERY_TAG)
    from orgs.models import Suggestion

    Suggestion.objects.create(kind="new-organisation", message="Hello", sender_email="a@b.org")
    assert caching.token(EVERY_TAG) == before


def test_an_upload_waiting_for_its_confirmation_keeps_the_figures(editor):
    before = caching.token(EVERY_TAG)
    pending_imports.keep_upload(editor, name="list.csv", format="csv", data=b"name\n")
    assert caching.token(EVERY_TAG) == before


# Bounded depth: a page past MAX_DEPTH records asks to narrow the list.


@pytest.fixture
def shallow(monkeypatch):
    monkeypatch.setattr(paging, "MAX_DEPTH", 40)


def test_a_page_past_the_depth_asks_to_narrow_the_list(client, shallow):
    total = Organisation.objects.count()
    assert total > 60
    response = client.get(LIST, {"page": "2"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Pages go up to 2" in content
    assert f"<strong>{total}</strong>" in content
    too_deep = client.get(LIST, {"page": "3"})
    assert too_deep.status_code == 400
    assert "Narrow this list with a filter or a search" in too_deep.content.decode()
    beyond = client.get(LIST, {"page": "1000"})
    assert beyond.status_code == 404  # no such page at all


def test_an_api_page_past_the_depth_is_refused_with_the_reason(client, shallow):
    ok = client.get("/api/v1/organisations/", {"page": "4", "page_size": "10"})
    assert ok.status_code == 200
    assert ok.json()["next"] is None  # no link to a page that would be refused
    response = client.get("/api/v1/organisations/", {"page": "5", "page_size": "10"})
    assert response.status_code == 400
    assert "Narrow this list" in response.json()["page"][0]
    assert client.get("/api/v1/organisations/", {"page": "999"}).status_code == 404


# A very long facet.


def test_a_very_long_facet_lists_its_first_options_and_links_to_all(client, monkeypatch):
    monkeypatch.setattr(facets, "LISTED_OPTIONS", 10)
    response = client.get(LIST)
    cities = {facet.name: facet for facet in response.context["facets"]}["city"]
    assert len(cities.top) + len(cities.more) == 10
    assert cities.unlisted == cities.total - 10 > 0
    assert len(cities.options) == 10
    assert f"List all {cities.total}" in response.content.decode()
    everything = client.get(LIST, {"show": "city"})
    cities = {facet.name: facet for facet in everything.context["facets"]}["city"]
    assert cities.unlisted == 0 and len(cities.top) + len(cities.more) == cities.total
    content = everything.content.decode()
    assert content.count('name="city"') == cities.total == len(cities.options)


# The same in a cache shared by several servers.


def redis_url() -> str:
    return "redis://127.0.0.1:6379/13"


@pytest.mark.skipif(not redis_is_running(), reason="no Redis on 127.0.0.1:6379")
def test_with_redis_an_edit_shows_on_the_next_request(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url(),
        }
    }
    cache.clear()
    try:
        count = client.get(LIST, {"country": "GR"}).context["page"].paginator.count
        new_organisation("greek-in-redis", countries=["GR"])
        assert client.get(LIST, {"country": "GR"}).context["page"].paginator.count == count + 1
    finally:
        cache.clear()


def test_checked_dates_do_not_matter_to_counts(client):
    """A change that no figure shows still gives correct figures (it merely recounts)."""
    organisation = Organisation.objects.first()
    count = client.get(LIST).context["page"].paginator.count
    organisation.checked_on = date(2026, 1, 1)
    organisation.save()
    assert client.get(LIST).context["page"].paginator.count == count


def test_a_search_with_many_matches_counts_the_same_without_its_ids(client, monkeypatch):
    by_ids = client.get(LIST, {"q": "refugee"})
    assert by_ids.context["page"].paginator.count > 2
    monkeypatch.setattr(filters, "SEARCH_IDS", 2)  # too many to count by their ids
    cache.clear()
    searched_again = client.get(LIST, {"q": "refugee"})
    assert searched_again.context["page"].paginator.count == by_ids.context["page"].paginator.count
    for name in ("country", "focus", "leadership"):
        assert facet_counts(searched_again, name) == facet_counts(by_ids, name)
