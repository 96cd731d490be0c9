"""Each API list runs a fixed number of queries, the same at any page size."""

import pytest

pytestmark = pytest.mark.django_db

# organisations: 7 filter choice lists + count + page + 10 prefetches of the record (aliases,
# countries, cities, levels, focus areas, target groups, claims, citations, affiliations with
# their citations, memberships) + the list's last change
LIST_QUERIES = {
    "organisations/": 28,
    "advocates/": 23,
    "networks/": 20,
    "surveys/": 3,
    "surveys/epim-2019-mapping/responses/": 5,
    "surveys/epim-2019-mapping/figures/": 4,
    "sources/": 2,
    "focus-areas/": 2,
    "target-groups/": 2,
    "levels/": 2,
    "network-types/": 2,
    "countries/": 2,
}
DETAIL_QUERIES = {
    "organisations/syrbanism/": 19,
    "advocates/edwar-hanna/": 15,
    "networks/grupp-39/": 14,
    "stats/organisations/?group_by=country&focus=housing": 9,
}


@pytest.mark.parametrize("path", LIST_QUERIES)
def test_a_list_runs_the_same_queries_at_any_page_size(client, django_assert_num_queries, path):
    for page_size in (5, 50):
        with django_assert_num_queries(LIST_QUERIES[path]):
            response = client.get(f"/api/v1/{path}", {"page_size": page_size})
        assert response.status_code == 200
        assert len(response.json()["results"]) == min(page_size, response.json()["count"])


@pytest.mark.parametrize("path", DETAIL_QUERIES)
def test_a_record_runs_a_fixed_number_of_queries(client, django_assert_num_queries, path):
    with django_assert_num_queries(DETAIL_QUERIES[path]):
        assert client.get(f"/api/v1/{path}").status_code == 200
