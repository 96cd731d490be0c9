"""The next report is one folder and one entry in sources.yaml: no code change."""

from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

from orgs.models import LeadershipClaim, Organisation, PersonalAddress, Source
from orgs.seeding.build import build_fixtures
from orgs.seeding.registry import SourceDataError
from surveys.models import PublishedFigure
from tests.seeding.sources import built_with

NEW_REPORT = {
    "key": "new-report-2030",
    "short_title": "A new report",
    "title": "A new report on migrant-led organisations",
    "year": 2030,
    "seed_file": "",
}
RECORDS = {
    "organisations": [
        {
            "key": "a-new-migrant-led-organisation",
            "name": "A New Migrant-led Organisation",
            "countries": ["BE", "NL"],
            "cities": {"BE": ["Ghent"], "NL": ["Utrecht"]},
            "focus": ["integration"],
            "leadership": "migrant-led",
            "leadership_evidence": "named-by-report",
            "leadership_raw": "a migrant-led organisation",
            "locator": "Annex, line 3",
        },
        # A record an earlier report introduced: this report adds a citation and an alias.
        {
            "key": "syrbanism",
            "name": "Syrbanism Vienna",
            "locator": "Annex, line 4",
        },
    ],
    "people": [
        {
            "key": "a-new-advocate",
            "name": "A New Advocate",
            "country": "BE",
            "email": "a.new.advocate@example.org",
            "affiliations": [{"organisation": "a-new-migrant-led-organisation", "role": "Chair"}],
            "locator": "Annex, line 3",
        }
    ],
    "survey": {
        "key": "new-report-2030-survey",
        "title": "A survey",
        "year": 2030,
        "respondents_reported": 40,
        "questions": [{"key": "focus", "text": "Focus", "chart": "list"}],
    },
    "figures": [
        {
            "key": "half",
            "survey": "new-report-2030-survey",
            "label": "Half work locally",
            "share": 50,
            "approximate": True,
            "quote": "about half work locally",
            "locator": "page 2, line 10",
        }
    ],
}


def add_report(source: Path, listed: bool = True, folder: bool = True):
    sources = source / "sources.yaml"
    document = yaml.safe_load(sources.read_text(encoding="utf-8"))
    if listed:
        document["sources"].append(NEW_REPORT)
        sources.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    if folder:
        (source / NEW_REPORT["key"]).mkdir()
        records = source / NEW_REPORT["key"] / "records.yaml"
        records.write_text(yaml.safe_dump(RECORDS, allow_unicode=True), encoding="utf-8")


@pytest.mark.django_db
def test_a_new_report_folder_is_built_and_loaded_with_no_code_change(tmp_path):
    fixtures = built_with(tmp_path, add_report)
    assert fixtures[-1].name == "new-report-2030.json"
    call_command("load_fixtures", fixtures=fixtures[0].parent, verbosity=0)

    assert Source.objects.get(key="new-report-2030").year == 2030
    organisation = Organisation.objects.get(slug="a-new-migrant-led-organisation")
    assert {c.code for c in organisation.countries.all()} == {"BE", "NL"}
    assert {c.slug for c in organisation.cities.all()} == {"be-ghent", "nl-utrecht"}
    assert (organisation.leadership, organisation.leadership_evidence) == (
        "migrant-led",
        "named-by-report",
    )
    claim = LeadershipClaim.objects.get(organisation=organisation)
    assert (claim.source.key, claim.locator, claim.quote) == (
        "new-report-2030",
        "Annex, line 3",
        "a migrant-led organisation",
    )
    address = PersonalAddress.objects.get(advocate__slug="a-new-advocate")
    assert address.email == "a.new.advocate@example.org"
    syrbanism = Organisation.objects.get(slug="syrbanism")
    assert {c.source.key for c in syrbanism.citations.all()} == {"epim-2019", "new-report-2030"}
    alias = syrbanism.aliases.get(name="Syrbanism Vienna")
    assert alias.source.key == "new-report-2030"
    assert PublishedFigure.objects.get(survey__slug="new-report-2030-survey").approximate


def test_a_folder_missing_from_sources_yaml_stops_the_build(tmp_path):
    with pytest.raises(
        SourceDataError, match=r"folders \['new-report-2030'\].*not in sources.yaml"
    ):
        built_with(tmp_path, lambda source: add_report(source, listed=False))


def test_a_report_without_a_folder_stops_the_build(tmp_path):
    with pytest.raises(SourceDataError, match=r"lists \['new-report-2030'\], but .* no folder"):
        built_with(tmp_path, lambda source: add_report(source, folder=False))


def test_the_build_reads_reports_in_the_order_of_sources_yaml(tmp_path):
    source = tmp_path / "source"
    built_with(tmp_path, add_report)
    names = list(build_fixtures(source))
    assert names == [
        "vocabularies.json",
        "epim-2019.json",
        "churchill-2018.json",
        "urban-academy-2018.json",
        "unhcr-2020.json",
        "erasmi-2021.json",
        "new-report-2030.json",
        # Not a fixture: the EPIM tables the editors' import reads cells with.
        "epim-2019-readings.json",
    ]
