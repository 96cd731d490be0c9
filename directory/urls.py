"""The project's addresses: health, the API (`orgs.api.urls`), admin, the sitemap and
robots.txt (`orgs.pages.sitemaps`), and the pages in each language (`orgs.pages.urls`,
`surveys.urls`)."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from directory.health import healthz
from orgs.api import downloads as page_downloads
from orgs.editing import listed as listed_admin
from orgs.pages import overviews as overview_pages
from orgs.pages import sitemaps
from orgs.pages import urls as page_urls

handler500 = "directory.errors.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # Browsers ask for /favicon.ico whatever the page links to.
    path("favicon.ico", overview_pages.favicon),
    path("api/", include("orgs.api.urls")),
    # For search engines: the sitemap's index, its sections (every language in each), robots.
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": sitemaps.SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": sitemaps.SITEMAPS},
        name="sitemap_section",
    ),
    path("robots.txt", sitemaps.robots_txt, name="robots_txt"),
    # The editors' dashboard of the listed, inside admin (signed-in staff only).
    path(
        f"{settings.ADMIN_PATH}listed/",
        admin.site.admin_view(listed_admin.dashboard),
        name="listed_dashboard",
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
