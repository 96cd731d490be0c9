"""Every citation points where its statement is in the report's seed text.

Reads the built fixture JSON (no database): every object with a `locator` names seed lines
that exist; a quote is on the lines it cites; an organisation's, advocate's or network's own
citation without a quote cites lines where the record's name (or an alias) is printed; every
leadership claim quotes the words that justify it, on the lines it cites; and a published
figure the report words approximately ("around 75%") is marked approximate.
"""

import json
import re
import unicodedata
from functools import cache
from pathlib import Path

from django.conf import settings

from orgs.seeding.build import fixture_files
from tests.outside_files import required

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"

# "line 622", "lines 80-95", "lines 243, 305, 355", "lines 166-168, 170 and 172".
LINE_REFERENCE = re.compile(
    r"\blines?\s+(\d+(?:\s*[-–]\s*\d+)?(?:\s*(?:,|\band\b|&)\s*\d+(?:\s*[-–]\s*\d+)?)*)"
)
NUMBER_OR_RANGE = re.compile(r"(\d+)(?:\s*[-–]\s*(\d+))?")
INNER_HYPHEN = re.compile(r"(?<=\w)-(?=\w)")
# An abridged quote is checked part by part.
ELLIPSIS = re.compile(r"\[\s*(?:\.\.\.|…)\s*\]|\.\.\.|…")

# The citation models whose record must be named on the cited lines when there is no quote:
# citation model -> (field naming the record, record model).
NAMED_RECORD_CITATIONS = {
    "orgs.organisationcitation": ("organisation", "orgs.organisation"),
    "orgs.advocatecitation": ("advocate", "orgs.advocate"),
    "orgs.networkcitation": ("network", "orgs.network"),
}

LEADERSHIP_CLAIM = "orgs.leadershipclaim"
ALIAS_MODELS = {"orgs.organisationalias": "orgs.organisation", "orgs.networkalias": "orgs.network"}

# (record slug, locator) of citations that cannot name their record on the cited lines,
# with the reason. Keep this list as short as possible.
UNNAMED_CITATIONS: dict[tuple[str, str], str] = {}

# "around 75%", "nearly 30 projects", "around 8,000 persons": a number worded approximately.
APPROXIMATE_NUMBER = re.compile(
    r"\b(?:around|approximately|almost|about|nearly)\s+(\d[\d,.]*)", re.IGNORECASE
)


@cache
def fixture_objects() -> tuple[dict, ...]:
    objects = []
    for path in sorted(fixture_files(FIXTURES_DIR)):
        for position, item in enumerate(json.loads(path.read_text(encoding="utf-8"))):
            objects.append({**item, "file": path.name, "position": position})
    return tuple(objects)


def of_model(model: str) -> list[dict]:
    return [item for item in fixture_objects() if item["model"] == model]


@cache
def seed_files() -> dict[str, str]:
    """Report key -> seed file name, from the sources in the vocabulary fixture."""
    sources = {}
    for item in fixture_objects():
        fields = item["fields"]
        if "seed_file" in fields and "key" in fields:
            sources[fields["key"]] = fields["seed_file"]
    return sources


@cache
def survey_sources() -> dict[str, str]:
    return {
        survey["fields"]["slug"]: survey["fields"]["source"][0]
        for survey in of_model("surveys.survey")
    }


@cache
def seed_lines(report: str) -> tuple[str, ...]:
    path = required("REPORTS_DIR", seed_files()[report])
    return tuple(path.read_text(encoding="utf-8").splitlines())


def report_of(item: dict) -> str:
    fields = item["fields"]
    if fields.get("source"):
        return fields["source"][0]
    return survey_sources()[fields["survey"][0]]


def cited_lines(locator: str) -> list[int]:
    numbers = []
    for reference in LINE_REFERENCE.finditer(locator):
        for start, end in NUMBER_OR_RANGE.findall(reference.group(1)):
            first, last = int(start), int(end or start)
            numbers += list(range(first, last + 1)) if first <= last else [first, last]
    return numbers


def blocks(numbers: list[int]) -> list[list[int]]:
    """The cited lines as runs of consecutive line numbers, so a quote may span a run."""
    runs = []
    for number in sorted(set(numbers)):
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return runs


def folded(text: str, accents: bool = True) -> str:
    """Whitespace collapsed, case folded, Markdown emphasis (`*`) of the extraction dropped."""
    text = " ".join(text.replace("*", "").split()).casefold()
    if not accents:
        text = "".join(
            c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
        )
    return text


def block_texts(report: str, run: list[int], accents: bool = True) -> list[str]:
    """A run of seed lines joined with a space, and with a line-break hyphen kept or dropped.

    The last variant also drops a hyphen inside a word: the PDF's line-break hyphen that the
    extraction joined into one table cell ("Mais-sara", see epim-2019/name-fixes.tsv).
    """
    lines = [seed_lines(report)[number - 1].strip() for number in run]
    texts = [" ".join(lines)]
    for keep in ("-", ""):
        joined = ""
        for line in lines:
            if joined.endswith("-"):
                joined = joined[:-1] + keep + line
            else:
                joined = f"{joined} {line}" if joined else line
        texts.append(joined)
    texts.append(INNER_HYPHEN.sub("", texts[-1]))
    return [folded(text, accents) for text in texts]


def found(needle: str, report: str, numbers: list[int], accents: bool = True) -> bool:
    needle = folded(needle, accents)
    return any(
        needle in text for run in blocks(numbers) for text in block_texts(report, run, accents)
    )


def quote_parts(quote: str) -> list[str]:
    parts = [part.strip(" \t\n,;:") for part in ELLIPSIS.split(quote)]
    return [part for part in parts if part]


def located() -> list[dict]:
    return [item for item in fixture_objects() if item["fields"].get("locator") is not None]


def describe(item: dict) -> str:
    fields = item["fields"]
    keys = {
        name: value
        for name, value in fields.items()
        if name in ("slug", "key", "organisation", "advocate", "network", "survey", "source")
    }
    return f"{item['model']} {keys} in {item['file']}"


def test_the_seeds_are_there():
    for seed_file in seed_files().values():
        assert required("REPORTS_DIR", seed_file).is_file()
    assert len(seed_files()) == 5


def test_every_locator_cites_lines_that_exist():
    problems = []
    assert len(located()) > 900
    for item in located():
        locator = item["fields"]["locator"]
        lines = seed_lines(report_of(item))
        numbers = cited_lines(locator)
        if not numbers:
            problems.append(f"{describe(item)}: locator {locator!r} cites no line")
        missing = [number for number in numbers if not 1 <= number <= len(lines)]
        if missing:
            problems.append(
                f"{describe(item)}: locator {locator!r} cites lines {missing} beyond the "
                f"{len(lines)} lines of the seed"
            )
            continue
        for reference in LINE_REFERENCE.finditer(locator):
            for start, end in NUMBER_OR_RANGE.findall(reference.group(1)):
                cited = lines[int(start) - 1 : int(end or start)]
                if not "".join(cited).strip():
                    problems.append(
                        f"{describe(item)}: locator {locator!r} cites blank line(s) "
                        f"{start}{'-' + end if end else ''}"
                    )
    assert not problems, "\n".join(problems)


def test_every_quote_is_on_the_lines_it_cites():
    problems = []
    # Leadership claims may join two places' words with ';': checked part by part below.
    quoted = [
        item
        for item in located()
        if item["fields"].get("quote") and item["model"] != LEADERSHIP_CLAIM
    ]
    assert quoted
    for item in quoted:
        fields = item["fields"]
        report = report_of(item)
        numbers = cited_lines(fields["locator"])
        for part in quote_parts(fields["quote"]):
            if not found(part, report, numbers):
                problems.append(
                    f"{describe(item)}: {part!r} is not on the lines of {fields['locator']!r}"
                )
    assert not problems, "\n".join(problems)


def record_names() -> dict[tuple[str, str], list[str]]:
    """(record model, slug) -> its name and aliases."""
    names = {}
    for _field, model in NAMED_RECORD_CITATIONS.values():
        for record in of_model(model):
            fields = record["fields"]
            names[(model, fields["slug"])] = [fields["name"]]
    for alias_model, record_model in ALIAS_MODELS.items():
        owner = record_model.removeprefix("orgs.")
        for alias in of_model(alias_model):
            fields = alias["fields"]
            names[(record_model, fields[owner][0])].append(fields["name"])
    return names


def test_a_citation_without_quote_cites_lines_that_name_its_record():
    names = record_names()
    problems = []
    checked = 0
    for citation_model, (field, record_model) in NAMED_RECORD_CITATIONS.items():
        for item in of_model(citation_model):
            fields = item["fields"]
            if fields.get("quote"):
                continue
            slug = fields[field][0]
            if (slug, fields["locator"]) in UNNAMED_CITATIONS:
                continue
            checked += 1
            candidates = names[(record_model, slug)]
            numbers = cited_lines(fields["locator"])
            if not any(found(name, report_of(item), numbers, accents=False) for name in candidates):
                problems.append(
                    f"{describe(item)}: none of {candidates} is on the lines of "
                    f"{fields['locator']!r}"
                )
    assert checked > 300
    assert not problems, "\n".join(problems)


def test_the_exceptions_are_still_needed():
    citations = {
        (item["fields"][field][0], item["fields"]["locator"])
        for model, (field, _record_model) in NAMED_RECORD_CITATIONS.items()
        for item in of_model(model)
    }
    for exception in UNNAMED_CITATIONS:
        assert exception in citations, f"exception {exception} matches no citation"


def figure_numbers(fields: dict) -> set[float]:
    return {float(fields[name]) for name in ("count", "share") if fields[name] is not None}


def test_a_figure_worded_approximately_is_approximate():
    """The number itself is qualified: "around 8,000 persons [...] in 11 regions" makes the 8,000
    approximate, not the 11."""
    figures = of_model("surveys.publishedfigure")
    assert figures
    problems = []
    for figure in figures:
        fields = figure["fields"]
        for wording in APPROXIMATE_NUMBER.finditer(fields["quote"]):
            number = float(re.sub(r"[,.]", "", wording.group(1).rstrip(",.")))
            if number in figure_numbers(fields) and not fields["approximate"]:
                problems.append(
                    f"{describe(figure)}: the quote says {wording.group(0)!r} but the figure is "
                    "not approximate"
                )
    assert not problems, "\n".join(problems)


def raw_parts(text: str) -> list[str]:
    """Report words joined with ';' (two places) or abridged with an ellipsis, part by part."""
    return [
        part.strip(" .,") for part in re.split(r";|\[\.\.\.\]|\.\.\.|…", text) if part.strip(" .,")
    ]


def test_a_leadership_claim_is_justified_by_words_on_the_lines_it_cites():
    """A claim's quote holds the report's words that justify it (README, "Editorial leadership
    judgements"), possibly from two places joined with ';': each part is on its lines."""
    claims = of_model(LEADERSHIP_CLAIM)
    assert len(claims) > 100
    problems = []
    for claim in claims:
        fields = claim["fields"]
        if not fields["quote"]:
            problems.append(f"{describe(claim)}: a leadership claim without the report's words")
            continue
        numbers = cited_lines(fields["locator"])
        for part in raw_parts(fields["quote"]):
            if not found(part, report_of(claim), numbers):
                problems.append(
                    f"{describe(claim)}: {part!r} is not on the lines of {fields['locator']!r}"
                )
    assert not problems, "\n".join(problems)


# EPIM Annex 2 rows whose cells continue two lines below (target groups, a Portuguese gloss).
CONTINUED_ANNEX_ROWS = {685: 687, 696: 698, 754: 756, 777: 779}


def continues_a_row(line: str) -> bool:
    """A continuation line of the annex table: its first five cells are empty."""
    cells = line.split("\t")
    return len(cells) > 5 and not any(cell.strip() for cell in cells[:5])


def test_an_annex_2_row_is_cited_on_every_line_it_spans():
    annex = [
        item
        for item in located()
        if report_of(item) == "epim-2019" and item["fields"]["locator"].startswith("Annex 2, ")
    ]
    assert len(annex) > 400
    lines = seed_lines("epim-2019")
    problems = []
    for item in annex:
        numbers = cited_lines(item["fields"]["locator"])
        first, last = numbers[0], CONTINUED_ANNEX_ROWS.get(numbers[0], numbers[0])
        if numbers != list(range(first, last + 1)):
            problems.append(f"{describe(item)}: cites {numbers}, the row spans {first}-{last}")
        following = next((line for line in lines[last:] if line.strip()), "")
        if continues_a_row(following):
            problems.append(f"{describe(item)}: the row continues after line {last}")
    assert not problems, "\n".join(problems)
    cited_rows = {cited_lines(item["fields"]["locator"])[0] for item in annex}
    assert set(CONTINUED_ANNEX_ROWS) <= cited_rows
