"""What every endpoint of the funders' API shares: strict parameters, pagination, CSV, rates.

- A parameter the endpoint does not know, one given empty or given twice (only the filters
  take several values), a `format` it does not answer in, a `page_size` above the maximum, a
  page that is not a number (as CSV too): 400 with a JSON body naming the parameter and the
  reason; a page past the end: 404.
- Lists come as JSON or as CSV (`format=csv` or `Accept: text/csv`), every item in one file;
  the web pages' downloads are that CSV at the pages' addresses (`downloads`).
- Errors are always JSON, whatever format was asked for.
"""

import copy
import json

from django.conf import settings
from django.db.models import Max
from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import reverse
from django.utils.http import http_date
from django_filters import MultipleChoiceFilter
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import renderers, serializers, viewsets
from rest_framework.decorators import api_view, renderer_classes
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils import encoders

from orgs import caching, figure_tags
from orgs.api.csv_files import serialized_csv
from orgs.api.serializers import can_see_personal_addresses
from orgs.paging import (
    CountedPaginator,
    NoSuchPage,
    NotAPageNumber,
    PageNotGiven,
    TooDeep,
    page_number,
    page_of,
    whole_number,
)
from orgs.selectors import facets

FORMAT_PARAMETER = "format"
# The action of a web page's CSV download (`orgs.api.downloads`): the list's CSV at a page's
# address. No router routes it; the API's own addresses give the CSV with `format=csv`.
PAGE_DOWNLOAD = "download"


class DirectoryPagination(PageNumberPagination):
    """The web pages' paginator (`paging`), its errors as JSON: 400 for a page that is not a
    number or lies too deep, 404 for a page past the end."""

    page_size_query_param = "page_size"

    @property
    def page_size(self):
        return settings.API_PAGE_SIZE

    @property
    def max_page_size(self):
        return settings.API_MAX_PAGE_SIZE

    def check_parameters(self, request):
        """Both page parameters, valid or a 400 naming the wrong one."""
        self.get_page_size(request)
        asked_page(request, self.page_query_param)

    def get_page_size(self, request):
        return size_parameter(
            request, self.page_size_query_param, self.page_size, self.max_page_size
        )

    def paginate_queryset(self, queryset, request, view=None):
        """A page of the list, counted from the cache for a filtered list (see `paging`)."""
        self.request = request
        asked = asked_page(request, self.page_query_param)
        size = self.get_page_size(request)
        filterset = getattr(view, "filterset", None)
        if filterset is not None and filterset.is_valid():
            paginator = CountedPaginator(queryset, size, facets.list_count(filterset), filterset)
        else:
            paginator = CountedPaginator(queryset, size)
        self.page = api_page(paginator, asked, self.page_query_param)
        return list(self.page)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
                parameter["description"] = f"Items per page, up to {self.max_page_size}."
        return parameters

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["properties"]["count"]["description"] = "How many items the filters select."
        return response


# How the API answers a page it cannot give: the paginator's reason, with the API's status.
PAGE_ERRORS = {NotAPageNumber: ValidationError, TooDeep: ValidationError, NoSuchPage: NotFound}


def asked_page(request, parameter: str = "page") -> str:
    """The page asked for, checked: a 400 naming the parameter when it is not a page number."""
    asked = request.query_params.get(parameter, "1")
    try:
        page_number(asked)
    except NotAPageNumber as error:
        raise ValidationError({parameter: [str(error)]}) from error
    return asked


def api_page(paginator: CountedPaginator, asked: str, parameter: str = "page"):
    """Page `asked` of the paginator, or the API's error naming the parameter and the reason
    the web pages give too."""
    try:
        return page_of(paginator, asked)
    except PageNotGiven as error:
        raise PAGE_ERRORS[type(error)]({parameter: [str(error)]}) from error


def refuse_repeated(request, repeatable: set[str] = frozenset()):
    """A 400 naming each parameter given more than once that takes one value: which of them
    counts would be a guess."""
    repeated = sorted(
        name
        for name, values in request.query_params.lists()
        if len(values) > 1 and name not in repeatable
    )
    if repeated:
        raise ValidationError(
            {name: ["Given more than once: give one value."] for name in repeated}
        )


def size_parameter(request, name: str, default: int, largest: int) -> int:
    """A size parameter (`page_size`, HSDS's `per_page`): from 1 to `largest`, or a 400."""
    value = request.query_params.get(name)
    if value is None:
        return default
    number = whole_number(value)
    if number is None or not 1 <= number <= largest:
        reason = f"Enter a whole number from 1 to {largest} (got {value!r})."
        raise ValidationError({name: [reason]})
    return number


class StrictFilterBackend(DjangoFilterBackend):
    """The FilterSet of the web pages; its errors answer 400 with each parameter's reasons."""

    def get_filterset_kwargs(self, request, queryset, view):
        return {"data": request.query_params, "queryset": queryset, "request": request}

    def get_filterset(self, request, queryset, view):
        # Kept for the pagination, which counts the list by its filters (cached).
        view.filterset = super().get_filterset(request, queryset, view)
        return view.filterset


class DirectoryViewSet(viewsets.ReadOnlyModelViewSet):
    """A read-only collection: its parameters checked, its errors JSON, its CSV streamed."""

    pagination_class = DirectoryPagination
    filter_backends = [StrictFilterBackend]
    lookup_field = "slug"
    # Any value up to the next slash reaches the view, so that a wrong one gets a JSON 404.
    lookup_value_regex = "[^/]+"
    csv_filename = "list.csv"
    # Writes the CSV: (serializer class, records, serializer context, file name) -> response.
    csv_writer = staticmethod(serialized_csv)
    # Parameters of actions other than the list: {action: names}
    action_parameters: dict[str, set[str]] = {}
    # The selector that gives the collection's base queryset.
    selector = None

    def get_queryset(self):
        return self.selector()

    def known_parameters(self) -> set[str]:
        known = {FORMAT_PARAMETER} | self.action_parameters.get(self.action, set())
        if self.pagination_class and self.action in {"list", *self.paginated_actions()}:
            known |= {"page", "page_size"}
        if self.action == "list" and getattr(self, "filterset_class", None):
            known |= set(self.filterset_class.base_filters)
        return known

    def paginated_actions(self) -> set[str]:
        return set()

    def repeatable_parameters(self) -> set[str]:
        """The filters that take several values (`country=DE&country=FR`)."""
        filterset_class = getattr(self, "filterset_class", None)
        if filterset_class is None:
            return set()
        filters = filterset_class.base_filters.items()
        return {name for name, filter_ in filters if isinstance(filter_, MultipleChoiceFilter)}

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.method not in ("GET", "HEAD"):
            return  # refused as a method the endpoint does not allow
        if self.action == PAGE_DOWNLOAD:
            return  # a page's address: what it does not use is ignored, as the pages do
        unknown = sorted(set(request.query_params) - self.known_parameters())
        if unknown:
            known = ", ".join(sorted(self.known_parameters()))
            raise ValidationError(
                {name: [f"Unknown parameter. This endpoint takes: {known}."] for name in unknown}
            )
        empty = sorted(name for name, values in request.query_params.lists() if "" in values)
        if empty:
            raise ValidationError(
                {name: ["Empty: give a value, or leave the parameter out."] for name in empty}
            )
        refuse_repeated(request, self.repeatable_parameters())
        if self.paginator is not None and self.action in {"list", *self.paginated_actions()}:
            # Checked before any format is chosen: a CSV has every page, yet a wrong one is wrong.
            self.paginator.check_parameters(request)

    def perform_content_negotiation(self, request, force=False):
        if self.action == PAGE_DOWNLOAD:
            # Always CSV: `format` is no parameter of a page's download (errors are JSON).
            return renderers.JSONRenderer(), renderers.JSONRenderer.media_type
        return super().perform_content_negotiation(request, force)

    def handle_exception(self, exc):
        # Errors are JSON even when CSV was asked for.
        self.request.accepted_renderer = renderers.JSONRenderer()
        self.request.accepted_media_type = renderers.JSONRenderer.media_type
        return super().handle_exception(exc)

    def wants_csv(self) -> bool:
        return getattr(self.request.accepted_renderer, "format", None) == "csv"

    def list(self, request, *args, **kwargs):
        if self.wants_csv():
            return self.download(request)
        # A page as JSON is cached whole until what it shows changes (a list's records, see
        # `figure_tags`; anything, for other collections): per address (host, filters, page)
        # and per kind of caller, since a token holder's pages carry personal addresses that
        # nobody else's may. A wrong parameter raises, and nothing is cached.
        queryset, depends = None, figure_tags.of_everything()
        if self.lists_records():  # its filters first: they name what the page depends on
            queryset = self.filter_queryset(self.get_queryset())
            depends = figure_tags.of_api_page(self.filterset)
        data, latest = caching.cached(
            "api-list",
            (request.build_absolute_uri(), can_see_personal_addresses(request)),
            lambda: self.list_data(queryset, depends),
            depends,
        )
        response = Response(data)
        if latest is not None:
            response["Last-Modified"] = http_date(latest)
        return response

    def lists_records(self) -> bool:
        """Whether the collection is a list of records (organisations, advocates, networks),
        whose pages are retired by their records' edits alone (`figure_tags`)."""
        filterset_class = getattr(self, "filterset_class", None)
        return filterset_class is not None and filterset_class._meta.model in figure_tags.FILTERSETS

    def list_data(self, queryset=None, depends=None) -> tuple:
        """The page's data, and the time of its list's latest change (None if unknown)."""
        if queryset is None:
            queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        if page is None:
            data = self.get_serializer(queryset, many=True).data
        else:
            data = self.get_paginated_response(self.get_serializer(page, many=True).data).data
        return as_json_values(data), latest_change(queryset, depends)

    @extend_schema(exclude=True)  # the list's `format=csv` documents it
    def download(self, request, *args, **kwargs):
        """Every item the filters select as one CSV file, not a page: the list's `format=csv`
        and the web pages' "Download this list as CSV" (`orgs.api.downloads`) alike, with the
        same columns, rows and errors."""
        return self.stream_csv(self.filter_queryset(self.get_queryset()))

    def stream_csv(self, queryset):
        """Every filtered item (not one page), read in chunks: constant memory."""
        context = {**self.get_serializer_context(), "request": without_format(self.request)}
        return self.csv_writer(self.get_serializer_class(), queryset, context, self.csv_filename)

    # Addresses of merged records (a `FormerSlug` model): their old URLs redirect.
    former_slugs = None

    def retrieve(self, request, *args, **kwargs):
        try:
            record = self.get_object()
        except Http404:
            moved = self.moved_to(kwargs.get(self.lookup_field, ""))
            if moved is None:
                raise
            return HttpResponsePermanentRedirect(moved)
        response = Response(self.get_serializer(record).data)
        updated_at = getattr(record, "updated_at", None)
        if updated_at is not None:
            response["Last-Modified"] = http_date(updated_at.timestamp())
        return response

    def moved_to(self, slug: str) -> str | None:
        """The API address of the record a merged record's slug now belongs to."""
        former = self.former_slugs and self.former_slugs.objects.filter(slug=slug).first()
        if not former:
            return None
        url = reverse(f"api:{self.basename}-detail", kwargs={"slug": former.record.slug})
        query = self.request.META.get("QUERY_STRING", "")
        return url + (f"?{query}" if query else "")


def without_format(request):
    """The request as links in a CSV should see it: without `format=csv` to carry along."""
    plain = copy.copy(request._request)
    plain.GET = request._request.GET.copy()
    plain.GET.pop(FORMAT_PARAMETER, None)
    return plain


def as_json_values(data):
    """Serializer data as plain JSON values, to cache: DRF's links are strings that carry
    their record, which pickling would store (and unpickling rebuild) with every page."""
    return json.loads(json.dumps(data, cls=encoders.JSONEncoder))


def latest_change(queryset, depends) -> float | None:
    """When a list last changed, as a timestamp (one query, cached as long as `depends` say);
    None for a list without changes to tell (terms)."""
    model = getattr(queryset, "model", None)
    if not model or "updated_at" not in {field.name for field in model._meta.concrete_fields}:
        return None
    latest = caching.cached(
        "latest",
        caching.query_parts(queryset),
        lambda: [queryset.aggregate(latest=Max("updated_at"))["latest"]],
        depends,
    )[0]
    return None if latest is None else latest.timestamp()


# The API's collections: URL path and route name.
COLLECTIONS = {
    "organisations": "organisation",
    "advocates": "advocate",
    "networks": "network",
    "surveys": "survey",
    "sources": "source",
    "focus-areas": "focus-area",
    "target-groups": "target-group",
    "levels": "level",
    "network-types": "network-type",
    "countries": "country",
}


class RootSerializer(serializers.Serializer):
    version = serializers.CharField()
    schema = serializers.URLField()
    docs = serializers.URLField()
    collections = serializers.DictField(child=serializers.URLField())
    stats = serializers.DictField(child=serializers.URLField())


@extend_schema(responses=RootSerializer, summary="Where everything is")
@api_view(["GET"])
@renderer_classes([renderers.JSONRenderer])
def api_root(request):
    """Links to every collection, the counts, the schema and the documentation."""
    unknown = sorted(request.query_params)
    if unknown:
        reason = ["Unknown parameter. This endpoint takes none."]
        raise ValidationError(dict.fromkeys(unknown, reason))

    def link(name):
        return request.build_absolute_uri(reverse(name))

    return Response(
        {
            "version": settings.SPECTACULAR_SETTINGS["VERSION"],
            "schema": link("api-schema"),
            "docs": link("api-docs"),
            "collections": {path: link(f"api:{name}-list") for path, name in COLLECTIONS.items()},
            "stats": {"organisations": link("api:organisation-stats-list")},
        }
    )
