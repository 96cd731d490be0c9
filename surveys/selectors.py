"""Read queries for the survey pages: a bounded number of queries whatever the data's size."""

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce, Length

from surveys.models import (
    Answer,
    PublishedFigure,
    Question,
    Response,
    Survey,
    vocabulary_names,
)


def _count_of(model, **filters) -> Coalesce:
    """A subquery counting `model` rows per survey, so two counts do not multiply each other."""
    rows = (
        model.objects.filter(survey=OuterRef("pk"), **filters)
        .order_by()
        .values("survey")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


WHO = ("organisation", "advocate", "network")


def surveys_with_counts() -> QuerySet[Survey]:
    """Every survey with its report, its published responses and its published figures."""
    return Survey.objects.select_related("source").annotate(
        response_count=_count_of(Response), figure_count=_count_of(PublishedFigure)
    )


def survey_questions(survey: Survey) -> list[Question]:
    return list(survey.questions.order_by("position", "key"))


def responses_of(survey: Survey) -> QuerySet[Response]:
    """The survey's responses in the report's order ("question-2" before "question-10"), with
    who gave them and their answers.

    Answers to private questions are in another table (`PrivateAnswer`): nothing here reads it.
    """
    answers = Answer.objects.select_related("question").order_by(
        "question__position", "question__key"
    )
    return (
        survey.responses.select_related("organisation", "advocate", "network")
        # Only what the pages and the API show.
        .only(
            "survey_id",
            "key",
            "locator",
            *(f"{kind}__{name}" for kind in WHO for name in ("slug", "name", "is_published")),
        )
        .prefetch_related(Prefetch("answers", queryset=answers))
        .order_by(Length("key"), "key")
    )


def published_responses(survey: Survey) -> list[Response]:
    return [without_hidden_respondents(response) for response in responses_of(survey)]


def without_hidden_respondents(response: Response) -> Response:
    """The response as the public may see it: a respondent an editor hid is not named."""
    for kind in WHO:
        respondent = getattr(response, kind)
        if respondent is not None and not respondent.is_published:
            setattr(response, kind, None)
    return response


def survey_figures(survey: Survey) -> QuerySet[PublishedFigure]:
    return survey.figures.order_by("position", "key")


def published_figures(survey: Survey) -> list[PublishedFigure]:
    return list(survey_figures(survey))


def vocabulary_terms(questions: list[Question]) -> dict[str, dict[str, str]]:
    """Slug -> name of each vocabulary the questions chart by: one query per vocabulary."""
    used = {question.vocabulary for question in questions if question.vocabulary}
    return {vocabulary: vocabulary_names(vocabulary) for vocabulary in sorted(used)}
