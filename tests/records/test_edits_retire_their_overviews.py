"""An edit retires only the overviews' figures and the like-minded partners it changes.

The home page, the country and focus pages and an organisation's partners are cached under the
tags of what they count (`figure_tags`): a rename counts nothing anew, a new focus area counts
that focus area's figures anew, and an organisation's partners are ranked again only when an
organisation sharing one of its focus areas is edited, or the weight of one of its terms
changes. Each page is read warm before the edit, and after it either runs exactly the warm
page's queries again or shows the edit at once.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from orgs.models import Country, FocusArea, Network, Organisation, WorkLevel

pytestmark = pytest.mark.django_db

HOME = "/"


def queries_of(client, url, params=None) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return [query["sql"] for query in queries.captured_queries]


def warm(client, url) -> list[str]:
    """The queries of a page read a second time, its figures cached."""
    client.get(url)
    return queries_of(client, url)


@pytest.fixture
def greek():
    """An organisation in Greece and nowhere else."""
    organisation = Organisation.objects.get(slug="velos-youth")
    assert list(organisation.countries.values_list("code", flat=True)) == ["GR"]
    return organisation


def test_a_rename_leaves_the_home_page_and_the_overviews_cached(client, greek):
    pages = [HOME, "/countries/", "/countries/DE/", "/countries/GR/", "/focus/"]
    before = {url: warm(client, url) for url in pages}

    greek.name = "Velos Youth Athens"
    greek.save()

    for url in pages:
        assert queries_of(client, url) == before[url], url
    assert "Velos Youth Athens" in client.get("/countries/GR/").content.decode()


def test_a_new_focus_area_is_counted_at_once_and_leaves_germany_cached(client, greek):
    focus = FocusArea.objects.exclude(organisations=greek).order_by("slug").first()
    germany = warm(client, "/countries/DE/")
    greece = client.get("/countries/GR/").context["focus"]
    in_greece = {term.slug: term.count for term in greece}.get(focus.slug, 0)
    listed = client.get(f"/focus/{focus.slug}/").context["organisation_count"]

    greek.focus_areas.add(focus)

    assert queries_of(client, "/countries/DE/") == germany
    greece = client.get("/countries/GR/").context["focus"]
    assert {term.slug: term.count for term in greece}[focus.slug] == in_greece + 1
    assert client.get(f"/focus/{focus.slug}/").context["organisation_count"] == listed + 1


def test_a_hidden_organisation_leaves_the_home_pages_count_at_once(client, greek):
    total = client.get(HOME).context["counts"]["organisations"]
    greek.is_published = False
    greek.save()
    assert client.get(HOME).context["counts"]["organisations"] == total - 1


def partner_slugs(response) -> list[str]:
    return [match.organisation.slug for match in response.context["like_minded"]]


def test_an_edit_sharing_no_focus_area_leaves_the_partners_cached(client):
    page = "/organisations/finjan/"
    finjan = Organisation.objects.get(slug="finjan")
    before = warm(client, page)
    partners = partner_slugs(client.get(page))
    assert "women-for-refugee-women" in partners
    unrelated = (
        Organisation.objects.published()
        .exclude(focus_areas__in=finjan.focus_areas.all())
        .exclude(pk=finjan.pk)
        .order_by("slug")
        .first()
    )

    unrelated.name = f"{unrelated.name} (renamed)"
    unrelated.save()
    unrelated.cities.clear()

    assert queries_of(client, page) == before


def test_a_partners_edit_shows_on_the_page_at_once(client):
    page = "/organisations/finjan/"
    client.get(page)
    partner = Organisation.objects.get(slug="women-for-refugee-women")

    partner.name = "Women for Refugee Women (renamed)"
    partner.save()

    assert "Women for Refugee Women (renamed)" in client.get(page).content.decode()


def test_an_organisation_that_comes_to_share_its_rare_focus_becomes_a_partner_at_once(client):
    page = "/organisations/finjan/"
    finjan = Organisation.objects.get(slug="finjan")
    newcomer = Organisation.objects.create(
        slug="newcomer-on-detention", name="Newcomer On Detention"
    )
    newcomer.countries.set([Country.objects.get(pk="GR")])
    assert "newcomer-on-detention" not in partner_slugs(client.get(page))

    newcomer.focus_areas.set(finjan.focus_areas.all())

    assert "newcomer-on-detention" in partner_slugs(client.get(page))
    newcomer.focus_areas.clear()
    assert "newcomer-on-detention" not in partner_slugs(client.get(page))


def network_levels(client) -> dict:
    response = client.get("/api/v1/levels/")
    return {level["slug"]: level["counts"]["networks"] for level in response.json()["results"]}


def test_a_networks_new_level_of_work_is_counted_at_once(client):
    """No list of networks filters by level, yet the vocabularies count networks by it."""
    network = Network.objects.published().order_by("slug").first()
    level = WorkLevel.objects.exclude(networks=network).order_by("position").first()
    before = network_levels(client)

    network.levels.add(level)

    assert network_levels(client)[level.slug] == before[level.slug] + 1
    network.levels.clear()
    assert network_levels(client)[level.slug] == before[level.slug]
