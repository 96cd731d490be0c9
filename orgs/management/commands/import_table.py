"""Imports organisations and advocates from a CSV, XLSX or EPIM-like file.

The reading, preview and commit are `orgs.services.records_import`'s (`reading`, `preview`,
`commit`)."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from orgs.models import Source
from orgs.services.records_import.commit import ImportRejected, commit_import
from orgs.services.records_import.preview import preview_import
from orgs.services.records_import.reading import Format, format_for

# Files shorter than this import without a progress bar.
PROGRESS_FROM = 200


class Command(BaseCommand):
    help = (
        "Preview the import of a file of organisations and advocates; with --commit, save it "
        "(all rows, or none when any row is rejected), citing the source --source."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--source", required=True, help="Key of the Source the rows cite.")
        parser.add_argument(
            "--format",
            choices=Format.values,
            help="csv, xlsx or epim (default: from the file's extension).",
        )
        parser.add_argument(
            "--first-line",
            type=int,
            default=1,
            help="EPIM layout: the number of the file's first line in its report (locators).",
        )
        parser.add_argument("--commit", action="store_true", help="Save the records.")

    def handle(self, *args, file: Path, source: str, format=None, first_line=1, **options):
        format = format or format_for(file.name)
        if not format:
            raise CommandError(f"Say --format: {file.name} has no extension of a known format.")
        try:
            source_record = Source.objects.get(key=source)
        except Source.DoesNotExist:
            raise CommandError(f"No source with the key {source!r}.") from None
        data = file.read_bytes()
        if not options["commit"]:
            preview = preview_import(data, format, first_line, self.progress)
            self.write_entries(preview.entries)
            self.stdout.write(preview.summary())
            return
        try:
            result = commit_import(
                data, format, source_record, first_line, file.name, self.progress
            )
        except ImportRejected as rejected:
            self.write_entries(rejected.preview.rejected)
            raise CommandError(
                f"Nothing saved: {len(rejected.preview.rejected)} rejected rows. "
                + rejected.preview.summary()
            ) from None
        for line in result.lines():
            self.stdout.write(line)

    def write_entries(self, entries):
        for entry in entries:
            kind = f"{entry.kind} " if entry.kind else ""
            reason = f" ({entry.reason})" if entry.reason else ""
            self.stdout.write(f"{entry.where}: {entry.action} {kind}{entry.record!r}{reason}")

    def progress(self, rows):
        rows = list(rows)
        return tqdm(rows, file=sys.stderr, disable=len(rows) < PROGRESS_FROM, unit="row")
