"""The funders' API for surveys: their questions, published responses and figures."""

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action

from orgs.api.base import DirectoryViewSet
from orgs.api.survey_csv import responses_csv
from orgs.api.survey_serializers import (
    PublishedFigureSerializer,
    ResponseSerializer,
    SurveySerializer,
)
from surveys import selectors


class SurveyViewSet(DirectoryViewSet):
    """The surveys behind the reports. The directory holds the published subset of each
    (`responses_held` of `respondents_reported`); the reports' own figures describe all."""

    serializer_class = SurveySerializer
    csv_filename = "surveys.csv"

    def get_queryset(self):
        return selectors.surveys_with_counts().prefetch_related("questions")

    def paginated_actions(self) -> set[str]:
        return {"responses", "figures"}

    @extend_schema(responses=ResponseSerializer(many=True), summary="A survey's responses")
    @action(detail=True)
    def responses(self, request, slug=None):
        """The published responses with their public answers, in the report's order; as CSV,
        one column per public question."""
        survey = self.get_object()
        responses = selectors.responses_of(survey)
        if self.wants_csv():
            return responses_csv(survey)
        page = self.paginate_queryset(responses)
        data = ResponseSerializer(page, many=True, context=self.get_serializer_context()).data
        return self.get_paginated_response(data)

    @extend_schema(responses=PublishedFigureSerializer(many=True), summary="The report's figures")
    @action(detail=True)
    def figures(self, request, slug=None):
        """Numbers the report states about all of the survey's respondents, with its words."""
        figures = selectors.survey_figures(self.get_object())
        page = self.paginate_queryset(figures)
        context = self.get_serializer_context()
        data = PublishedFigureSerializer(page, many=True, context=context).data
        return self.get_paginated_response(data)
