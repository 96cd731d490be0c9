"""How a survey's published answers are counted, described and listed.

Each question says (`Question.chart`, editable data) whether its answers are charted: as one
category each, or as lists split into items first; and (`Question.listing`) where they appear
beside each response. Answers to private questions are never read here: they are kept in a
table of their own (`PrivateAnswer`) that no public query touches.

Lists are split on semicolons and commas, never on " and ": in these reports " and " joins
the words of one item ("Education and training", "Syrian women and children"). The ERASMI
profiles separate items with semicolons and write commas inside items ("Other: Specifically,
supporting refugees ..."), so there a comma separates only before a capitalised item.
"""

import re
from collections import Counter
from dataclasses import dataclass, field

from orgs.charts import BarChart

from .models import Chart, Listing, Question, Response, Survey

TOP_VALUES = 15

# How each kind of chart splits an answer into the values it counts.
SEPARATORS = {
    Chart.WHOLE: "",
    Chart.LIST: r"[,;]",
    Chart.CAPITALISED_LIST: r";|,(?=\s*[A-Z])",
}


def chart_values(chart: str, text: str) -> list[str]:
    separators = SEPARATORS[chart]
    items = re.split(separators, text) if separators else [text]
    return [" ".join(item.split()) for item in items if item.strip()]


def sample_statement(survey: Survey, held: int) -> str:
    """What the directory holds beside what the report counted, in one sentence."""
    holds = survey.responses_held(held) if held else f"no {survey.response_noun_plural}"
    if survey.respondents_reported is None:
        return f"The directory holds {holds}; the report does not state how many took part in all."
    return (
        f"The directory holds {holds} of the {survey.respondents_reported} "
        f"{survey.respondents_noun}."
    )


def chart_sample(survey: Survey, held: int, answered: int, chart: str) -> str:
    if answered == held:
        text = f"Answers in the {survey.responses_held(held)}"
    else:
        text = f"Answers in {answered} of the {survey.responses_held(held)}"
    if survey.respondents_reported is not None:
        text += f" of the {survey.respondents_reported} {survey.respondents_noun}"
    if SEPARATORS[chart]:
        text += f"; one {survey.response_noun} can give several"
    return text


@dataclass
class QuestionSummary:
    question: Question
    answered: int | None = None  # None for a private question: its answers are not counted
    chart: BarChart | None = None
    values: int = 0
    left_out: int = 0


def count_values(texts: list[str], chart: str) -> list[tuple[str, int]]:
    """(label, responses) per value, most frequent first; each response counts a value once.

    Values that differ only in case or spacing are one value, labelled with the spelling
    most responses used, starting with a capital (list items after a comma often do not).
    """
    counts: Counter[str] = Counter()
    spellings: dict[str, Counter[str]] = {}
    for text in texts:
        seen = set()
        for value in chart_values(chart, text):
            key = value.casefold()
            spellings.setdefault(key, Counter())[value] += 1
            if key not in seen:
                seen.add(key)
                counts[key] += 1
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [(_capitalised(spellings[key].most_common(1)[0][0]), count) for key, count in ordered]


def _capitalised(label: str) -> str:
    return label[:1].upper() + label[1:]


def question_summaries(
    survey: Survey, questions: list[Question], responses: list[Response]
) -> list[QuestionSummary]:
    """Each question with how many responses answered it and, where categorical, its chart."""
    texts: dict[int, list[str]] = {question.pk: [] for question in questions}
    for response in responses:
        for answer in response.answers.all():
            if answer.text.strip():
                texts.setdefault(answer.question_id, []).append(answer.text)

    summaries = []
    for question in questions:
        if question.is_private:
            summaries.append(QuestionSummary(question))
            continue
        answers = texts[question.pk]
        summary = QuestionSummary(question, answered=len(answers))
        if question.chart and answers:
            rows = count_values(answers, question.chart)
            summary.values = len(rows)
            summary.left_out = max(0, len(rows) - TOP_VALUES)
            sample = chart_sample(survey, len(responses), len(answers), question.chart)
            if summary.left_out:
                sample += f"; the {TOP_VALUES} most frequent of {len(rows)} different answers shown"
            summary.chart = BarChart(title=question.text, rows=rows[:TOP_VALUES], sample=sample)
        summaries.append(summary)
    return summaries


@dataclass
class ListedAnswer:
    question: Question
    text: str
    response_key: str = ""  # set when the answer names another response of the survey
    response_title: str = ""


@dataclass
class ResponseRow:
    response: Response
    title: str = ""
    short: list[ListedAnswer] = field(default_factory=list)
    long: list[ListedAnswer] = field(default_factory=list)


def listed_questions(questions: list[Question], listing: str = Listing.SHORT) -> list[Question]:
    """The public questions listed so beside each response (short ones: table columns)."""
    return [q for q in questions if q.listing == listing and not q.is_private]


def response_rows(
    survey: Survey, questions: list[Question], responses: list[Response]
) -> list[ResponseRow]:
    """Each response with the answers its survey's listing names, in the listing's order.

    `short` has one item per listed question (empty text when unanswered), so it lines up
    with table columns; `long` holds only the long answers given.
    """
    columns = listed_questions(questions)
    long_questions = listed_questions(questions, Listing.LONG)
    title_question = next(iter(listed_questions(questions, Listing.TITLE)), None)
    keys = {response.key for response in responses}
    rows = []
    for response in responses:
        answers = {answer.question_id: answer.text.strip() for answer in response.answers.all()}
        row = ResponseRow(response)
        if title_question:
            row.title = answers.get(title_question.pk, "")
        for question in columns:
            text = answers.get(question.pk, "")
            linked = text if text in keys and text != response.key else ""
            row.short.append(ListedAnswer(question, text, linked))
        for question in long_questions:
            if answers.get(question.pk):
                row.long.append(ListedAnswer(question, answers[question.pk]))
        rows.append(row)
    titles = {row.response.key: row.title or row.response.locator for row in rows}
    for row in rows:
        for item in row.short:
            if item.response_key:
                item.response_title = titles[item.response_key]
    return rows
