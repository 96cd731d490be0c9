"""An edit retires only the figures of the lists the edited record is part of (`figure_tags`).

A list's counts, facets, page and rendered cards stay cached through an edit elsewhere: the
next request for them runs only the warm page's queries, no count and no facet. The lists the
record is on, before the edit and after it, show it on the next request, and count it anew
when its values (countries, terms, leadership ...) or its publication changed; so do the lists
of other kinds that name it.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from orgs import caching
from orgs.models import Advocate, Affiliation, Country, Organisation
from tests.pages.test_list_queries import ORGANISATION_LIST_WARM

pytestmark = pytest.mark.django_db

LIST = "/organisations/"
API = "/api/v1/organisations/"


def queries_of(client, url, params=None) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return [query["sql"] for query in queries.captured_queries]


def counting(queries: list[str]) -> list[str]:
    """The queries that count: a list's count, or a facet's GROUP BY."""
    return [sql for sql in queries if "COUNT(" in sql.upper()]


def facet_counts(response, name) -> dict:
    facets = {facet.name: facet for facet in response.context["facets"]}
    return {option.value: option.count for option in facets[name].options}


def listed_count(client, **params) -> int:
    return client.get(LIST, params).context["page"].paginator.count


@pytest.fixture
def greek():
    """An organisation in Greece and nowhere else."""
    organisation = Organisation.objects.get(slug="velos-youth")
    assert list(organisation.countries.values_list("code", flat=True)) == ["GR"]
    return organisation


def test_a_rename_in_greece_leaves_germanys_list_cached(client, greek):
    client.get(LIST, {"country": "DE"})
    germany = listed_count(client, country="DE")
    greece = listed_count(client, country="GR")

    greek.name = "Velos Youth Athens"
    greek.save()

    warm = queries_of(client, LIST, {"country": "DE"})
    assert len(warm) == ORGANISATION_LIST_WARM and counting(warm) == []
    assert listed_count(client, country="DE") == germany
    # Greece's list shows the new name; its counts, which a rename does not change, stay.
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST, {"country": "GR"})
    assert "Velos Youth Athens" in response.content.decode()
    assert response.context["page"].paginator.count == greece
    assert counting([query["sql"] for query in queries.captured_queries]) == []


def test_a_new_description_leaves_every_count_and_order_cached(client, greek):
    """No list shows a description, and none counts or orders by it: every list's page is
    read as when warm (its rows, by the ids of the page: cached)."""
    elsewhere = {"country": "DE", "focus": "education"}
    assert not greek.focus_areas.filter(slug="education").exists()
    pages = [{}, {"country": "GR"}, elsewhere]
    for params in pages:
        client.get(LIST, params)

    greek.description = "Youth work in Athens, and now in Piraeus."
    greek.save()

    for params in pages:
        assert len(queries_of(client, LIST, params)) == ORGANISATION_LIST_WARM, params


def test_moving_an_organisation_from_greece_to_germany_retires_both(client, greek):
    last_first = {"sort": "-name"}  # Velos Youth on the first page
    greece = client.get(LIST, {"country": "GR", **last_first})
    assert "Velos Youth" in greece.content.decode()
    germany = client.get(LIST, {"country": "DE", **last_first})
    assert "Velos Youth" not in germany.content.decode()
    countries = facet_counts(germany, "country")

    greek.countries.set([Country.objects.get(pk="DE")])

    response = client.get(LIST, {"country": "GR", **last_first})
    assert response.context["page"].paginator.count == greece.context["page"].paginator.count - 1
    assert "Velos Youth" not in response.content.decode()
    response = client.get(LIST, {"country": "DE", **last_first})
    assert response.context["page"].paginator.count == germany.context["page"].paginator.count + 1
    assert "Velos Youth" in response.content.decode()
    # The country facet of Germany's list counts the whole list: Greece's count moved too.
    moved = facet_counts(response, "country")
    assert moved["DE"] == countries["DE"] + 1
    assert moved.get("GR", 0) == countries["GR"] - 1


def test_a_new_leadership_retires_the_lists_of_both(client, greek):
    before = greek.leadership
    after = "refugee-led" if before != "refugee-led" else "migrant-led"
    old = listed_count(client, leadership=before)
    new = listed_count(client, leadership=after)

    greek.leadership = after
    greek.save()

    assert listed_count(client, leadership=before) == old - 1
    assert listed_count(client, leadership=after) == new + 1


def affiliated() -> tuple[Advocate, Organisation]:
    affiliation = (
        Affiliation.objects.filter(advocate__is_published=True, organisation__is_published=True)
        .select_related("advocate", "organisation")
        .first()
    )
    return affiliation.advocate, affiliation.organisation


def test_a_rename_shows_at_once_on_every_list_it_appears_on(client):
    advocate, organisation = affiliated()
    place = {"country": organisation.countries.first().code}
    if organisation.cities.exists():
        place["city"] = organisation.cities.first().slug
    pages = [
        (LIST, place),
        (API, place),
        ("/advocates/", {"q": advocate.name}),  # its cards name their organisations
        ("/api/v1/advocates/", {"q": advocate.name}),
    ]
    for url, params in pages:
        assert organisation.name in client.get(url, params).content.decode(), url

    organisation.name = "Renamed At Once"
    organisation.save()

    for url, params in pages:
        assert "Renamed At Once" in client.get(url, params).content.decode(), url


def test_an_advocates_edit_leaves_the_organisations_figures_warm(client):
    advocate, organisation = affiliated()
    client.get(LIST)
    client.get(API)

    advocate.roles = "Coordinator, since this spring"
    advocate.save()

    assert len(queries_of(client, LIST)) == ORGANISATION_LIST_WARM
    assert queries_of(client, API) == []


def test_an_advocates_rename_shows_on_the_organisations_api_that_names_it(client):
    """The API's organisations name their advocates: a rename retires its pages (the web
    page's cards name none, and stay cached)."""
    advocate, organisation = affiliated()
    client.get(LIST, {"q": organisation.name})
    client.get(API, {"q": organisation.name})

    advocate.name = "Someone Renamed"
    advocate.save()

    assert len(queries_of(client, LIST, {"q": organisation.name})) == ORGANISATION_LIST_WARM
    assert "Someone Renamed" in client.get(API, {"q": organisation.name}).content.decode()


def test_a_bulk_change_retires_every_list(client, greek):
    client.get(LIST, {"country": "DE"})
    caching.changed()
    assert counting(queries_of(client, LIST, {"country": "DE"})) != []
