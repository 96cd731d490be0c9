"""Loads every fixture in dependency order. Natural keys make a second run change nothing."""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from orgs.seeding.build import FIXTURE_FILES


class Command(BaseCommand):
    help = "Load the vocabularies and the records of the five reports."

    def handle(self, *args, **options):
        call_command("loaddata", *FIXTURE_FILES, verbosity=options["verbosity"])
