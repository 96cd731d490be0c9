"""Imports the reports' fixtures into the database without undoing editors' changes.

Not an editor's file (`import_table`) nor a backup (`restore_directory`); see
`orgs.services.fixtures`.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from orgs.seeding.build import fixture_files
from orgs.services.fixtures import import_fixtures


class Command(BaseCommand):
    help = (
        "Import the vocabularies and the records of every report: create what is missing, "
        "update what nobody edited, report the rest (--force: overwrite edits too)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Write the fixtures over every row, editors' changes and deletions included.",
        )
        parser.add_argument(
            "--fixtures",
            type=Path,
            default=Path(settings.BASE_DIR) / "fixtures",
            help="The folder of fixture files (default: fixtures/).",
        )

    def handle(self, *args, force=False, fixtures=None, **options):
        report = import_fixtures(fixture_files(fixtures), force=force)
        if options["verbosity"] > 0:
            for line in report.lines():
                self.stdout.write(line)
