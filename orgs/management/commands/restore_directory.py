"""Restores an export of the directory into an empty database (see `orgs.seeding.backups`)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from orgs.seeding import backups

NOT_EMPTY = 2  # exit status when the database already holds records


class Command(BaseCommand):
    help = (
        "Restore a file written by backup_directory into an empty database, in one "
        "transaction: a broken or incompatible file saves nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="A file written by backup_directory.")

    def handle(self, *args, file=None, **options):
        try:
            with file.open("rb") as stream:
                counts, unknown_accounts = backups.restore(stream)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from error
        except backups.DatabaseNotEmpty as error:
            raise CommandError(
                f"{error} Restore only into an empty database (a new one, migrated); "
                "nothing was imported.",
                returncode=NOT_EMPTY,
            ) from error
        except backups.ImportRefused as error:
            raise CommandError(f"{error} Nothing was imported.") from error
        if options["verbosity"] > 0:
            self.stdout.write(
                f"Imported {sum(counts.values())} rows of {len(counts)} tables from {file}; "
                "search texts, sort names and id sequences rebuilt."
            )
            if unknown_accounts:
                self.stdout.write(
                    f"{unknown_accounts} references to accounts this database does not have "
                    "(reviewers, erasers, history authors) were left empty."
                )
