"""The home, country and focus charts say what they count, out of how many, with axis labels."""

import re

import pytest
from django.urls import reverse

from orgs.selectors.public_records import public_organisations
from tests.pages.test_survey_charts import chart

pytestmark = pytest.mark.django_db


def axis_labels(content: str, chart_id: str) -> list[str]:
    section = content.split(f'id="{chart_id}-title"')[1].split("</figure>")[0]
    return re.findall(r'class="axis-label">([^<]*)</text>', section)


def test_home_chart_gives_each_country_its_share_of_all_organisations(client):
    content = client.get(reverse("home")).content.decode()
    total = public_organisations().count()
    n, bars = chart(content, "chart-organisations-by-country")
    assert n == total
    in_greece = public_organisations().filter(countries="GR").count()
    assert bars["Greece"] == (in_greece, round(100 * in_greece / total, 1))
    assert axis_labels(content, "chart-organisations-by-country")[0] == "Country"
    assert "can add up to more than 100%" in content


def test_country_chart_gives_focus_shares_of_the_country_s_organisations(client):
    content = client.get(reverse("orgs:country", args=["GR"])).content.decode()
    in_greece = public_organisations().filter(countries="GR")
    n, bars = chart(content, "chart-focus-areas-of-organisations-in-greece")
    assert n == in_greece.count()
    health = in_greece.filter(focus_areas__slug="health").count()
    assert health and bars["Health and healthcare"] == (health, round(100 * health / n, 1))
    labels = axis_labels(content, "chart-focus-areas-of-organisations-in-greece")
    assert labels[0] == "Focus area"
    assert " ".join(labels[1:]) == f"Organisations (share of the {n} in Greece)"


def test_focus_chart_gives_country_shares_of_the_focus_s_organisations(client):
    content = client.get(reverse("orgs:focus", args=["health"])).content.decode()
    on_health = public_organisations().filter(focus_areas__slug="health")
    chart_id = "chart-organisations-working-on-health-and-heal"
    n, bars = chart(content, chart_id)
    assert n == on_health.count()
    in_greece = on_health.filter(countries="GR").count()
    assert bars["Greece"] == (in_greece, round(100 * in_greece / n, 1))
    assert axis_labels(content, chart_id)[0] == "Country"
