"""Sends the listed the notice with a personal link (GDPR Art. 14); see
`orgs.services.invitations`. Safe to run again: whoever already has a notice is skipped."""

from django.core.management.base import BaseCommand, CommandError

from orgs.selectors import listed
from orgs.services import invitations


class Command(BaseCommand):
    help = (
        "Send each listed person (advocates, and networks with a private address) the notice of "
        "what the directory holds about them, with a personal link to their record. Whoever "
        "already has a notice is skipped, so a run stopped half-way can simply be run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--only",
            action="append",
            default=[],
            metavar="SLUG",
            help="Only this advocate or network (repeat for more).",
        )
        parser.add_argument(
            "--country", default="", metavar="CODE", help="Only those of this country (DE, FR…)."
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Say who would be written to and who skipped; write nothing.",
        )
        parser.add_argument(
            "--again",
            action="store_true",
            help="Write to those already sent a notice too (a new link for each).",
        )

    def handle(self, *args, only, country, dry_run, again, **options):
        records = listed.to_invite(only, country)
        missing = sorted(set(only) - {record.slug for record in records})
        if missing:
            raise CommandError(
                f"No advocate or network{' in ' + country.upper() if country else ''} has the "
                f"slug {', '.join(missing)}; nobody was written to."
            )
        outcome = invitations.invite(records, dry_run=dry_run, again=again)
        verb = "would write to" if dry_run else "notice queued for"
        for record, _ in outcome.sent:
            self.stdout.write(f"{verb} {record._meta.model_name} {record.slug}")
        for record, reason in outcome.skipped:
            self.stdout.write(f"skipped {record._meta.model_name} {record.slug}: {reason}")
        written = len(outcome.sent)
        summary = (
            f"{written} would be written to, {len(outcome.skipped)} skipped; nothing was written "
            "(dry run)."
            if dry_run
            else f"{written} notice{'s' * (written != 1)} queued (the worker sends them), "
            f"{len(outcome.skipped)} skipped."
        )
        self.stdout.write(self.style.SUCCESS(summary))
