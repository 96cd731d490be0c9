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
from urllib.parse import urlencode

from django.urls import reverse

from orgs.charts import BarChart

from .models import (
    Answer,
    Chart,
    Listing,
    PublishedFigure,
    Question,
    Response,
    Survey,
    Vocabulary,
)

TOP_VALUES = 15
QUALIFIED = re.compile(r"\((?:approximately|almost|around|about|nearly|some|roughly)\)")

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
    raw: list = field(default_factory=list)  # (answer as given, responses giving it)
    unmapped: int = 0


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
    survey: Survey,
    questions: list[Question],
    responses: list[Response],
    vocabularies: dict[str, dict[str, str]] | None = None,
) -> list[QuestionSummary]:
    """Each question with how many responses answered it and, where categorical, its chart.

    A question with a vocabulary is charted by the directory's categories (each answer's
    `terms`); the others by their answers as given. n is always the responses that answered.
    """
    vocabularies = vocabularies or {}
    given: dict[int, list[Answer]] = {question.pk: [] for question in questions}
    for response in responses:
        for answer in response.answers.all():
            if answer.text.strip():
                given.setdefault(answer.question_id, []).append(answer)
    records = "networks" if any(response.network for response in responses) else "organisations"

    summaries = []
    for question in questions:
        if question.is_private:
            summaries.append(QuestionSummary(question))
            continue
        answers = given[question.pk]
        summary = QuestionSummary(question, answered=len(answers))
        if question.chart and answers:
            texts = [answer.text for answer in answers]
            summary.raw = count_values(texts, question.chart)
            sample = chart_sample(survey, len(responses), len(answers), question.chart)
            if question.vocabulary:
                names = vocabularies[question.vocabulary]
                rows = term_rows(answers, names, question.vocabulary, records)
                summary.unmapped = sum(1 for answer in answers if not answer.terms)
            else:
                rows = summary.raw
                summary.left_out = max(0, len(rows) - TOP_VALUES)
                if summary.left_out:
                    sample += f"; the {TOP_VALUES} most frequent of {len(rows)} different answers"
                    sample += " shown"
                rows = rows[:TOP_VALUES]
            summary.values = len(rows)
            summary.chart = BarChart(
                title=question.text,
                rows=rows,
                sample=sample,
                base=len(answers),
                category_label=category_label(question),
                value_label=(
                    f"{_capitalised(survey.response_noun_plural)} giving each: count and share "
                    f"of the n = {len(answers)} that answered"
                ),
                note=chart_note(survey, question, summary, records),
            )
        summaries.append(summary)
    return summaries


def category_label(question: Question) -> str:
    if question.vocabulary:
        return f"{Vocabulary(question.vocabulary).label}, as the directory names them"
    return "Answers as given"


def term_rows(
    answers: list[Answer], names: dict[str, str], vocabulary: str, records: str
) -> list[tuple[str, int, str]]:
    """(term's name, responses whose answer maps to it, the directory's records of the term)."""
    counts: Counter[str] = Counter(slug for answer in answers for slug in set(answer.terms))
    rows = [
        (names.get(slug, slug), count, term_url(vocabulary, slug, records))
        for slug, count in counts.items()
    ]
    return sorted(rows, key=lambda row: (-row[1], row[0].casefold()))


# Which list filter shows the directory's records of a term.
TERM_FILTERS = {
    Vocabulary.FOCUS_AREAS: "focus",
    Vocabulary.TARGET_GROUPS: "target_group",
    Vocabulary.LEVELS: "level",
    Vocabulary.NETWORK_TYPES: "type",
    Vocabulary.FORMS: "form",
}


def term_url(vocabulary: str, slug: str, records: str) -> str:
    if vocabulary == Vocabulary.LEVELS and records == "networks":
        records = "organisations"  # the networks list has no level filter
    return f"{reverse(f'orgs:{records}')}?{urlencode({TERM_FILTERS[vocabulary]: slug})}"


def chart_note(survey: Survey, question: Question, summary: "QuestionSummary", records: str):
    note = f"From the question “{question.text}” of the {survey.title} ({survey.year}), "
    note += f"published in {survey.source}."
    if question.vocabulary:
        note += (
            " One answer can map to several categories, so the shares add up to more than 100%."
            f" Each bar links to the directory's {records} in that category."
        )
        if summary.unmapped:
            note += (
                f" {summary.unmapped} of the {summary.answered} answers fit none of the"
                " categories; they are among the answers as given."
            )
    return note


def figures_chart(survey: Survey, figures: list[PublishedFigure]) -> BarChart | None:
    """The report's own figures that are shares of a whole, as percentages on one axis."""
    rows = []
    for figure in figures:
        share = figure.share
        # A count of the whole ("55 of 55 questionnaires") is a sample size, not a share.
        if share is None and figure.count is not None and figure.denominator:
            if figure.count < figure.denominator:
                share = round(100 * figure.count / figure.denominator, 1)
        if share is None:
            continue
        # The label may word the approximation already: "(almost)", "(approximately)".
        about = figure.approximate and not QUALIFIED.search(figure.label)
        text = f"{'about ' if about else ''}{float(share):g}%"
        if figure.count is not None and figure.denominator:
            text = f"{figure.count} of {figure.denominator} ({text})"
        rows.append((figure.label, float(share), "", text))
    if not rows:
        return None
    return BarChart(
        title=f"The report's own figures: {survey.source}",
        rows=rows,
        sample=f"As the report states them, about all {survey.respondents_noun}",
        category_label="What the report counts",
        value_label="Share the report gives (per cent of its own base)",
        scale=100,
        note="Each figure's words and place in the report are in the table below.",
    )


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
