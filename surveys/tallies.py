"""How a survey's published answers are counted, described and listed.

Per (survey slug, question key), `TALLIES` says whether answers are charted: as one category
each (`whole`) or as lists split into items first (`split`). Questions not named here (names,
places, long free text) are not charted; the page only says how many responses answered them.
Answers to private questions are never read here: the selector does not load them, and the
functions below skip them again.

Lists are split on semicolons and commas, never on " and ": in these reports " and " joins
the words of one item ("Education and training", "Syrian women and children"). The ERASMI
profiles separate items with semicolons and write commas inside items ("Other: Specifically,
supporting refugees ..."), so there a comma separates only before a capitalised item.
"""

import re
from collections import Counter
from dataclasses import dataclass, field

from orgs.charts import BarChart

from .models import Question, Response, Survey

TOP_VALUES = 15


@dataclass(frozen=True)
class Tally:
    separators: str = ""  # a regular expression; empty: the whole answer is one category

    def values(self, text: str) -> list[str]:
        items = re.split(self.separators, text) if self.separators else [text]
        return [" ".join(item.split()) for item in items if item.strip()]


WHOLE = Tally()
LIST = Tally(separators=r"[,;]")
CAPITALISED_LIST = Tally(separators=r";|,(?=\s*[A-Z])")

TALLIES: dict[tuple[str, str], Tally] = {
    ("epim-2019-mapping", "form"): LIST,
    ("epim-2019-mapping", "scope"): LIST,
    ("epim-2019-mapping", "focus"): LIST,
    ("epim-2019-mapping", "target_groups"): LIST,
    ("erasmi-2020-network-survey", "formalisation"): WHOLE,
    ("erasmi-2020-network-survey", "type"): WHOLE,
    ("erasmi-2020-network-survey", "focus"): CAPITALISED_LIST,
    ("erasmi-2020-network-survey", "target_groups"): CAPITALISED_LIST,
    ("urban-academy-2018-dilemmas", "module"): WHOLE,
    ("urban-academy-2018-dilemmas", "session"): WHOLE,
}


@dataclass(frozen=True)
class Sample:
    """What one published response of a survey is, and whom the report's count counts."""

    one: str = "published response"
    many: str = "published responses"
    respondents: str = "respondents"

    def held(self, count: int) -> str:
        return f"{count} {self.one if count == 1 else self.many}"


SAMPLES: dict[str, Sample] = {
    "epim-2019-mapping": Sample("annex row", "annex rows", "survey responses"),
    "erasmi-2020-network-survey": Sample(
        "published profile", "published profiles", "networks surveyed"
    ),
    "urban-academy-2018-dilemmas": Sample("published dilemma", "published dilemmas"),
    "unhcr-2020-rlo-mapping": Sample(respondents="UNHCR offices in the mapping"),
}


@dataclass(frozen=True)
class Listing:
    """Which answers are shown beside each response: short ones, and long ones to read."""

    short: tuple[str, ...] = ()
    long: tuple[str, ...] = ()
    title: str = ""  # the long answer that heads each response, when responses are entries


LISTINGS: dict[str, Listing] = {
    "epim-2019-mapping": Listing(short=("location", "scope", "form")),
    "erasmi-2020-network-survey": Listing(short=("location", "type", "formalisation", "founded")),
    "urban-academy-2018-dilemmas": Listing(
        short=("session", "discussed_with"),
        long=("information", "result"),
        title="dilemma",
    ),
}


def sample_for(survey: Survey) -> Sample:
    return SAMPLES.get(survey.slug, Sample())


def sample_statement(survey: Survey, held: int) -> str:
    """What the directory holds beside what the report counted, in one sentence."""
    sample = sample_for(survey)
    holds = sample.held(held) if held else f"no {sample.many}"
    if survey.respondents_reported is None:
        return f"The directory holds {holds}; the report does not state how many took part in all."
    return f"The directory holds {holds} of the {survey.respondents_reported} {sample.respondents}."


def chart_sample(survey: Survey, held: int, answered: int, tally: Tally) -> str:
    sample = sample_for(survey)
    if answered == held:
        text = f"Answers in the {sample.held(held)}"
    else:
        text = f"Answers in {answered} of the {sample.held(held)}"
    if survey.respondents_reported is not None:
        text += f" of the {survey.respondents_reported} {sample.respondents}"
    if tally.separators:
        text += f"; one {sample.one} can give several"
    return text


@dataclass
class QuestionSummary:
    question: Question
    answered: int | None = None  # None for a private question: its answers are not counted
    chart: BarChart | None = None
    values: int = 0
    left_out: int = 0


def count_values(texts: list[str], tally: Tally) -> list[tuple[str, int]]:
    """(label, responses) per value, most frequent first; each response counts a value once.

    Values that differ only in case or spacing are one value, labelled with the spelling
    most responses used, starting with a capital (list items after a comma often do not).
    """
    counts: Counter[str] = Counter()
    spellings: dict[str, Counter[str]] = {}
    for text in texts:
        seen = set()
        for value in tally.values(text):
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
    private = {question.pk for question in questions if question.is_private}
    for response in responses:
        for answer in response.answers.all():
            if answer.question_id not in private and answer.text.strip():
                texts.setdefault(answer.question_id, []).append(answer.text)

    summaries = []
    for question in questions:
        if question.is_private:
            summaries.append(QuestionSummary(question))
            continue
        answers = texts[question.pk]
        summary = QuestionSummary(question, answered=len(answers))
        tally = TALLIES.get((survey.slug, question.key))
        if tally and answers:
            rows = count_values(answers, tally)
            summary.values = len(rows)
            summary.left_out = max(0, len(rows) - TOP_VALUES)
            sample = chart_sample(survey, len(responses), len(answers), tally)
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


def listing_for(survey: Survey) -> Listing:
    return LISTINGS.get(survey.slug, Listing())


def listed_questions(survey: Survey, questions: list[Question]) -> list[Question]:
    """The public questions whose short answers are shown beside each response (columns)."""
    by_key = {question.key: question for question in questions if not question.is_private}
    return [by_key[key] for key in listing_for(survey).short if key in by_key]


def response_rows(
    survey: Survey, questions: list[Question], responses: list[Response]
) -> list[ResponseRow]:
    """Each response with the answers its survey's listing names, in the listing's order.

    `short` has one item per listed question (empty text when unanswered), so it lines up
    with table columns; `long` holds only the long answers given.
    """
    listing = listing_for(survey)
    by_key = {question.key: question for question in questions if not question.is_private}
    columns = listed_questions(survey, questions)
    long_questions = [by_key[key] for key in listing.long if key in by_key]
    title_question = by_key.get(listing.title)
    public = {question.pk for question in by_key.values()}
    keys = {response.key for response in responses}
    rows = []
    for response in responses:
        answers = {
            answer.question_id: answer.text.strip()
            for answer in response.answers.all()
            if answer.question_id in public
        }
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
