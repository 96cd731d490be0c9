"""The API's view of surveys, their published responses and the reports' figures."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from surveys.models import PublishedFigure, Question, Response, Survey
from surveys.selectors import without_hidden_respondents


class QuestionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Question
        fields = ["key", "position", "text", "is_private", "chart", "listing"]


class SurveySerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:survey-detail", lookup_field="slug")
    web_url = serializers.SerializerMethodField()
    report = serializers.CharField(source="source.key")
    questions = QuestionSerializer(many=True, read_only=True)
    responses_held = serializers.IntegerField(source="response_count")
    figures_held = serializers.IntegerField(source="figure_count")
    responses_url = serializers.HyperlinkedIdentityField(
        view_name="api:survey-responses", lookup_field="slug"
    )
    figures_url = serializers.HyperlinkedIdentityField(
        view_name="api:survey-figures", lookup_field="slug"
    )

    class Meta:
        model = Survey
        fields = [
            "slug", "title", "url", "web_url", "report", "year", "population",
            "respondents_reported", "description", "responses_held", "figures_held",
            "questions", "responses_url", "figures_url",
        ]  # fmt: skip

    @extend_schema_field(OpenApiTypes.URI)
    def get_web_url(self, survey) -> str:
        return self.context["request"].build_absolute_uri(survey.get_absolute_url())


class RespondentSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class ResponseSerializer(serializers.ModelSerializer):
    """One published answer sheet: who answered, where it is in the report, the answers."""

    organisation = RespondentSerializer(allow_null=True)
    advocate = RespondentSerializer(allow_null=True)
    network = RespondentSerializer(allow_null=True)
    answers = serializers.SerializerMethodField()

    class Meta:
        model = Response
        fields = ["key", "locator", "organisation", "advocate", "network", "answers"]

    def to_representation(self, response):
        return super().to_representation(without_hidden_respondents(response))

    @extend_schema_field({"type": "object", "additionalProperties": {"type": "string"}})
    def get_answers(self, response) -> dict:
        """Answers to the public questions, by question key."""
        return {answer.question.key: answer.text for answer in response.answers.all()}


class PublishedFigureSerializer(serializers.ModelSerializer):
    class Meta:
        model = PublishedFigure
        fields = [
            "key", "figure", "label", "count", "denominator", "share", "approximate", "quote",
            "locator", "note",
        ]  # fmt: skip
