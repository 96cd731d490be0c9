"""Organisations as Open Referral HSDS 3.0 `organization` objects, for tools that speak HSDS.

`GET /api/hsds/organizations/` is an HSDS page (`total_items`, `total_pages`, `page_number`,
`size`, `first_page`, `last_page`, `empty`, `contents`; parameters `page` and `per_page`) of
`organization_list` items; `GET /api/hsds/organizations/{id}/` is a full `organization`.

How our fields map to HSDS:

| HSDS | the directory |
| --- | --- |
| `id` | `uuid`: derived from the first slug, kept whatever the slug becomes |
| `name`, `description` | name, description (empty when the reports give none) |
| `alternate_name` | the other names (aliases), joined with "; " |
| `email`, `website` | the organisation's public address and first website, when given |
| `year_incorporated` | founding year, when given |
| `uri` | the organisation's page in the directory |
| `locations` (full) | one `physical` location per city, or per country without a city |
| `attributes` (full) | focus areas, target groups, levels and leadership as taxonomy terms |
| `metadata` (full) | the last change (`updated_at`); the listed's confirmation (`confirmed_on`) |

The confirmation is there once the organisation's own people confirmed or corrected the record
(`last_action_type` "confirmed", `updated_by` "the organisation"). HSDS dates an assurance of
the data (`assured_date`) on a `service` only; the directory emits no services (the reports
describe what organisations do as focus areas, not as services with eligibility, fees or
schedules), so the date is this `metadata` entry rather than an invented service.

Advocates are people and never appear here; HSDS `contacts` stay empty. The mapping itself is
in `orgs.hsds`, which the open data's HSDS tables share.
"""

import uuid

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view, renderer_classes
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from orgs.api.base import api_page, asked_page, refuse_repeated, size_parameter
from orgs.hsds import organization, organization_list_item
from orgs.paging import CountedPaginator
from orgs.selectors import public_records

MAX_PER_PAGE = 100


def page_address(organisation, request) -> str:
    return request.build_absolute_uri(organisation.get_absolute_url())


class HSDSPageSerializer(serializers.Serializer):
    total_items = serializers.IntegerField()
    total_pages = serializers.IntegerField()
    page_number = serializers.IntegerField()
    size = serializers.IntegerField()
    first_page = serializers.BooleanField()
    last_page = serializers.BooleanField()
    empty = serializers.BooleanField()
    contents = serializers.ListField(child=serializers.DictField())


class HSDSPageParameters(serializers.Serializer):
    page = serializers.IntegerField(min_value=1, required=False, help_text="Page number.")
    per_page = serializers.IntegerField(
        min_value=1, max_value=MAX_PER_PAGE, required=False, help_text="Items per page."
    )


def check_parameters(request, known: set[str]):
    unknown = sorted(set(request.query_params) - known)
    if unknown:
        reason = [f"Unknown parameter. This endpoint takes: {', '.join(sorted(known))}."]
        raise ValidationError(dict.fromkeys(unknown, reason))
    refuse_repeated(request)


@extend_schema(
    parameters=[HSDSPageParameters],
    responses=HSDSPageSerializer,
    summary="Organisations as an HSDS 3.0 page",
    operation_id="hsds_organizations_list",
    tags=["hsds"],
)
@api_view(["GET"])
@renderer_classes([JSONRenderer])
def organizations(request):
    """Every organisation as an HSDS 3.0 `organization_list` item, in pages."""
    check_parameters(request, {"page", "per_page"})
    asked = asked_page(request)
    per_page = size_parameter(request, "per_page", 20, MAX_PER_PAGE)
    records = public_records.public_organisations().prefetch_related("aliases")
    # Every page, however deep: HSDS tools read a whole directory page by page.
    paginator = CountedPaginator(records, per_page, unlimited=True)
    page = api_page(paginator, asked)
    contents = [organization_list_item(o, page_address(o, request)) for o in page.object_list]
    total, total_pages, page_number = paginator.count, paginator.num_pages, page.number
    return Response(
        {
            "total_items": total,
            "total_pages": total_pages,
            "page_number": page_number,
            "size": len(contents),
            "first_page": page_number == 1,
            "last_page": page_number == total_pages,
            "empty": total == 0,
            "contents": contents,
        }
    )


@extend_schema(
    parameters=[OpenApiParameter("id", OpenApiTypes.UUID, OpenApiParameter.PATH)],
    responses={200: OpenApiTypes.OBJECT},
    summary="One organisation as an HSDS 3.0 organization",
    operation_id="hsds_organizations_retrieve",
    tags=["hsds"],
)
@api_view(["GET"])
@renderer_classes([JSONRenderer])
def organization_detail(request, id):
    """A full HSDS 3.0 `organization`: locations and taxonomy attributes included."""
    check_parameters(request, set())
    try:
        uuid.UUID(id)
    except ValueError as error:
        raise NotFound({"id": [f"{id!r} is not an HSDS id (a UUID)."]}) from error
    records = public_records.public_organisations().prefetch_related(
        "aliases", "cities", "countries", "focus_areas", "target_groups", "levels"
    )
    organisation = get_object_or_404(records, uuid=id)
    return Response(organization(organisation, page_address(organisation, request)))
