"""Copies of the fixture sources that a test may change, and the fixtures they build."""

from pathlib import Path

from django.conf import settings

from orgs.seeding.build import build_fixtures, fixture_files

SOURCE_DIR = Path(settings.BASE_DIR) / "fixtures" / "source"


def copy_sources(tmp_path: Path) -> Path:
    target = tmp_path / "source"
    for path in SOURCE_DIR.rglob("*"):
        if path.is_file():
            destination = target / path.relative_to(SOURCE_DIR)
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(path.read_bytes())
    return target


def built_with(tmp_path: Path, change) -> list[Path]:
    """The fixture files, in load order, built from a copy of the sources `change` edited."""
    source = copy_sources(tmp_path)
    change(source)
    fixtures = tmp_path / "fixtures"
    fixtures.mkdir()
    for name, text in build_fixtures(source).items():
        (fixtures / name).write_text(text, encoding="utf-8")
    return fixture_files(fixtures)
