"""Writes the fixture JSON in fixtures/ from the reviewable files they are built from.

Where those are, and what is built, is `orgs.seeding.build`'s: this command only compares or
writes the files."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from orgs.seeding.build import SOURCE_FOLDER, build_fixtures, sources_of
from orgs.seeding.registry import SourceDataError


class Command(BaseCommand):
    help = f"Build fixtures/*.json from fixtures/{SOURCE_FOLDER}/ (--check: fail if they differ)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Compare, write nothing.")

    def handle(self, *args, check=False, **options):
        fixtures_dir = Path(settings.BASE_DIR) / "fixtures"
        try:
            built = build_fixtures(sources_of(fixtures_dir))
        except SourceDataError as error:
            raise CommandError(str(error)) from error
        stale = [
            name
            for name, text in built.items()
            if not (fixtures_dir / name).exists()
            or (fixtures_dir / name).read_text(encoding="utf-8") != text
        ]
        if check:
            if stale:
                raise CommandError(f"Out of date, run build_fixtures: {', '.join(stale)}")
            self.stdout.write("Fixtures are up to date.")
            return
        for name in stale:
            (fixtures_dir / name).write_text(built[name], encoding="utf-8")
        self.stdout.write(f"Wrote {len(stale)} of {len(built)} fixture files.")
