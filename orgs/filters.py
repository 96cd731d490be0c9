"""FilterSets for organisations, advocates and networks: one definition for HTML pages and API.

Several values of one filter widen the result (Berlin or Paris); different filters narrow it
(Berlin and housing). Unknown values are form errors, never silently ignored.
"""

import django_filters
from django.db.models import Q
from django_countries import countries
from django_filters.fields import MultipleChoiceField

from .models import (
    Advocate,
    City,
    FocusArea,
    Form,
    Formalisation,
    Leadership,
    Network,
    NetworkType,
    Organisation,
    Source,
    TargetGroup,
    WorkLevel,
)

SEARCH_MAX_LENGTH = 200


class UpperCaseMultipleChoiceField(MultipleChoiceField):
    def to_python(self, value):
        return [item.upper() for item in super().to_python(value)]


class CountryFilter(django_filters.MultipleChoiceFilter):
    """ISO 3166 codes, case-insensitive on input (`de` or `DE`)."""

    field_class = UpperCaseMultipleChoiceField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, choices=list(countries), **kwargs)


def slug_choice(queryset, relation, label, to_field_name="slug"):
    """Values are slugs (or keys) in the URL, matched against the related record."""
    return django_filters.ModelMultipleChoiceFilter(
        queryset=queryset,
        field_name=f"{relation}__{to_field_name}",
        to_field_name=to_field_name,
        label=label,
        distinct=True,
    )


class SearchFilterSet(django_filters.FilterSet):
    """A keyword box over the fields each subclass names in `search_fields`."""

    q = django_filters.CharFilter(
        method="search", label="Search", max_length=SEARCH_MAX_LENGTH, strip=True
    )
    search_fields: tuple[str, ...] = ("name",)

    def search(self, queryset, name, value):
        condition = Q()
        for field in self.search_fields:
            condition |= Q(**{f"{field}__icontains": value})
        # Search across related names (aliases) by id, so the list needs no DISTINCT.
        return queryset.filter(pk__in=queryset.model.objects.filter(condition).values("pk"))


class OrganisationFilterSet(SearchFilterSet):
    country = CountryFilter(field_name="country", label="Country")
    city = slug_choice(City.objects.all(), "cities", "City")
    focus = slug_choice(FocusArea.objects.all(), "focus_areas", "Focus area")
    target_group = slug_choice(TargetGroup.objects.all(), "target_groups", "Target group")
    leadership = django_filters.MultipleChoiceFilter(choices=Leadership.choices, label="Leadership")
    form = django_filters.MultipleChoiceFilter(choices=Form.choices, label="Form")
    level = slug_choice(WorkLevel.objects.all(), "levels", "Level of work")
    network = slug_choice(Network.objects.all(), "memberships__network", "Network")
    source = slug_choice(Source.objects.all(), "citations__source", "Report", to_field_name="key")
    modified_after = django_filters.IsoDateTimeFilter(
        field_name="updated_at", lookup_expr="gte", label="Changed since"
    )
    sort = django_filters.OrderingFilter(
        fields=(("name", "name"), ("country", "country"), ("updated_at", "updated")),
        field_labels={"name": "Name", "country": "Country", "updated_at": "Last update"},
        label="Sort by",
    )

    search_fields = ("name", "aliases__name", "description", "focus_raw")

    class Meta:
        model = Organisation
        fields: list[str] = []


class AdvocateFilterSet(SearchFilterSet):
    country = CountryFilter(field_name="country", label="Country")
    city = slug_choice(City.objects.all(), "cities", "City")
    focus = slug_choice(FocusArea.objects.all(), "focus_areas", "Focus area")
    target_group = slug_choice(TargetGroup.objects.all(), "target_groups", "Target group")
    level = slug_choice(WorkLevel.objects.all(), "levels", "Level of work")
    source = slug_choice(Source.objects.all(), "citations__source", "Report", to_field_name="key")

    search_fields = ("name", "roles", "organisations__name", "focus_raw")

    class Meta:
        model = Advocate
        fields: list[str] = []


class NetworkFilterSet(SearchFilterSet):
    type = slug_choice(NetworkType.objects.all(), "network_type", "Type of network")
    country = CountryFilter(field_name="country", label="Country")
    formalisation = django_filters.MultipleChoiceFilter(
        choices=Formalisation.choices, label="Degree of formalisation"
    )
    focus = slug_choice(FocusArea.objects.all(), "focus_areas", "Field of action")
    target_group = slug_choice(TargetGroup.objects.all(), "target_groups", "Target group")

    search_fields = ("name", "description", "location_raw", "members_raw")

    class Meta:
        model = Network
        fields: list[str] = []
