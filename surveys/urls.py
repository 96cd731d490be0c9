from django.urls import path

from surveys import views

app_name = "surveys"

urlpatterns = [
    path("", views.survey_list, name="surveys"),
    path("<slug:slug>/", views.survey_detail, name="survey"),
    path("<slug:slug>/responses.csv", views.survey_csv, name="survey_csv"),
]
