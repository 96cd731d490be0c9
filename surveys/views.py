"""The public survey pages: the list of surveys, and one survey's answers and figures."""

from django.shortcuts import get_object_or_404, render

from orgs.api.survey_csv import responses_csv
from surveys import selectors, tallies
from surveys.models import Listing


def survey_list(request):
    surveys = list(selectors.surveys_with_counts())
    for survey in surveys:
        survey.sample_statement = tallies.sample_statement(survey, survey.response_count)
    return render(request, "surveys/survey_list.html", {"surveys": surveys, "section": "surveys"})


def survey_detail(request, slug):
    survey = get_object_or_404(selectors.surveys_with_counts(), slug=slug)
    questions = selectors.survey_questions(survey)
    responses = selectors.published_responses(survey)
    figures = selectors.published_figures(survey)
    context = {
        "section": "surveys",
        "survey": survey,
        "held": survey.responses_held(len(responses)),
        "respondents": survey.respondents,
        "sample_statement": tallies.sample_statement(survey, len(responses)),
        "summaries": tallies.question_summaries(
            survey, questions, responses, selectors.vocabulary_terms(questions)
        ),
        "figures": figures,
        "figures_chart": tallies.figures_chart(survey, figures),
        "columns": tallies.listed_questions(questions),
        "rows": tallies.response_rows(survey, questions, responses),
        "as_entries": bool(tallies.listed_questions(questions, Listing.TITLE)),
    }
    return render(request, "surveys/survey_detail.html", context)


def survey_csv(request, slug):
    """The survey's published responses, one column per public question."""
    return responses_csv(get_object_or_404(selectors.surveys_with_counts(), slug=slug))
