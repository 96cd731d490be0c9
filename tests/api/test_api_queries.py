"""Each API list runs a fixed number of queries, the same at any page size.

Counts, filter choices, the overview figures and the lists' pages are cached until the directory
changes, so each is asserted on an empty cache (cold) and again on the filled one (warm).
"""

import pytest

pytestmark = pytest.mark.django_db

# organisations, cold: 7 filter choice lists + count + the page's ids + its rows + 11
# prefetches of the record (aliases, countries, cities, levels, focus areas, target groups,
# claims, citations, affiliations and their citations, memberships) + the list's last change.
# Vocabularies: the terms and, cold, one count per kind of record. Warm: none, a page of a list
# is cached whole. A survey's responses and figures: their page, not cached.
LIST_QUERIES = {
    "organisations/": (22, 0),
    "advocates/": (18, 0),
    "networks/": (17, 0),
    "surveys/": (3, 0),
    "surveys/epim-2019-mapping/responses/": (5, 5),
    "surveys/epim-2019-mapping/figures/": (4, 4),
    "sources/": (4, 0),
    "focus-areas/": (4, 0),
    "target-groups/": (4, 0),
    "levels/": (4, 0),
    "network-types/": (2, 0),
    "countries/": (4, 0),
}
DETAIL_QUERIES = {
    "organisations/syrbanism/": (19, 12),
    # cold: the record with its terms and places (6), the ranking's term frequencies, its
    # two queries (a sample, then the candidates that can beat it) and the partners with their
    # terms; warm: the record with its terms and places (the partners are cached as found)
    "organisations/syrbanism/similar/": (18, 6),
    "advocates/edwar-hanna/": (15, 9),
    "networks/grupp-39/": (14, 10),
    "countries/DE/": (4, 1),
    "stats/organisations/?group_by=country&focus=housing": (9, 0),
}


@pytest.mark.parametrize("path", LIST_QUERIES)
def test_a_list_runs_the_same_queries_at_any_page_size(client, assert_cold_and_warm, path):
    cold, warm = LIST_QUERIES[path]
    for page_size in (5, 50):
        response = assert_cold_and_warm(f"/api/v1/{path}", cold, warm, {"page_size": page_size})
        assert response.status_code == 200
        assert len(response.json()["results"]) == min(page_size, response.json()["count"])


@pytest.mark.parametrize("path", DETAIL_QUERIES)
def test_a_record_runs_a_fixed_number_of_queries(assert_cold_and_warm, path):
    cold, warm = DETAIL_QUERIES[path]
    assert assert_cold_and_warm(f"/api/v1/{path}", cold, warm).status_code == 200
