"""A citation reads as the report names its place; the line numbers are for editors only."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings

from orgs.locators import public_section
from orgs.models import Network, OrganisationCitation, Source
from orgs.seeding.build import fixture_files
from surveys.models import Survey

LINE_NUMBER = re.compile(r"\blines?\s+\d", re.IGNORECASE)


@pytest.mark.parametrize(
    "locator, wording",
    [
        # EPIM 2019: the annex country block, and places in the body.
        ("Annex 2, Austria, line 623", "Annex 2, Austria"),
        ("Annex 2, The Netherlands, line 733", "Annex 2, The Netherlands"),
        ("Annex 2, line 617", "Annex 2"),
        ("Annex 1, chart caption, lines 577-578", "Annex 1, chart caption"),
        ("Chapter Four, section 1, line 394", "Chapter Four, section 1"),
        (
            "Chapter One, section 5, line 211 (cf. Executive Summary, line 58)",
            "Chapter One, section 5 (cf. Executive Summary)",
        ),
        (
            'Annex 1, 1. Survey, line 564 (also Introduction, line 155: "A survey exercise '
            '(234 responses).")',
            'Annex 1, 1. Survey (also Introduction: "A survey exercise (234 responses).")',
        ),
        # Churchill 2018: the appendix item, its footnote and the main text.
        (
            "Appendix A, Berlin, item 3, line 512; footnote 51, line 538; body lines 69, 170, 245",
            "Appendix A, Berlin, item 3; footnote 51; Main text",
        ),
        ("Body, lines 186, 192 and 367; footnote 6, line 206", "Main text; footnote 6"),
        ("Acknowledgements, line 71", "Acknowledgements"),
        # Urban Academy 2018: module, session and question; title page and roles.
        ("Module 2, session 1, question 2, lines 275-276", "Module 2, session 1, question 2"),
        (
            "Module 1, session 3, question 1, lines 151, 161-163",
            "Module 1, session 3, question 1",
        ),
        (
            "Module 1, session 2, question 2, line 126 ('UNHCR/Thessaloniki Municipality')",
            "Module 1, session 2, question 2 ('UNHCR/Thessaloniki Municipality')",
        ),
        (
            "Title page (organiser), line 9; logo 'Gemeente Amsterdam', lines 13-14; "
            "Module 1, session 1, question 1, line 72",
            "Title page (organiser); logo 'Gemeente Amsterdam'; Module 1, session 1, question 1",
        ),
        (
            "Module 1 rapporteur, line 60; Module 2 rapporteur, line 229",
            "Module 1 rapporteur; Module 2 rapporteur",
        ),  # fmt: skip
        ("Introduction, lines 19, 27, 31, 37-47, 51", "Introduction"),
        # UNHCR 2020: snapshot by country, promising practices; a stray URL line is no section.
        (
            "Snapshot of ongoing activities, Sweden, lines 181-182; URL line 201",
            "Snapshot of ongoing activities, Sweden",
        ),
        (
            "Snapshot of ongoing activities, Austria, lines 149-150; Promising practice #1, "
            "lines 274-281; URL lines 193-194, 300; External references, lines 495-496",
            "Snapshot of ongoing activities, Austria; Promising practice #1; External references",
        ),
        ("Promising practice #1, lines 292-297", "Promising practice #1"),
        # ERASMI 2021: the profile under its country heading, and the body's figures.
        (
            "Appendix, Germany, IQ Netzwerk Sachsen-Anhalt, lines 993-1081",
            "Appendix, Germany, IQ Netzwerk Sachsen-Anhalt",
        ),
        (
            "Appendix, Turkey, Rebuilding the Lives in the Land of Hope, lines 2011-2012 and 2036",
            "Appendix, Turkey, Rebuilding the Lives in the Land of Hope",
        ),
        (
            "Appendix, Germany, Migrantinnen Netzwerk Bayern, lines 1105-1119, 1183, 1202",
            "Appendix, Germany, Migrantinnen Netzwerk Bayern",
        ),
        (
            "Appendix, Turkey, Mahir Eller Projesi, line 1943; Appendix, Turkey, Rebuilding the "
            "Lives in the Land of Hope, line 2021",
            "Appendix, Turkey, Mahir Eller Projesi; Appendix, Turkey, Rebuilding the Lives in the "
            "Land of Hope",
        ),
        ("Section 3.2.1, Figure 6, line 295", "Section 3.2.1, Figure 6"),
        ("Executive summary, line 57", "Executive summary"),
    ],
)
def test_a_locator_reads_as_the_report_names_the_place(locator, wording):
    assert public_section(locator) == wording


def fixture_locators() -> set[str]:
    locators = set()
    for path in fixture_files(Path(settings.BASE_DIR) / "fixtures"):
        for item in json.loads(path.read_text(encoding="utf-8")):
            if item["fields"].get("locator"):
                locators.add(item["fields"]["locator"])
    return locators


def test_every_locator_in_the_fixtures_has_a_public_wording_without_line_numbers():
    locators = fixture_locators()
    assert len(locators) > 300
    for locator in locators:
        wording = public_section(locator)
        assert wording, locator
        assert not LINE_NUMBER.search(wording), (locator, wording)
        assert not re.search(r"\b\d{3,}\b", wording.replace("(234 responses)", "")), wording


def public_pages() -> list[str]:
    pages = ["/sources/", "/surveys/"]
    pages += [f"/sources/{key}/" for key in Source.objects.values_list("key", flat=True)]
    pages += [survey.get_absolute_url() for survey in Survey.objects.all()]
    pages += [network.get_absolute_url() for network in Network.objects.published()]
    # Two organisations cited by each report, and every organisation with several claims.
    for source in Source.objects.all():
        citations = OrganisationCitation.objects.filter(source=source).order_by("locator")
        pages += [c.organisation.get_absolute_url() for c in citations[:2]]
    pages += ["/organisations/diaspora-network-alliance/", "/advocates/larry-macaulay/"]
    return pages


@pytest.mark.django_db
def test_no_public_page_shows_the_line_numbers_of_a_citation(client):
    pages = public_pages()
    assert len(pages) > 40
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        found = LINE_NUMBER.search(response.content.decode())
        assert not found, f"{page}: {found.group(0)!r}"


@pytest.mark.django_db
def test_a_citation_shows_the_report_linked_where_it_is_published_its_section_and_words(client):
    response = client.get("/networks/iq-netzwerk-sachsen-anhalt/")
    content = response.content.decode()
    assert '<a href="https://www.erasmi.info" rel="noopener" class="report-link">' in content
    assert "Appendix, Germany, IQ Netzwerk Sachsen-Anhalt" in content


@pytest.mark.django_db
def test_a_leadership_claim_names_its_section_without_line_numbers(client):
    response = client.get("/organisations/diaspora-network-alliance/")
    content = response.content.decode()
    assert "Annex 2, Germany" in content
    assert "line 684" not in content


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["erasmi-2021", "unhcr-2020"])
def test_a_report_page_links_to_the_published_report(client, key):
    url = Source.objects.get(key=key).url
    assert url.startswith("https://")
    response = client.get(f"/sources/{key}/")
    assert f'<a href="{url}" rel="noopener" class="report-link">Read the report</a>' in (
        response.content.decode()
    )


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["epim-2019", "churchill-2018", "urban-academy-2018"])
def test_a_report_page_says_when_the_directory_knows_no_address_for_it(client, key):
    assert Source.objects.get(key=key).url == ""
    response = client.get(f"/sources/{key}/")
    assert b"does not yet know where this report is published online" in response.content
