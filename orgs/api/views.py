"""The funders' API for organisations, advocates, networks, vocabularies and counts.

The lists use the web pages' FilterSets and the selectors' querysets: a filter added to a
FilterSet appears on the page and here at once.
"""

from django.http import Http404
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from orgs.api.base import DirectoryViewSet
from orgs.api.csv_sql import records_csv
from orgs.api.serializers import (
    AdvocateSerializer,
    CountrySerializer,
    FocusAreaSerializer,
    LevelSerializer,
    NetworkSerializer,
    NetworkTypeSerializer,
    OrganisationSerializer,
    SimilarOrganisationSerializer,
    SourceSerializer,
    StatsSerializer,
    TargetGroupSerializer,
    can_see_personal_addresses,
)
from orgs.models import (
    Country,
    FocusArea,
    FormerAdvocateSlug,
    FormerOrganisationSlug,
    NetworkType,
    Source,
    TargetGroup,
    WorkLevel,
)
from orgs.selectors import facets, overviews, partners, public_records
from orgs.selectors.filters import (
    AdvocateFilterSet,
    ChoicesFilter,
    NetworkFilterSet,
    OrganisationFilterSet,
)

OTHER_COUNTRIES = OpenApiParameter(
    "other_countries",
    OpenApiTypes.STR,
    enum=["1"],
    description="`1`: only organisations in none of this organisation's countries.",
)


class OrganisationViewSet(DirectoryViewSet):
    """Organisations, with the filters of the organisations page."""

    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilterSet
    csv_filename = "organisations.csv"
    csv_writer = staticmethod(records_csv)
    former_slugs = FormerOrganisationSlug
    action_parameters = {"similar": {"other_countries"}}
    selector = staticmethod(public_records.organisation_records)

    def get_queryset(self):
        if self.action == "similar":  # the organisation's own terms and places, nothing else
            return public_records.public_organisations().prefetch_related(*partners.OWN_TERMS)
        return super().get_queryset()

    @extend_schema(
        parameters=[OTHER_COUNTRIES],
        responses=SimilarOrganisationSerializer(many=True),
        summary="Like-minded organisations",
    )
    @action(detail=True, filter_backends=[], pagination_class=None)
    def similar(self, request, slug=None):
        """Organisations sharing this one's focus areas, target groups and levels of work,
        best first, each with the shared terms that explain the match."""
        organisation = self.get_object()
        other_countries = request.query_params.get("other_countries", "")
        if other_countries not in ("", "1"):
            raise ValidationError({"other_countries": ["Give 1, or leave it out."]})
        matches = partners.like_minded(organisation, other_countries=other_countries == "1")
        context = self.get_serializer_context()
        return Response(SimilarOrganisationSerializer(matches, many=True, context=context).data)


class PersonalAddressesForTokens:
    """Token holders' querysets select the personal addresses; nobody else's do."""

    def get_queryset(self):
        records = self.selector()
        if can_see_personal_addresses(self.request):
            return public_records.with_personal_addresses(records)
        return records


class AdvocateViewSet(PersonalAddressesForTokens, DirectoryViewSet):
    """People the reports name. `personal_email` appears only for callers with a token."""

    serializer_class = AdvocateSerializer
    filterset_class = AdvocateFilterSet
    csv_filename = "advocates.csv"
    csv_writer = staticmethod(records_csv)
    former_slugs = FormerAdvocateSlug
    selector = staticmethod(public_records.advocate_records)


class NetworkViewSet(PersonalAddressesForTokens, DirectoryViewSet):
    """Integration networks with their ERASMI profiles, coordinators and members."""

    serializer_class = NetworkSerializer
    filterset_class = NetworkFilterSet
    csv_filename = "networks.csv"
    csv_writer = staticmethod(records_csv)
    selector = staticmethod(public_records.network_records)


class CountedTermsViewSet(DirectoryViewSet):
    # Terms with how many records have each: a short list whose counts come from the cache
    # (`overviews.with_record_counts`); one of them is found in it by its key. (A comment, not
    # a docstring: the API documentation keeps describing each collection as before.)

    def get_object(self):
        value = self.kwargs[self.lookup_field]
        for term in self.get_queryset():
            if str(getattr(term, self.lookup_field)) == value:
                return term
        raise Http404("No such term.")


class FocusAreaViewSet(CountedTermsViewSet):
    """Focus areas (fields of action), with how many records of each kind work on each."""

    queryset = FocusArea.objects.none()  # names the model for the schema
    serializer_class = FocusAreaSerializer
    csv_filename = "focus-areas.csv"
    selector = staticmethod(overviews.focus_areas_with_counts)


class TargetGroupViewSet(CountedTermsViewSet):
    queryset = TargetGroup.objects.none()  # names the model for the schema
    serializer_class = TargetGroupSerializer
    csv_filename = "target-groups.csv"
    selector = staticmethod(overviews.target_groups_with_counts)


class LevelViewSet(CountedTermsViewSet):
    """Levels of work: local, national, EU, global."""

    queryset = WorkLevel.objects.none()  # names the model for the schema
    serializer_class = LevelSerializer
    csv_filename = "levels.csv"
    selector = staticmethod(overviews.levels_with_counts)


class NetworkTypeViewSet(CountedTermsViewSet):
    """The seven network types of the ERASMI typology, with how many networks each has."""

    queryset = NetworkType.objects.none()  # names the model for the schema
    serializer_class = NetworkTypeSerializer
    csv_filename = "network-types.csv"
    selector = staticmethod(overviews.network_types_with_counts)


class CountryViewSet(CountedTermsViewSet):
    """Countries the directory's records work or live in (ISO 3166-1 alpha-2 codes)."""

    queryset = Country.objects.none()  # names the model for the schema
    serializer_class = CountrySerializer
    lookup_field = "code"
    csv_filename = "countries.csv"
    selector = staticmethod(overviews.countries_with_counts)

    def get_object(self):
        self.kwargs["code"] = self.kwargs["code"].upper()
        return super().get_object()


class SourceViewSet(CountedTermsViewSet):
    """The published reports every record cites."""

    queryset = Source.objects.none()  # names the model for the schema
    serializer_class = SourceSerializer
    lookup_field = "key"
    csv_filename = "sources.csv"
    selector = staticmethod(overviews.sources_with_counts)


GROUPS = [
    name for name, f in OrganisationFilterSet.base_filters.items() if isinstance(f, ChoicesFilter)
]


class FilteredCountsSchema(AutoSchema):
    """The counts take every filter of the list they count, though they answer one object:
    document them (drf-spectacular documents filters of lists only)."""

    def get_filter_backends(self):
        return self.view.filter_backends


class OrganisationStatsViewSet(DirectoryViewSet):
    """How many organisations each country, focus area, target group, leadership, level or
    form has, among those any of the organisations filters select; counted in the database."""

    filterset_class = OrganisationFilterSet
    serializer_class = StatsSerializer
    pagination_class = None
    csv_filename = "organisation-counts.csv"
    action_parameters = {"counts": {"group_by"}}
    selector = staticmethod(public_records.public_organisations)
    schema = FilteredCountsSchema()

    def known_parameters(self) -> set[str]:
        return super().known_parameters() | set(self.filterset_class.base_filters)

    @extend_schema(
        summary="Organisations counted by group",
        operation_id="v1_stats_organisations",
        parameters=[
            OpenApiParameter(
                "group_by",
                OpenApiTypes.STR,
                required=True,
                enum=GROUPS,
                description="What to count the selected organisations by.",
                examples=[OpenApiExample("By country", value="country")],
            )
        ],
        responses=StatsSerializer,
    )
    def counts(self, request, *args, **kwargs):
        filterset = self.filterset_class(request.query_params, queryset=self.get_queryset())
        group_by = request.query_params.get("group_by", "")
        groups = filterset.choice_filters()
        if group_by not in groups:
            raise ValidationError(
                {"group_by": [f"Choose one of: {', '.join(sorted(groups))} (got {group_by!r})."]}
            )
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        data = facets.organisation_counts(filterset, group_by)
        if self.wants_csv():
            return Response(data["groups"])
        return Response(StatsSerializer(data).data)
