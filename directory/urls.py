from csp.decorators import csp_update
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from directory.health import healthz
from orgs.api import downloads as page_downloads
from orgs.api import hsds
from orgs.api import surveys as surveys_api
from orgs.api import views as orgs_api
from orgs.api.base import COLLECTIONS, api_root
from orgs.pages import overviews as overview_pages
from orgs.pages import urls as page_urls

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

handler500 = "directory.errors.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # Browsers ask for /favicon.ico whatever the page links to.
    path("favicon.ico", overview_pages.favicon),
    path("api/v1/", include((api_v1, "api"))),
    path("api/hsds/organizations/", hsds.organizations, name="hsds-organizations"),
    path(
        "api/hsds/organizations/<str:id>/",
        hsds.organization_detail,
        name="hsds-organization",
    ),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script from a URL, not inline (CSP); its
    # stylesheet draws icons as data: images, allowed on this page only.
    path(
        "api/docs/",
        csp_update({"img-src": ["data:"]})(
            SpectacularSwaggerSplitView.as_view(
                url_name="api-schema", template_name="api/swagger_ui.html"
            )
        ),
        name="api-docs",
    ),
    path(settings.ADMIN_PATH, admin.site.urls),
]
# The public pages in each language: /fr/organisations/, /de/..., /ar/...; English unprefixed.
urlpatterns += i18n_patterns(
    path("", overview_pages.home, name="home"),
    # The pages, and their lists' CSV downloads, which the API's CSV serves (one writer, one
    # kind of error): one namespace, `orgs`, as the templates name them.
    path("", include((page_urls.urlpatterns + page_downloads.urlpatterns, page_urls.app_name))),
    path("surveys/", include("surveys.urls")),
    prefix_default_language=False,
)
