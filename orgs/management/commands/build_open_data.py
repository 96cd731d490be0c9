"""Builds the open data (/data/) at once, rather than waiting for the worker to."""

from django.core.management.base import BaseCommand

from orgs.services.open_data import building


class Command(BaseCommand):
    help = (
        "Write the open data into OPEN_DATA_DIR: the Frictionless data package "
        f"({building.PACKAGE}) and the same in HSDS 3.0's tables ({building.HSDS}). The "
        "background worker builds them by itself after every change."
    )

    def handle(self, *args, **options):
        built = building.build()
        if options["verbosity"] > 0:
            self.stderr.write(
                f"Built version {built.version} in {building.folder()}: "
                f"{sum(built.tables.values())} rows in {len(built.tables)} tables, "
                f"{sum(built.hsds_tables.values())} rows in {len(built.hsds_tables)} HSDS tables."
            )
