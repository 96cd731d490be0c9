"""Fills the database with synthetic records to try the directory at scale; --delete undoes it."""

import sys

from django.core.management.base import BaseCommand
from tqdm import tqdm

from orgs.seeding import synthetic


class Command(BaseCommand):
    help = (
        "Add synthetic organisations, advocates and networks distributed like the real ones "
        "(marked so that --delete removes them again)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organisations", type=int, default=1000)
        parser.add_argument("--advocates", type=int, default=0)
        parser.add_argument("--networks", type=int, default=0)
        parser.add_argument("--seed", type=int, default=2026, help="Same seed, same records.")
        parser.add_argument(
            "--delete", action="store_true", help="Remove every synthetic record instead."
        )

    def handle(self, *args, **options):
        if options["delete"]:
            deleted = synthetic.delete_synthetic()
            summary = ", ".join(f"{count} {name}" for name, count in deleted.items())
            self.stdout.write(f"Deleted {summary}.")
            return
        for name in ("organisations", "advocates", "networks"):
            if options[name] < 0:
                self.stderr.write(f"--{name} cannot be negative.")
                sys.exit(2)
        bars = {}
        quiet = options["verbosity"] == 0

        def progress(label: str, done: int, total: int):
            if label not in bars:
                for bar in bars.values():
                    bar.close()
                bars[label] = tqdm(
                    total=total, desc=label, unit=" rows", file=sys.stderr, disable=quiet
                )
            bars[label].update(done - bars[label].n)

        synthetic.generate(
            options["organisations"],
            options["advocates"],
            options["networks"],
            seed=options["seed"],
            progress=progress,
        )
        for bar in bars.values():
            bar.close()
        self.stdout.write(
            f"Added {options['organisations']} organisations, {options['advocates']} advocates "
            f"and {options['networks']} networks (source `{synthetic.SOURCE_KEY}`)."
        )
