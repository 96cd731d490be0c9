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
from decimal import Decimal
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext

from orgs.pages.charts import BarChart
from surveys.models import (
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
    if survey.respondents_reported is None:
        if not held:
            message = gettext(
                "The directory holds no %(responses)s; the report does not state how many took "
                "part in all."
            )
        else:
            message = gettext(
                "The directory holds %(held)s; the report does not state how many took part in all."
            )
    elif not held:
        message = gettext("The directory holds no %(responses)s of the %(count)s %(respondents)s.")
    else:
        message = gettext("The directory holds %(held)s of the %(count)s %(respondents)s.")
    return message % {
        "held": survey.responses_held(held),
        "responses": survey.held_noun(0),
        "count": survey.respondents_reported,
        "respondents": survey.respondents,
    }


def chart_sample(survey: Survey, held: int, answered: int, chart: str) -> str:
    if answered == held:
        text = gettext("Answers in the %(held)s") % {"held": survey.responses_held(held)}
    else:
        text = gettext("Answers in %(answered)s of the %(held)s") % {
            "answered": answered,
            "held": survey.responses_held(held),
        }
    if survey.respondents_reported is not None:
        text += gettext(" of the %(count)s %(respondents)s") % {
            "count": survey.respondents_reported,
            "respondents": survey.respondents,
        }
    if SEPARATORS[chart]:
        text += gettext("; one %(response)s can give several") % {"response": survey.held_noun(1)}
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
                    sample += gettext(
                        "; the %(shown)s most frequent of %(count)s different answers shown"
                    ) % {"shown": TOP_VALUES, "count": len(rows)}
                rows = rows[:TOP_VALUES]
            summary.values = len(rows)
            summary.chart = BarChart(
                title=question.text,
                rows=rows,
                sample=sample,
                base=len(answers),
                category_label=category_label(question),
                value_label=gettext(
                    "%(responses)s giving each: count and share of the n = %(count)s that answered"
                )
                % {"responses": _capitalised(survey.held_noun(2)), "count": len(answers)},
                note=chart_note(survey, question, summary, records),
            )
        summaries.append(summary)
    return summaries


CATEGORY_LABELS = {
    Vocabulary.FOCUS_AREAS: lambda: gettext("Focus areas, as the directory names them"),
    Vocabulary.TARGET_GROUPS: lambda: gettext("Target groups, as the directory names them"),
    Vocabulary.LEVELS: lambda: gettext("Levels of work, as the directory names them"),
    Vocabulary.NETWORK_TYPES: lambda: gettext("Network types, as the directory names them"),
    Vocabulary.FORMS: lambda: gettext("Forms of organisation, as the directory names them"),
}


def category_label(question: Question) -> str:
    if question.vocabulary:
        return CATEGORY_LABELS[question.vocabulary]()
    return gettext("Answers as given")


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
    note = gettext(
        "From the question “%(question)s” of the %(survey)s (%(year)s), published in %(source)s."
    ) % {
        "question": question.text,
        "survey": survey.title,
        "year": survey.year,
        "source": survey.source,
    }
    if question.vocabulary:
        note += " " + gettext(
            "One answer can map to several categories, so the shares add up to more than 100%."
        )
        if records == "networks":
            note += " " + gettext("Each bar links to the directory's networks in that category.")
        else:
            note += " " + gettext(
                "Each bar links to the directory's organisations in that category."
            )
        if summary.unmapped:
            note += " " + gettext(
                "%(unmapped)s of the %(answered)s answers fit none of the categories; they are "
                "among the answers as given."
            ) % {"unmapped": summary.unmapped, "answered": summary.answered}
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
        text = f"{number_format(Decimal(f'{float(share):g}'))}%"
        if about:
            text = gettext("about %(share)s") % {"share": text}
        if figure.count is not None and figure.denominator:
            text = gettext("%(count)s of %(denominator)s (%(share)s)") % {
                "count": figure.count,
                "denominator": figure.denominator,
                "share": text,
            }
        rows.append((figure.label, float(share), "", text))
    if not rows:
        return None
    return BarChart(
        title=gettext("The report's own figures: %(source)s") % {"source": survey.source},
        rows=rows,
        sample=gettext("As the report states them, about all %(respondents)s")
        % {"respondents": survey.respondents},
        category_label=gettext("What the report counts"),
        value_label=gettext("Share the report gives (per cent of its own base)"),
        scale=100,
        note=gettext("Each figure's words and place in the report are in the table below."),
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
