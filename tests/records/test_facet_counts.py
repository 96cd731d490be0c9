"""The facets' counts, all taken in one statement, equal the counts the ORM gives one value at a
time: for several combinations of filters on each list, with a search passed as its ids and
one run again inside the statement, with a record the public may not see, and with filters
that are no facet (a date, confirmation). The lists' counts too, with and without each filter,
and the lists' records.
"""

from datetime import date

import pytest
from django.core.cache import cache
from django.http import QueryDict

from orgs.models import Advocate, Membership, Network, Organisation, Source
from orgs.selectors import facets, filters, public_records
from orgs.selectors.filters import AdvocateFilterSet, NetworkFilterSet, OrganisationFilterSet
from orgs.selectors.search import matching

pytestmark = pytest.mark.django_db

CHECKED_WITHOUT_COUNT = 40  # values of a long facet (cities, networks) counted one by one


def filterset_for(filterset_class, base, params: dict):
    query = QueryDict(mutable=True)
    for name, value in params.items():
        query.setlist(name, value if isinstance(value, list) else [value])
    filterset = filterset_class(query, queryset=base)
    assert filterset.is_valid(), filterset.errors
    return filterset


def records_without(filterset, base, excluded: str):
    """The public records every chosen filter but `excluded` selects, with plain ORM lookups on
    the filters' fields, one subquery per filter."""
    model = base.model
    records = model.objects.published()
    for name, value in filterset.form.cleaned_data.items():
        if name in (excluded, "sort") or not value:
            continue
        if name == "q":
            records = records.filter(pk__in=matching(base, value).values("pk"))
        elif name == "confirmed":
            records = records.filter(confirmed_on__isnull=value == "false")
        elif name == "modified_after":
            records = records.filter(updated_at__gte=value)
        else:
            field = filterset.filters[name].field_name
            records = records.filter(pk__in=model.objects.filter(**{f"{field}__in": value}))
    return records


def expected_counts(filterset, base, name: str, found: dict[str, int]) -> dict[str, int]:
    """Each value's count, one query per value: every value the fast path found, and the
    others up to CHECKED_WITHOUT_COUNT (which must all be 0)."""
    model, field = base.model, filterset.filters[name].field_name
    records = records_without(filterset, base, name)
    values = [str(value) for value, _ in filterset.filters[name].extra["choices"]]
    others = [value for value in values if value not in found][:CHECKED_WITHOUT_COUNT]
    counts = {}
    for value in [value for value in values if value in found] + others:
        with_value = model.objects.filter(**{field: value})
        count = records.filter(pk__in=with_value).count()
        if count:
            counts[value] = count
    return counts


def assert_counts_as_the_orm_gives_them(filterset_class, base, params, expect_some: str):
    cache.clear()
    filterset = filterset_for(filterset_class, base, params)
    found = facets.every_facet_count(filterset)
    assert set(found) == {facets.TOTAL, *filterset.choice_filters()}
    for name in filterset.choice_filters():
        assert found[name] == expected_counts(filterset, base, name, found[name]), name
    # The combination selects something: a test on empty facets would prove little.
    assert sum(found[expect_some].values()) > 0
    total = records_without(filterset, base, "").count()
    assert found[facets.TOTAL] == {facets.TOTAL: total}
    # The list itself (its link tables intersected) holds the same records.
    listed = set(filterset.qs.values_list("pk", flat=True))
    assert listed == set(records_without(filterset, base, "").values_list("pk", flat=True))
    # The list's counts in statements of their own (no facets counted in this request).
    filterset = filterset_for(filterset_class, base, params)
    assert facets.list_count(filterset) == total
    for name, value in filterset.form.cleaned_data.items():
        if value and name != "sort":
            expected = records_without(filterset, base, name).count()
            assert facets.list_count(filterset, without=name) == expected, name


@pytest.fixture
def hidden_german_organisation():
    """A German organisation with a focus and a report, hidden from the public."""
    organisation = (
        Organisation.objects.filter(countries="DE", focus_areas__isnull=False)
        .exclude(citations=None)
        .first()
    )
    organisation.is_published = False
    organisation.save()
    return organisation


@pytest.fixture
def member_and_report() -> tuple[str, str]:
    """A network with a public member, and the report that names the member."""
    membership = (
        Membership.objects.filter(organisation__is_published=True)
        .exclude(organisation__citations=None)
        .first()
    )
    citation = membership.organisation.citations.first()
    return membership.network.slug, citation.source.key


ORGANISATION_COMBINATIONS = [
    ({}, "country"),
    ({"country": "DE"}, "focus"),
    ({"country": ["DE", "IT"], "focus": "integration"}, "country"),
    ({"focus": ["integration", "health"], "source": "epim-2019"}, "level"),
    ({"q": "refugee", "country": "DE"}, "focus"),
    ({"q": "refugee"}, "leadership"),
    ({"modified_after": "2000-01-01T00:00:00Z", "country": "DE"}, "city"),
    ({"confirmed": "false", "focus": "integration", "form": "association"}, "country"),
]


@pytest.mark.parametrize(("params", "expect_some"), ORGANISATION_COMBINATIONS)
def test_organisation_facets_count_as_the_orm_does_one_value_at_a_time(
    params, expect_some, hidden_german_organisation
):
    base = public_records.organisation_list()
    assert_counts_as_the_orm_gives_them(OrganisationFilterSet, base, params, expect_some)


@pytest.mark.parametrize(("params", "expect_some"), ORGANISATION_COMBINATIONS[4:6])
def test_a_search_run_again_inside_the_statement_counts_the_same(
    params, expect_some, hidden_german_organisation, monkeypatch
):
    monkeypatch.setattr(filters, "SEARCH_IDS", 2)  # too many matches to pass as ids
    base = public_records.organisation_list()
    filterset = filterset_for(OrganisationFilterSet, base, params)
    assert filterset.search_ids() is None
    assert_counts_as_the_orm_gives_them(OrganisationFilterSet, base, params, expect_some)


def test_a_network_and_reports_count_each_organisation_once(member_and_report):
    network, report = member_and_report
    other = Source.objects.exclude(key=report).first().key
    params = {"network": network, "source": [report, other]}
    base = public_records.organisation_list()
    assert_counts_as_the_orm_gives_them(OrganisationFilterSet, base, params, "network")


def test_a_network_of_people_alone_is_no_option_for_organisations():
    network = Network.objects.create(slug="people-only", name="People only")
    Membership.objects.create(network=network, advocate=Advocate.objects.published().first())
    base = public_records.organisation_list()
    filterset = filterset_for(OrganisationFilterSet, base, {})
    assert "people-only" not in facets.every_facet_count(filterset)["network"]


def test_a_hidden_organisation_is_in_no_count(hidden_german_organisation):
    filterset = filterset_for(OrganisationFilterSet, public_records.organisation_list(), {})
    found = facets.every_facet_count(filterset)
    published = Organisation.objects.published()
    assert found["country"]["DE"] == published.filter(countries="DE").count()
    assert found["country"]["DE"] < Organisation.objects.filter(countries="DE").count()


@pytest.mark.parametrize(
    ("params", "expect_some"),
    [
        ({}, "country"),
        ({"country": "DE"}, "focus"),
        ({"focus": "integration", "level": ["local", "national"]}, "country"),
        ({"q": "refugee", "confirmed": "false"}, "country"),
    ],
)
def test_advocate_facets_count_as_the_orm_does_one_value_at_a_time(params, expect_some):
    base = public_records.advocate_list()
    assert_counts_as_the_orm_gives_them(AdvocateFilterSet, base, params, expect_some)


@pytest.mark.parametrize(
    ("params", "expect_some"),
    [
        ({}, "type"),
        ({"country": "DE"}, "type"),
        ({"focus": "integration", "formalisation": ["formal", "informal"]}, "country"),
    ],
)
def test_network_facets_count_as_the_orm_does_one_value_at_a_time(params, expect_some):
    base = public_records.network_list()
    assert_counts_as_the_orm_gives_them(NetworkFilterSet, base, params, expect_some)


def test_a_confirmed_record_counts_in_the_confirmed_list_only():
    organisation = Organisation.objects.filter(countries="DE").first()
    organisation.confirmed_on = date(2026, 3, 5)
    organisation.save()
    base = public_records.organisation_list()
    filterset = filterset_for(OrganisationFilterSet, base, {"confirmed": "true"})
    assert facets.every_facet_count(filterset)["country"] == {
        code.code: 1 for code in organisation.countries.all()
    }
    assert facets.list_count(filterset) == 1
