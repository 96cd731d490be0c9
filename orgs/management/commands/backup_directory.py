"""Writes the whole directory to one JSON file (see `orgs.seeding.backups`)."""

import os
import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from orgs.seeding import backups


class Command(BaseCommand):
    help = (
        "Write every record, relation, citation, survey, suggestion and erasure note to one "
        "versioned JSON file (accounts and API tokens are not included)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", type=Path, help="The file to write (default: standard output)."
        )
        parser.add_argument(
            "--with-history",
            action="store_true",
            help="Include the history of every record (who changed what, when).",
        )

    def handle(self, *args, output=None, with_history=False, **options):
        if output is None:
            counts = backups.export(sys.stdout, with_history=with_history)
        else:
            # Written beside, then renamed: a failed export never leaves a file that looks whole.
            partial = output.with_name(output.name + ".partial")
            with partial.open("w", encoding="utf-8") as out:
                counts = backups.export(out, with_history=with_history)
            os.replace(partial, output)
        if options["verbosity"] > 0:
            where = output or "standard output"
            self.stderr.write(
                f"Exported {sum(counts.values())} rows of {len(counts)} tables to {where}"
                f"{' with history' if with_history else ''}. Accounts and API tokens are not "
                "included."
            )
