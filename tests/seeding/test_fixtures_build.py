"""The committed fixtures are exactly what the reviewable source files build, and only the
build reads those files."""

import json
import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command

from orgs.seeding import epim
from orgs.seeding.build import build_fixtures, fixture_files
from orgs.seeding.registry import SourceDataError
from orgs.services.records_import.reading import annex_readings
from tests.seeding.sources import SOURCE_DIR, copy_sources

BASE_DIR = Path(settings.BASE_DIR)
FIXTURES_DIR = BASE_DIR / "fixtures"


def test_committed_fixtures_are_what_the_sources_build():
    call_command("build_fixtures", "--check")


def test_building_twice_gives_the_same_text():
    assert build_fixtures(SOURCE_DIR) == build_fixtures(SOURCE_DIR)


def test_an_unmapped_focus_cell_stops_the_build_with_its_line(tmp_path):
    source = copy_sources(tmp_path)
    focus = source / "epim-2019" / "focus.tsv"
    lines = focus.read_text(encoding="utf-8").splitlines()
    focus.write_text("\n".join(line for line in lines if not line.startswith("Peace-building")))
    with pytest.raises(SourceDataError, match="annex2.tsv line 622: focus.tsv has no line"):
        build_fixtures(source)


def change_first_churchill_organisation(tmp_path, **changes) -> Path:
    source = copy_sources(tmp_path)
    records = source / "churchill-2018" / "records.yaml"
    document = yaml.safe_load(records.read_text(encoding="utf-8"))
    document["organisations"][0].update(changes)
    records.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return source


def test_an_unknown_vocabulary_slug_stops_the_build(tmp_path):
    source = change_first_churchill_organisation(tmp_path, focus=["knitting"])
    with pytest.raises(SourceDataError, match="unknown focus"):
        build_fixtures(source)


def test_a_personal_email_given_to_an_organisation_stops_the_build(tmp_path):
    source = change_first_churchill_organisation(tmp_path, email="edwar.k.hanna@gmail.com")
    with pytest.raises(SourceDataError, match="personal address"):
        build_fixtures(source)


# What the site reads at run time from the sources, the build writes beside the fixtures.


def test_the_build_writes_the_epim_tables_the_import_reads():
    built = build_fixtures(SOURCE_DIR)
    assert epim.READINGS_FILE in built
    # Not a fixture: load_directory never loads it.
    assert FIXTURES_DIR / epim.READINGS_FILE not in fixture_files(FIXTURES_DIR)
    assert (FIXTURES_DIR / epim.READINGS_FILE).read_text(encoding="utf-8") == (
        built[epim.READINGS_FILE]
    )


@pytest.mark.django_db
def test_the_import_reads_the_tables_as_the_sources_hold_them():
    built = annex_readings()
    sources = epim.AnnexReadings.from_folder(SOURCE_DIR / epim.REPORT, built.automatic)
    assert built == sources


def test_a_changed_epim_table_changes_the_built_tables(tmp_path):
    source = copy_sources(tmp_path)
    forms = source / "epim-2019" / "forms.tsv"
    forms.write_text(
        forms.read_text(encoding="utf-8") + "Cooperative, Migrant-led\tother\tmigrant-led\t"
        "Migrant-led\n",
        encoding="utf-8",
    )
    built = json.loads(build_fixtures(source)[epim.READINGS_FILE])
    assert built["forms"][-1]["cell"] == "Cooperative, Migrant-led"


# Run time never reads the build's sources: only orgs/seeding knows where they are.
SOURCE_PATH = re.compile(
    r"""fixtures[/\\]source\b|/\s*["']source["']|["']fixtures["']\s*,\s*["']source["']"""
)


def test_no_module_outside_the_build_names_the_fixture_sources_folder():
    mentions = []
    for package in ("orgs", "surveys", "directory"):
        for path in sorted((BASE_DIR / package).rglob("*.py")):
            if path.is_relative_to(BASE_DIR / "orgs" / "seeding"):
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if SOURCE_PATH.search(line):
                    mentions.append(f"{path.relative_to(BASE_DIR)}:{number}: {line.strip()}")
    assert mentions == []


def test_the_source_path_check_sees_each_way_of_writing_the_folder():
    for line in [
        'EPIM = BASE_DIR / "fixtures" / "source" / "epim-2019"',
        "see fixtures/source/epim-2019/forms.tsv",
        'os.path.join(BASE_DIR, "fixtures", "source")',
    ]:
        assert SOURCE_PATH.search(line), line
    assert not SOURCE_PATH.search('autocomplete_fields = ["source"]')
