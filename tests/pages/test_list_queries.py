"""Each list page runs the same queries whatever is chosen: none, or every filter at once.

Filter values are validated against choices loaded once, facets and chips reuse that one
validation, so choosing more never costs more queries (a search costs one: the ids it matches,
found once for the count and every facet, which one statement counts together). Counts, facets
and choices are cached until the directory changes: a second request runs only the page's own
queries. Each count is asserted exactly, on an empty cache (cold) and on a filled one (warm).
"""

from datetime import date

import pytest

from orgs.models import (
    Advocate,
    AdvocateCitation,
    City,
    FocusArea,
    Membership,
    Network,
    NetworkType,
    Organisation,
    OrganisationCitation,
    Source,
    TargetGroup,
    WorkLevel,
)
from orgs.selectors import filters
from tests.responses import listed

pytestmark = pytest.mark.django_db

# choices of 7 term filters + the 9 facets and the count in one statement + the page's ids +
# its rows + 3 prefetches (countries, cities, focus)
ORGANISATION_LIST_QUERIES = 13
# the page's rows + 3 prefetches
ORGANISATION_LIST_WARM = 4
SEARCH = 1  # the ids the search matches
# choices of 6 term filters + the 6 facets and the count + page ids + page + 4 prefetches (the
# 3, organisations)
ADVOCATE_LIST_QUERIES = 13
ADVOCATE_LIST_WARM = 5
# network types + their counts + choices of 4 term filters + the 5 facets and the count + page
# ids + page + 4 prefetches (the 3, aliases)
NETWORK_LIST_QUERIES = 13
# network types + page + 4 prefetches
NETWORK_LIST_WARM = 6


def give_terms(record):
    """Berlin, Germany; integration; refugees; EU level."""
    record.countries.set(["DE"])
    record.cities.set([City.objects.get(slug="de-berlin")])
    record.focus_areas.set([FocusArea.objects.get(slug="integration")])
    record.target_groups.set([TargetGroup.objects.get(slug="refugees")])
    record.levels.set([WorkLevel.objects.get(slug="eu")])


@pytest.fixture
def epim():
    return Source.objects.get(key="epim-2019")


@pytest.fixture
def matches_every_filter(epim):
    organisation = Organisation.objects.create(
        slug="every-filter",
        name="Every filter organisation",
        form="network",
        leadership="refugee-led",
        leadership_evidence="named-by-report",
        confirmed_on=date(2026, 3, 5),
    )
    give_terms(organisation)
    OrganisationCitation.objects.create(organisation=organisation, source=epim, locator="test")
    Membership.objects.create(
        network=Network.objects.get(slug="grupp-39"), organisation=organisation
    )
    return organisation


EVERY_ORGANISATION_FILTER = {
    "country": "DE",
    "city": "de-berlin",
    "focus": "integration",
    "target_group": "refugees",
    "leadership": "refugee-led",
    "form": "network",
    "level": "eu",
    "network": "grupp-39",
    "source": "epim-2019",
    "q": "Every filter",
    "modified_after": "2020-01-01T00:00:00Z",
    "confirmed": "true",
    "sort": "-country",
}


def test_the_organisations_list_runs_the_same_queries_with_no_filter_and_every_filter(
    assert_cold_and_warm, matches_every_filter
):
    cold, warm = ORGANISATION_LIST_QUERIES, ORGANISATION_LIST_WARM
    assert assert_cold_and_warm("/organisations/", cold, warm).status_code == 200
    response = assert_cold_and_warm(
        "/organisations/", cold + SEARCH, warm, EVERY_ORGANISATION_FILTER
    )
    assert listed(response) == ["/organisations/every-filter/"]
    assert_cold_and_warm("/organisations/", cold, warm, {"page": "2"})
    assert_cold_and_warm("/organisations/", cold, warm, {"country": "GR", "focus": "health"})


def test_a_search_with_more_matches_than_its_ids_carry_costs_no_more_queries(
    assert_cold_and_warm, matches_every_filter, monkeypatch
):
    # The worst case: every filter, and a search run again inside the statement of the facets
    # and the count rather than passed to it as its ids.
    monkeypatch.setattr(filters, "SEARCH_IDS", 0)
    cold, warm = ORGANISATION_LIST_QUERIES, ORGANISATION_LIST_WARM
    response = assert_cold_and_warm(
        "/organisations/", cold + SEARCH, warm, EVERY_ORGANISATION_FILTER
    )
    assert listed(response) == ["/organisations/every-filter/"]
    facets = {facet.name: facet for facet in response.context["facets"]}
    assert [(o.value, o.count) for o in facets["country"].options] == [("DE", 1)]


def test_the_advocates_list_runs_the_same_queries_with_no_filter_and_every_filter(
    assert_cold_and_warm, epim
):
    advocate = Advocate.objects.create(
        slug="every-filter", name="Every filter advocate", confirmed_on=date(2026, 3, 5)
    )
    give_terms(advocate)
    AdvocateCitation.objects.create(advocate=advocate, source=epim, locator="test")
    every_filter = {
        key: EVERY_ORGANISATION_FILTER[key]
        for key in ("country", "city", "focus", "target_group", "level", "source", "q", "confirmed")
    }
    cold, warm = ADVOCATE_LIST_QUERIES, ADVOCATE_LIST_WARM
    assert assert_cold_and_warm("/advocates/", cold, warm).status_code == 200
    response = assert_cold_and_warm("/advocates/", cold + SEARCH, warm, every_filter)
    assert listed(response) == ["/advocates/every-filter/"]


def test_the_networks_list_runs_the_same_queries_with_no_filter_and_every_filter(
    assert_cold_and_warm,
):
    network = Network.objects.create(
        slug="every-filter",
        name="Every filter network",
        formalisation="informal",
        network_type=NetworkType.objects.get(slug="informal-group"),
        confirmed_on=date(2026, 3, 5),
    )
    give_terms(network)
    every_filter = {
        "type": "informal-group",
        "country": "DE",
        "formalisation": "informal",
        "focus": "integration",
        "target_group": "refugees",
        "q": "Every filter",
        "confirmed": "true",
    }
    cold, warm = NETWORK_LIST_QUERIES, NETWORK_LIST_WARM
    assert assert_cold_and_warm("/networks/", cold, warm).status_code == 200
    response = assert_cold_and_warm("/networks/", cold + SEARCH, warm, every_filter)
    assert listed(response) == ["/networks/every-filter/"]


def test_a_wrong_filter_costs_no_more_queries_than_a_right_one(assert_cold_and_warm):
    # The page shows the form and the facets, without a list: no page ids, page or prefetches.
    response = assert_cold_and_warm(
        "/organisations/", ORGANISATION_LIST_QUERIES - 5, 0, {"country": "XX", "focus": "knitting"}
    )
    assert response.status_code == 400
