from django.urls import path

from orgs.pages import views

app_name = "orgs"

urlpatterns = [
    path("search/", views.search_results, name="search"),
    path("organisations/", views.organisation_list, name="organisations"),
    path("organisations/export.csv", views.organisation_csv, name="organisations_csv"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation"),
    path(
        "organisations/<slug:slug>/suggest/",
        views.suggest_organisation_correction,
        name="organisation_suggestion",
    ),
    path("advocates/", views.advocate_list, name="advocates"),
    path("advocates/export.csv", views.advocate_csv, name="advocates_csv"),
    path("advocates/<slug:slug>/", views.advocate_detail, name="advocate"),
    path(
        "advocates/<slug:slug>/suggest/",
        views.suggest_advocate_correction,
        name="advocate_suggestion",
    ),
    path("suggest/", views.suggest_organisation, name="suggest"),
    path("suggest/thanks/", views.suggestion_thanks, name="suggestion_thanks"),
    path("networks/", views.network_list, name="networks"),
    path("networks/export.csv", views.network_csv, name="networks_csv"),
    path("networks/<slug:slug>/", views.network_detail, name="network"),
    path("countries/", views.country_list, name="countries"),
    path("countries/<str:code>/", views.country_detail, name="country"),
    path("focus/", views.focus_list, name="focus_areas"),
    path("focus/<slug:slug>/", views.focus_detail, name="focus"),
    path("sources/", views.source_list, name="sources"),
    path("sources/<slug:key>/", views.source_detail, name="source"),
    path("privacy/", views.privacy, name="privacy"),
]
