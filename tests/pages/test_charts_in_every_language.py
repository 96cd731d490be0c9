"""Every chart's markup holds plain numbers in every language: French, German and Arabic write
"244,0", which an SVG reads as no width at all, so the numbers in attributes are never
localised, while the values a person reads are."""

import re
import xml.etree.ElementTree as ElementTree

import pytest
from django.urls import reverse

from surveys.models import Survey

pytestmark = pytest.mark.django_db

LANGUAGES = ("en", "fr", "de", "ar")
NUMERIC_ATTRIBUTES = {"x", "y", "width", "height", "rx", "x1", "y1", "x2", "y2"}
SVG = re.compile(r"<svg\b.*?</svg>", re.DOTALL)


def chart_pages() -> list[str]:
    surveys = [
        reverse("surveys:survey", args=[slug])
        for slug in Survey.objects.values_list("slug", flat=True)
    ]
    assert len(surveys) == 4
    return [
        reverse("home"),
        reverse("orgs:country", args=["GR"]),
        reverse("orgs:focus", args=["health"]),
        *surveys,
    ]


def in_language(path: str, language: str) -> str:
    return path if language == "en" else f"/{language}{path}"


def charts(content: str) -> list[ElementTree.Element]:
    return [ElementTree.fromstring(svg) for svg in SVG.findall(content) if "bar-chart" in svg]


def numbers_of(svg: ElementTree.Element) -> list[tuple[str, str]]:
    """(attribute, value) of every number the chart's markup holds."""
    found = [("viewBox", value) for value in svg.get("viewBox").split()]
    for element in svg.iter():
        found += [
            (name, value) for name, value in element.attrib.items() if name in NUMERIC_ATTRIBUTES
        ]
    return found


def bar_widths(content: str) -> list[float]:
    return [float(rect.get("width")) for svg in charts(content) for rect in svg.iter("rect")]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_number_in_every_chart_is_a_plain_number(client, language):
    for path in chart_pages():
        response = client.get(in_language(path, language))
        assert response.status_code == 200, path
        found = charts(response.content.decode())
        assert found, f"no chart on {path} in {language}"
        for svg in found:
            for name, value in numbers_of(svg):
                assert re.fullmatch(r"-?\d+(\.\d+)?", value), (
                    f"{path} ({language}): {name}={value!r}"
                )


@pytest.mark.parametrize("language", ["fr", "de", "ar"])
def test_every_bar_is_as_long_as_in_english(client, language):
    for path in chart_pages():
        english = client.get(path).content.decode()
        other = client.get(in_language(path, language)).content.decode()
        assert bar_widths(other) == bar_widths(english), path
        assert max(bar_widths(english)) > 100


def test_a_share_a_person_reads_is_written_in_the_page_s_language(client):
    english = client.get(reverse("home")).content.decode()
    french = client.get("/fr" + reverse("home")).content.decode()
    assert re.search(r'class="bar-value">\d+ \(\d+\.\d%\)', english)
    assert re.search(r'class="bar-value">\d+ \(\d+,\d\xa0?%\)', french)
