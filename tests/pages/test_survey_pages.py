"""The public survey pages: honest samples, charts that match the answers, nothing private."""

import html
import re

import pytest
from django.urls import reverse

from orgs.models import PersonalAddress
from surveys.models import PrivateAnswer, Question, Response, Survey

pytestmark = pytest.mark.django_db

EPIM = "epim-2019-mapping"
ERASMI = "erasmi-2020-network-survey"
URBAN_ACADEMY = "urban-academy-2018-dilemmas"
UNHCR = "unhcr-2020-rlo-mapping"


def survey_page(client, slug):
    response = client.get(reverse("surveys:survey", args=[slug]))
    assert response.status_code == 200
    return response.content.decode()


def all_pages(client):
    slugs = Survey.objects.values_list("slug", flat=True)
    pages = [client.get(reverse("surveys:surveys")).content.decode()]
    return pages + [survey_page(client, slug) for slug in slugs]


CHART_ITEM = re.compile(r"(.+) (\d+) \(([\d.]+)%\)")


def chart_items(page, chart_id):
    """{label: (count, share)} read from a chart's accessible title, e.g.
    "Scope (n = 122): National 77 (63.1%); Local 75 (61.5%)"."""
    match = re.search(rf'<title id="{chart_id}-title">[^:]*: (.*?)</title>', page, re.S)
    assert match, f"no chart {chart_id}"
    items = [CHART_ITEM.fullmatch(item) for item in html.unescape(match.group(1)).split("; ")]
    assert all(items), match.group(1)
    return {item[1]: (int(item[2]), float(item[3])) for item in items}


def chart_counts(page, chart_id):
    return {label: count for label, (count, _share) in chart_items(page, chart_id).items()}


def test_survey_list_shows_every_survey_with_its_report(client):
    response = client.get(reverse("surveys:surveys"))
    assert response.status_code == 200
    page = response.content.decode()
    for survey in Survey.objects.select_related("source"):
        assert survey.get_absolute_url() in page
        assert html.escape(survey.title) in page
        assert reverse("orgs:source", args=[survey.source.key]) in page


def test_survey_list_states_responses_held_beside_respondents_reported(client):
    page = client.get(reverse("surveys:surveys")).content.decode()
    assert "The directory holds 125 annex rows of the 234 survey responses." in page
    assert "The directory holds 23 published profiles of the 55 networks surveyed." in page


@pytest.mark.parametrize(
    "url, cold, warm",
    [
        # The surveys with their source, and their counts of responses and figures as subqueries.
        ("/surveys/", 1, 1),
        # The survey with its source and counts; its questions; its responses with their
        # organisation, advocate and network; their answers (one prefetch); its published
        # figures; then the names of each vocabulary its questions are charted by, uncached:
        # focus areas, levels and target groups.
        (f"/surveys/{EPIM}/", 8, 8),
        (f"/surveys/{ERASMI}/", 8, 8),  # focus areas, network types and target groups
        (f"/surveys/{URBAN_ACADEMY}/", 5, 5),  # no question charted by a vocabulary
        (f"/surveys/{UNHCR}/", 4, 4),  # published figures only: no response, so no answers
    ],
)
def test_each_survey_page_runs_a_fixed_number_of_queries(assert_cold_and_warm, url, cold, warm):
    response = assert_cold_and_warm(url, cold, warm)
    assert response.status_code == 200
    assert response.content.decode().count("<h1>") == 1


def test_erasmi_page_says_it_holds_23_of_the_55_networks_surveyed(client):
    page = survey_page(client, ERASMI)
    assert "The directory holds 23 published profiles of the 55 networks surveyed." in page
    assert "Answers in the 23 published profiles of the 55 networks surveyed" in page


def test_survey_without_respondents_reported_states_only_what_it_holds(client):
    page = survey_page(client, URBAN_ACADEMY)
    assert "The directory holds 28 published dilemmas;" in page
    assert "does not state how many took part" in page


def test_epim_scope_chart_counts_each_level_once_per_annex_row(client):
    # EPIM 2019 Annex 2's "Advocacy Scope" column; "All" is all four levels
    # (fixtures/source/README.md).
    counts = chart_counts(survey_page(client, EPIM), "chart-advocacy-scope")
    assert counts == {"National": 77, "Local": 75, "EU": 48, "Global": 22}


def test_epim_scope_chart_says_its_sample(client):
    page = survey_page(client, EPIM)
    # Annex 2: 125 rows, 3 of them with "-" as their scope.
    assert "Answers in 122 of the 125 annex rows of the 234 survey responses" in page


def test_a_long_list_chart_keeps_the_top_values_and_says_how_many_were_left_out(client):
    # The form question charted as given, as an editor may set it, has over 15 answers.
    Question.objects.filter(survey__slug=EPIM, key="form").update(vocabulary="")
    page = survey_page(client, EPIM)
    counts = chart_counts(page, "chart-form-of-the-organisation-if-applicable")
    assert len(counts) == 15
    assert re.search(r"the 15 most frequent of \d+ different answers shown", page)


def test_no_advocate_email_appears_on_any_survey_page(client):
    emails = [email.lower() for email in PersonalAddress.objects.values_list("email", flat=True)]
    assert emails
    for page in all_pages(client):
        page = html.unescape(page).lower()
        assert not [email for email in emails if email in page]


def test_answers_to_private_questions_never_appear(client):
    private = PrivateAnswer.objects.all()
    assert private.exists()
    # Every address in the cells, and each whole cell that is more than a stray word.
    needles = set()
    for text in private.values_list("text", flat=True):
        needles |= {word.lower().strip(".,;") for word in text.split() if "@" in word}
        if "@" in text or "." in text:
            needles.add(text.lower())
    for page in all_pages(client):
        page = html.unescape(page).lower()
        assert not [needle for needle in needles if needle in page]


def test_a_private_question_is_named_but_its_answers_are_not_counted(client):
    response = client.get(reverse("surveys:survey", args=[EPIM]))
    question = Question.objects.get(survey__slug=EPIM, is_private=True)
    summary = next(s for s in response.context["summaries"] if s.question == question)
    assert summary.answered is None and summary.chart is None
    section = response.content.decode().split(f'id="question-{question.key}">')[1]
    words = re.sub(r"<[^>]+>", " ", section.split("<h3")[0])
    assert "not shown" in words
    assert not re.search(r"\d", words)


def test_erasmi_page_links_every_profile_to_its_network(client):
    page = survey_page(client, ERASMI)
    responses = Response.objects.filter(survey__slug=ERASMI).select_related("network")
    for response in responses:
        assert reverse("orgs:network", args=[response.network.slug]) in page


def test_epim_rows_link_to_their_advocates_and_organisations(client):
    page = survey_page(client, EPIM)
    row = Response.objects.select_related("advocate", "organisation").get(
        survey__slug=EPIM, key="row-622"
    )
    assert reverse("orgs:advocate", args=[row.advocate.slug]) in page
    assert reverse("orgs:organisation", args=[row.organisation.slug]) in page


def test_urban_academy_lists_each_dilemma_with_its_author_and_result(client):
    page = html.unescape(survey_page(client, URBAN_ACADEMY))
    dilemma = Response.objects.select_related("advocate").get(
        survey__slug=URBAN_ACADEMY, key="question-1"
    )
    texts = dict(dilemma.answers.values_list("question__key", "text"))
    assert texts["dilemma"] in page
    assert texts["result"] in page
    assert reverse("orgs:advocate", args=[dilemma.advocate.slug]) in page


def test_published_figures_are_shown_with_their_quote_and_place(client):
    page = html.unescape(survey_page(client, UNHCR))
    assert "20 of 38" in page
    assert "more than half of its offices (20 out of 38)" in page
    assert "they describe all 38 UNHCR offices in the mapping" in page


def test_unknown_survey_is_not_found(client):
    response = client.get(reverse("surveys:survey", args=["no-such-survey"]))
    assert response.status_code == 404


def response_columns(page):
    """The questions the table of responses has a column for, between who and where."""
    header = page.split('<th scope="col">In the directory</th>')[1].split("Where in the report")[0]
    return re.findall(r'<th scope="col" lang="en">([^<]*)</th>', header)


def test_how_a_question_is_charted_and_listed_is_data_on_the_question(client):
    page = survey_page(client, EPIM)
    assert 'id="chart-advocacy-scope-title"' in page
    assert response_columns(page) == [
        "Form of the Organisation (if applicable)", "Location", "Advocacy Scope",
    ]  # fmt: skip
    Question.objects.filter(survey__slug=EPIM, key="scope").update(chart="", listing="")
    Question.objects.filter(survey__slug=EPIM, key="location").update(chart="whole")
    page = survey_page(client, EPIM)
    assert 'id="chart-advocacy-scope-title"' not in page
    assert chart_counts(page, "chart-location")["Athens, Greece"] == 4
    assert response_columns(page) == ["Form of the Organisation (if applicable)", "Location"]


def test_how_a_survey_names_what_it_holds_is_data_on_the_survey(client):
    Survey.objects.filter(slug=ERASMI).update(response_noun_plural="network profiles")
    page = survey_page(client, ERASMI)
    assert "The directory holds 23 network profiles of the 55 networks surveyed." in page
