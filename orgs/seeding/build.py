"""Builds the fixture JSON of `fixtures/` from the reviewable files in `fixtures/source/`.

`sources.yaml` lists the reports in order, and each has a folder of its own; `READERS` says
how a folder is read. `build_fixtures()` returns {file name: JSON text}; the `build_fixtures`
command writes it and a test checks that the committed fixtures are exactly what it returns.

Besides the fixtures (`fixture_files`, which `load_directory` loads), the build writes what the
site reads at run time from the sources, so that nothing but the build reads `fixtures/source/`:
the EPIM tables the editors' import reads cells with (`epim.READINGS_FILE`).
"""

import json
from pathlib import Path

from orgs.links import EMAIL_ADDRESS
from orgs.seeding import epim
from orgs.seeding.readers import load_yaml, reader_for
from orgs.seeding.registry import Registry, SourceDataError
from orgs.seeding.writer import FixtureWriter, vocabulary_objects, write_records, write_surveys

VOCABULARY_FILE = "vocabularies.json"
SOURCES_FILE = "sources.yaml"
SOURCE_FOLDER = "source"  # in the fixtures folder


def sources_of(fixtures_dir: Path) -> Path:
    """The folder of the reviewable files the fixtures in `fixtures_dir` are built from."""
    return fixtures_dir / SOURCE_FOLDER


def read_sources(source_dir: Path) -> list[dict]:
    """The reports of `sources.yaml`, checked against the report folders beside it."""
    sources = load_yaml(source_dir / SOURCES_FILE).get("sources") or []
    keys = [source.get("key") for source in sources]
    if len(set(keys)) != len(keys) or not all(keys):
        raise SourceDataError(f"{SOURCES_FILE}: every report needs a key of its own: {keys}")
    folders = {path.name for path in source_dir.iterdir() if path.is_dir()}
    if missing := [key for key in keys if key not in folders]:
        raise SourceDataError(f"{SOURCES_FILE} lists {missing}, but fixtures/source has no folder")
    if unlisted := sorted(folders - set(keys)):
        raise SourceDataError(f"folders {unlisted} in fixtures/source are not in {SOURCES_FILE}")
    return sources


def read_vocabularies(source_dir: Path) -> dict:
    document = load_yaml(source_dir / "vocabularies.yaml")
    return {
        "levels": [term["slug"] for term in document["levels_of_work"]],
        "focus": [term["slug"] for term in document["focus_areas"]],
        "target_groups": [term["slug"] for term in document["target_groups"]],
        "network_types": [term["slug"] for term in document["network_types"]],
        "document": document,
        "city_names": load_yaml(source_dir / "city-names.yaml"),
    }


def read_merges(registry: Registry, source_dir: Path):
    for merge in load_yaml(source_dir / "merges.yaml").get("merges") or []:
        if not merge.get("reason"):
            raise SourceDataError(f"merges.yaml: merge into {merge['into']} gives no reason")
        for key in merge["keys"]:
            if key != merge["into"]:
                registry.key_renames[key] = merge["into"]


def build_registry(source_dir: Path, sources: list[dict]) -> Registry:
    registry = Registry(
        vocabularies=read_vocabularies(source_dir), reports=[s["key"] for s in sources]
    )
    read_merges(registry, source_dir)
    for report in registry.reports:
        reader_for(report)(registry, source_dir / report, report)
    check_privacy(registry)
    return registry


def check_privacy(registry: Registry):
    """A person's address must never end up as an organisation's or a network's public one."""
    personal = {
        record.personal_address[0].lower()
        for record in registry.records.values()
        if record.personal_address
    }
    for kind in ("organisation", "network"):
        for record in registry.of_kind(kind):
            email = (record.values.get("email") or "").lower()
            if email in personal:
                raise SourceDataError(f"{kind} {record.key} shows the personal address {email}")
    for record in registry.records.values():
        emails = [record.values.get("email") or ""]
        emails += [record.personal_address[0]] if record.personal_address else []
        for email in emails:
            if email and not EMAIL_ADDRESS.fullmatch(email):
                raise SourceDataError(f"{record.kind} {record.key}: {email!r} is not an address")


def build_fixtures(source_dir: Path) -> dict[str, str]:
    sources = read_sources(source_dir)
    registry = build_registry(source_dir, sources)
    writer = FixtureWriter(registry)
    write_records(writer, registry)
    write_surveys(writer, registry)
    documents = {VOCABULARY_FILE: vocabulary_objects(registry, sources)}
    documents.update({f"{report}.json": objects for report, objects in writer.files.items()})
    if epim.REPORT in registry.reports:
        documents[epim.READINGS_FILE] = epim.read_tables(source_dir / epim.REPORT)
    return {
        name: json.dumps(objects, indent=1, ensure_ascii=False) + "\n"
        for name, objects in documents.items()
    }


def fixture_files(fixtures_dir: Path) -> list[Path]:
    """The fixture files in load order: the vocabularies, then each report in report order."""
    vocabularies = fixtures_dir / VOCABULARY_FILE
    objects = json.loads(vocabularies.read_text(encoding="utf-8"))
    reports = [o["fields"]["key"] for o in objects if o["model"] == "orgs.source"]
    return [vocabularies] + [fixtures_dir / f"{report}.json" for report in reports]
