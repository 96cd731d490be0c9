"""The API's addresses, under /api/: the REST API (v1), HSDS, the reconciliation service, the
OpenAPI schema and its docs.

The collections are listed once, in `base.COLLECTIONS` (the API root names them too); here
each gets its viewset. URL names are the project's: `api:...` for v1, `hsds-organizations`,
`api-schema`, `api-docs`.
"""

from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from orgs.api import hsds, reconcile
from orgs.api import surveys as surveys_api
from orgs.api import views as orgs_api
from orgs.api.base import COLLECTIONS, api_root

VIEWSETS = {
    "organisations": orgs_api.OrganisationViewSet,
    "advocates": orgs_api.AdvocateViewSet,
    "networks": orgs_api.NetworkViewSet,
    "surveys": surveys_api.SurveyViewSet,
    "sources": orgs_api.SourceViewSet,
    "focus-areas": orgs_api.FocusAreaViewSet,
    "target-groups": orgs_api.TargetGroupViewSet,
    "levels": orgs_api.LevelViewSet,
    "network-types": orgs_api.NetworkTypeViewSet,
    "countries": orgs_api.CountryViewSet,
}
router = SimpleRouter()
for prefix, name in COLLECTIONS.items():
    router.register(prefix, VIEWSETS[prefix], basename=name)
organisation_stats = orgs_api.OrganisationStatsViewSet.as_view({"get": "counts"})

api_v1 = [
    path("", api_root, name="root"),
    path("stats/organisations/", organisation_stats, name="organisation-stats-list"),
    *router.urls,
]

urlpatterns = [
    path("v1/", include((api_v1, "api"))),
    path("hsds/organizations/", hsds.organizations, name="hsds-organizations"),
    path("hsds/organizations/<str:id>/", hsds.organization_detail, name="hsds-organization"),
    # The reconciliation service (OpenRefine): its own specification, outside the schema.
    path("reconcile/", reconcile.service, name="reconcile"),
    path("reconcile/properties/", reconcile.properties, name="reconcile-properties"),
    path("reconcile/preview/", reconcile.preview, name="reconcile-preview"),
    path("reconcile/suggest/entity/", reconcile.suggest_entity, name="reconcile-suggest-entity"),
    path("reconcile/suggest/type/", reconcile.suggest_type, name="reconcile-suggest-type"),
    path(
        "reconcile/suggest/property/",
        reconcile.suggest_property,
        name="reconcile-suggest-property",
    ),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script from a URL, not inline (CSP); its
    # stylesheet draws icons as data: images, allowed on this page only.
    path(
        "docs/",
        csp_update({"img-src": ["data:"]})(
            SpectacularSwaggerSplitView.as_view(
                url_name="api-schema", template_name="api/swagger_ui.html"
            )
        ),
        name="api-docs",
    ),
]
