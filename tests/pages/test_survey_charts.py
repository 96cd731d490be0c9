"""Survey charts count the directory's categories over an honest base (n = who answered).

The expected numbers are counted by hand from the seeds (EPIM 2019 Annex 2's "Advocacy Scope"
column, `fixtures/source/epim-2019/annex2.tsv`; the ERASMI 2021 profiles' "Type of network").
"""

import html
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.urls import reverse

from surveys.models import Survey

pytestmark = pytest.mark.django_db

EPIM = "epim-2019-mapping"
ERASMI = "erasmi-2020-network-survey"
CHART_ITEM = re.compile(r"(.+) (\d+) \(([\d.]+)%\)")
TITLE = re.compile(r'<title id="(chart-[^"]*)-title">(.*?)</title>', re.S)


def page(client, slug) -> str:
    response = client.get(reverse("surveys:survey", args=[slug]))
    assert response.status_code == 200
    return response.content.decode()


def chart(content: str, chart_id: str) -> tuple[int, dict[str, tuple[int, float]]]:
    """(n, {label: (count, share)}) from the chart's accessible title."""
    titles = {found[0]: html.unescape(found[1]) for found in TITLE.findall(content)}
    match = re.fullmatch(r".* \(n = (\d+)\): (.*)", titles[chart_id], re.S)
    assert match, titles[chart_id]
    items = [CHART_ITEM.fullmatch(item) for item in match[2].split("; ")]
    assert all(items), match[2]
    return int(match[1]), {item[1]: (int(item[2]), float(item[3])) for item in items}


def test_epim_scope_is_charted_by_level_of_the_122_rows_that_answered(client):
    # Annex 2: 125 rows, 3 with "-" as scope; "All" counts for each of the four levels.
    n, bars = chart(page(client, EPIM), "chart-advocacy-scope")
    assert n == 122
    assert bars == {
        "National": (77, 63.1),
        "Local": (75, 61.5),
        "EU": (48, 39.3),
        "Global": (22, 18.0),
    }


def test_epim_scope_chart_states_its_base_and_axes(client):
    content = page(client, EPIM)
    section = content.split('id="chart-advocacy-scope-title"')[1].split("</figure>")[0]
    assert "Levels of work, as the directory names them" in section
    axis = " ".join(re.findall(r'class="axis-label">([^<]*)</text>', section))
    assert axis == (
        "Levels of work, as the directory names them "
        "Annex rows giving each: count and share of the n = 122 that answered"
    )
    assert "From the question “Advocacy Scope”" in html.unescape(section)
    assert "Migrant-led advocacy across Europe (2019)" in section


def test_epim_charts_link_each_category_to_the_directory(client):
    content = page(client, EPIM)
    assert '<a href="/organisations/?level=national" class="bar-link">' in content
    assert '<a href="/organisations/?focus=health" class="bar-link">' in content


def erasmi_types_in_the_profiles() -> Counter:
    folder = Path(settings.BASE_DIR) / "fixtures" / "source" / "erasmi-2021"
    types = Counter()
    for path in folder.glob("networks-*.yaml"):
        for network in yaml.safe_load(path.read_text(encoding="utf-8"))["networks"]:
            types[network["type"]] += 1
    return types


def test_erasmi_type_chart_counts_the_23_profiles_by_the_seven_types(client):
    n, bars = chart(page(client, ERASMI), "chart-type-of-network")
    assert n == 23
    assert sum(count for count, _share in bars.values()) == 23
    assert bars["Migrant network"] == (5, 21.7)
    assert bars["State integration network"] == (3, 13.0)
    assert sorted(count for count, _ in bars.values()) == sorted(
        erasmi_types_in_the_profiles().values()
    )


def test_erasmi_target_groups_are_the_directorys_terms(client):
    n, bars = chart(page(client, ERASMI), "chart-target-groups")
    assert n == 23
    assert bars["Refugees"] == (15, 65.2)
    assert bars["Volunteers"] == (12, 52.2)


def test_the_raw_answers_stay_one_click_away(client):
    content = page(client, EPIM)
    section = content.split('id="question-scope"')[1].split("<h3")[0]
    assert "<summary>The answers as given" in section
    # Each item as the rows wrote it: "All" 9 times, "National" in 68 rows.
    assert "<li>All: 9</li>" in section
    assert "<li>National: 68</li>" in section


def test_the_reports_own_figures_are_charted_beside_ours(client):
    content = html.unescape(page(client, "unhcr-2020-rlo-mapping"))
    assert "The report's own figures: Working with refugee-led organizations in Europe" in content
    assert "20 of 38 (52.6%)" in content


@pytest.mark.parametrize("slug", [EPIM, ERASMI, "unhcr-2020-rlo-mapping"])
def test_a_count_of_the_whole_is_not_charted_as_a_share(client, slug):
    assert "55 of 55 (100%)" not in html.unescape(page(client, slug))


def test_no_survey_chart_has_two_bars_that_read_the_same(client):
    charts = 0
    for slug in Survey.objects.values_list("slug", flat=True):
        for svg in re.findall(r"<svg.*?</svg>", page(client, slug), re.S):
            charts += 1
            bars = re.split(r"<rect ", svg)[:-1]
            labels = [
                " ".join(re.findall(r'class="bar-label">([^<]*)</text>', bar)) for bar in bars
            ]
            assert len(labels) == len(set(labels)), labels
            assert "…" not in "".join(labels)
    assert charts >= 9


def test_chart_text_is_never_smaller_than_13_units(client):
    """The SVG is never scaled down on a 390-pixel phone (see the browser test), so 13 units are
    13 px; no text of a chart sets a smaller size."""
    content = page(client, EPIM)
    widths = re.findall(r'<svg[^>]*viewBox="0 0 (\d+) \d+" width="(\d+)"', content)
    assert len(widths) == 5
    # Drawn at its own width (1 unit = 1 px), narrower than a 390-pixel phone's column.
    assert all(view == width and int(width) <= 358 for view, width in widths)
    assert "font-size" not in "".join(re.findall(r"<svg.*?</svg>", content, re.S))


@pytest.mark.parametrize(
    "slug, queries",
    [
        # Survey, questions, responses, their answers, figures, and one query per vocabulary
        # charted (EPIM: levels, focus areas, target groups; ERASMI: focus areas, target groups,
        # network types).
        (EPIM, 8),
        (ERASMI, 8),
        ("urban-academy-2018-dilemmas", 5),
        # No published responses, so no query for their answers.
        ("unhcr-2020-rlo-mapping", 4),
    ],
)
def test_a_survey_page_takes_an_exact_number_of_queries(
    client, slug, queries, django_assert_num_queries
):
    with django_assert_num_queries(queries):
        page(client, slug)


def test_an_answer_maps_only_to_terms_of_its_questions_vocabulary():
    from django.core.exceptions import ValidationError

    from surveys.models import Answer

    answer = Answer.objects.get(response__survey__slug=EPIM, response__key="row-623",
                                question__key="focus")  # fmt: skip
    answer.terms = ["health"]
    answer.full_clean()
    answer.terms = ["health", "knitting"]
    with pytest.raises(ValidationError, match="knitting"):
        answer.full_clean()
    scope = Answer.objects.get(response__survey__slug=EPIM, response__key="row-623",
                               question__key="location")  # fmt: skip
    scope.terms = ["local"]
    with pytest.raises(ValidationError, match="not charted by a vocabulary"):
        scope.full_clean()


def test_epim_form_is_charted_by_the_directory_s_forms_of_organisation(client):
    # Annex 2: 119 rows give a form. Counted by hand from the seed: 24 begin "Network" or say
    # "Migrant-led Network", 14 are communities ("Blog Community" included); "Individual"
    # (7), "Freelancer, Individual" and a bare "Refugee-led" name no form of organisation.
    content = page(client, EPIM)
    n, bars = chart(content, "chart-form-of-the-organisation-if-applicable")
    assert n == 119
    assert bars["Network"] == (24, 20.2)
    assert bars["Community"] == (14, 11.8)
    assert bars["Organisation"][0] == 66
    assert "Individual" not in bars
    assert "9 of the 119 answers fit none of the categories" in content
    assert '/organisations/?form=network"' in content
