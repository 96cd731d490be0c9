"""The committed fixtures are exactly what the reviewable source files build."""

from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

from orgs.seeding.build import build_fixtures
from orgs.seeding.registry import SourceDataError
from tests.seeding.sources import SOURCE_DIR, copy_sources


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
