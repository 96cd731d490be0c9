"""A survey's published responses as CSV: one row per response, one column per public question."""

from orgs.api.csv_files import CHUNK_SIZE, cells, csv_response
from orgs.api.survey_serializers import ResponseSerializer
from surveys import selectors
from surveys.models import Survey

RESPONSE_COLUMNS = ["key", "locator", "organisation", "advocate", "network"]


def responses_csv(survey: Survey):
    questions = [q.key for q in survey.questions.order_by("position") if not q.is_private]
    columns = RESPONSE_COLUMNS + questions
    responses = selectors.responses_of(survey).iterator(chunk_size=CHUNK_SIZE)
    rows = (
        cells(columns, answers_as_columns(ResponseSerializer(response).data))
        for response in responses
    )
    return csv_response(columns, rows, f"{survey.slug}-responses.csv")


def answers_as_columns(data: dict) -> dict:
    answers = data.pop("answers")
    return {**data, **answers}
