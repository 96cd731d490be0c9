"""Surveys in admin: how each question is charted and listed is edited here.

The surveys' models are the `surveys` app's; their admin sits with the other editors' pages so
that the admin is one room (`orgs.admin` imports it, which registers it).
"""

from django.contrib import admin

from surveys.models import Answer, PrivateAnswer, PublishedFigure, Question, Response, Survey


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ["position", "key", "text", "is_private", "chart", "listing", "vocabulary"]


class PublishedFigureInline(admin.StackedInline):
    model = PublishedFigure
    extra = 0
    fields = [
        "position", "key", "figure", "label", "count", "denominator", "share", "approximate",
        "quote", "locator", "note",
    ]  # fmt: skip


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["title", "source", "year", "respondents_reported"]
    search_fields = ["title", "slug"]
    autocomplete_fields = ["source"]
    fieldsets = [
        (None, {"fields": ["slug", "title", "source", "year", "population", "description"]}),
        (
            "How pages name what the directory holds",
            {
                "fields": [
                    "respondents_reported",
                    "response_noun",
                    "response_noun_plural",
                    "respondents_noun",
                ]
            },
        ),  # fmt: skip
    ]
    inlines = [QuestionInline, PublishedFigureInline]


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    fields = ["question", "text", "terms"]


class PrivateAnswerInline(AnswerInline):
    model = PrivateAnswer
    fields = ["question", "text"]
    verbose_name_plural = "Private answers (editors only; never public)"


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ["key", "survey", "organisation", "advocate", "network", "locator"]
    list_filter = ["survey"]
    search_fields = ["key", "locator", "organisation__name", "advocate__name", "network__name"]
    autocomplete_fields = ["organisation", "advocate", "network"]
    inlines = [AnswerInline, PrivateAnswerInline]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "survey", "position", "chart", "vocabulary", "listing", "is_private"]
    list_filter = ["survey", "chart", "listing"]
    list_editable = ["chart", "listing"]
    search_fields = ["text", "key"]
