"""The home, country and focus charts say what they count, out of how many, with axis labels."""

import re

import pytest
from django.urls import reverse

from tests.pages.test_survey_charts import chart

pytestmark = pytest.mark.django_db


def axis_labels(content: str, chart_id: str) -> list[str]:
    section = content.split(f'id="{chart_id}-title"')[1].split("</figure>")[0]
    return re.findall(r'class="axis-label">([^<]*)</text>', section)


# The numbers are counted in the fixtures (fixtures/*.json), where each record cites its report.
# The directory's 235 organisations: EPIM 2019 107, ERASMI 2021 48, Urban Academy 2018 36,
# Churchill 2018 23, UNHCR 2020 21.
# 7 in Greece: EPIM 2019 Annex 2, Greece, lines 694-700 (5: Generation 2.0, Humanity Crew, Velos
# Youth, Greek Forum of Refugees, Changemakers Lab), and Urban Academy 2018 (2: Thessaloniki
# Municipality, Module 1 line 126; the Migration & Refugee Coordination Centre, Module 2 line 324).
# 16 working on health: 15 rows of EPIM 2019 Annex 2 and Hero2be (UNHCR 2020, Sweden); 2 of them
# in Greece, Humanity Crew (line 695) and Velos Youth (lines 696-698).


def test_home_chart_gives_each_country_its_share_of_all_organisations(client):
    content = client.get(reverse("home")).content.decode()
    n, bars = chart(content, "chart-organisations-by-country")
    assert n == 235
    assert bars["Greece"] == (7, 3.0)  # 7 of 235
    assert axis_labels(content, "chart-organisations-by-country")[0] == "Country"
    assert "can add up to more than 100%" in content


def test_country_chart_gives_focus_shares_of_the_country_s_organisations(client):
    content = client.get(reverse("orgs:country", args=["GR"])).content.decode()
    n, bars = chart(content, "chart-focus-areas-of-organisations-in-greece")
    assert n == 7
    assert bars["Health and healthcare"] == (2, 28.6)  # 2 of 7
    labels = axis_labels(content, "chart-focus-areas-of-organisations-in-greece")
    assert labels[0] == "Focus area"
    assert " ".join(labels[1:]) == "Organisations (share of the 7 in Greece)"


def test_focus_chart_gives_country_shares_of_the_focus_s_organisations(client):
    content = client.get(reverse("orgs:focus", args=["health"])).content.decode()
    chart_id = "chart-organisations-working-on-health-and-heal"
    n, bars = chart(content, chart_id)
    assert n == 16
    assert bars["Greece"] == (2, 12.5)  # 2 of 16
    assert axis_labels(content, chart_id)[0] == "Country"
