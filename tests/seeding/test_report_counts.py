"""Counts per report, written from reading the seed reports (not from the fixtures)."""

from collections import Counter

import pytest

from orgs.models import Network, Organisation, OrganisationCitation
from surveys.models import PublishedFigure, Response

pytestmark = pytest.mark.django_db

# EPIM 2019 Annex 2 (000_...txt lines 621-788): table rows under each country header.
EPIM_ROWS_PER_COUNTRY = {
    "Austria": 3, "Belgium": 17, "Bulgaria": 1, "Cyprus": 1, "Czech Republic": 1,
    "Denmark": 5, "Estonia": 1, "Finland": 6, "France": 9, "Germany": 9, "Greece": 5,
    "Hungary": 3, "Ireland": 4, "Italy": 8, "Malta": 3, "The Netherlands": 19, "Poland": 1,
    "Portugal": 9, "Romania": 2, "Spain": 3, "Sweden": 5, "United Kingdom": 10,
}  # fmt: skip

# ERASMI 2021 appendix list (004_...txt lines 493-532): the 23 profiles by heading.
ERASMI_PROFILES_PER_HEADING = {
    "Europe wide and global": 3, "Germany": 6, "Ireland": 5, "Italy": 3, "Sweden": 1,
    "Turkey": 4, "United Kingdom": 1,
}  # fmt: skip


def test_every_annex_2_row_is_one_response_in_its_country_block():
    locators = Response.objects.filter(survey__slug="epim-2019-mapping").values_list(
        "locator", flat=True
    )
    blocks = Counter(locator.split(", ")[1] for locator in locators)
    assert blocks == EPIM_ROWS_PER_COUNTRY
    assert sum(EPIM_ROWS_PER_COUNTRY.values()) == 125


def test_appendix_a_of_the_churchill_report_gives_twenty_organisations():
    organisations = (
        OrganisationCitation.objects.filter(
            source__key="churchill-2018", locator__startswith="Appendix A"
        )
        .values("organisation")
        .distinct()
    )
    assert organisations.count() == 20


def test_the_urban_academy_gives_twenty_eight_dilemmas():
    assert Response.objects.filter(survey__slug="urban-academy-2018-dilemmas").count() == 28


def test_the_erasmi_appendix_gives_twenty_three_networks_each_a_response():
    assert Network.objects.count() == 23
    headings = Counter(Network.objects.values_list("heading", flat=True))
    assert headings == ERASMI_PROFILES_PER_HEADING
    responses = Response.objects.filter(survey__slug="erasmi-2020-network-survey")
    assert responses.count() == 23
    assert not responses.filter(network=None).exists()


def test_the_erasmi_body_numbers_are_published_figures_of_the_55_network_survey():
    figures = PublishedFigure.objects.filter(survey__slug="erasmi-2020-network-survey")
    assert figures.get(key="fig2-state-integration-networks").count == 12
    assert figures.filter(figure="Figure 15").exists()
    assert {f.survey.respondents_reported for f in figures} == {55}


def test_the_epim_survey_reports_234_responses_and_its_shares():
    figures = PublishedFigure.objects.filter(survey__slug="epim-2019-mapping")
    assert figures.first().survey.respondents_reported == 234
    assert {75, 65, 40, 60} <= {int(f.share) for f in figures if f.share is not None}


def test_the_unhcr_mapping_found_20_of_38_offices_working_with_refugee_led_organisations():
    figure = PublishedFigure.objects.get(
        survey__slug="unhcr-2020-rlo-mapping", key="offices-engaging-rlos"
    )
    assert figure.count == 20
    assert figure.denominator == 38


def test_the_organisations_the_unhcr_brief_calls_refugee_led_are_marked_so():
    refugee_led = Organisation.objects.filter(
        leadership_claims__leadership="refugee-led", leadership_claims__source__key="unhcr-2020"
    ).values_list("name", flat=True)
    assert {"Lithuanian Refugee Council", "Hero2Be"} <= set(refugee_led)
