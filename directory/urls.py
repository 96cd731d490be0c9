from django.contrib import admin
from django.urls import include, path

from orgs import views as orgs_views

urlpatterns = [
    path("", orgs_views.home, name="home"),
    path("", include("orgs.urls")),
    path("surveys/", include("surveys.urls")),
    path("admin/", admin.site.urls),
]
