"""Where the directory's cities are: the coordinates committed with the map's data
(`orgs/data/map.json`, built by `build_map_data`) given to the cities that have none.

A city an editor placed keeps its coordinates; a city the file does not know stays without
any, and the admin's list of cities shows it to editors ("Coordinates: missing").
"""

from django.db import transaction

from orgs.models import City
from orgs.projection import map_data


def committed_coordinates() -> dict[str, list[float]]:
    """{city slug: [latitude, longitude]} of the fixtures' cities."""
    return map_data()["cities"]


def locate_cities(city_model=City) -> int:
    """Gives the committed coordinates to the cities without any; returns how many it placed.
    (`city_model`: the migration's historical model.)"""
    known = committed_coordinates()
    placed = 0
    with transaction.atomic():
        unplaced = city_model.objects.filter(latitude__isnull=True, slug__in=list(known))
        for city in unplaced:
            city.latitude, city.longitude = known[city.slug]
            city.save(update_fields=["latitude", "longitude"])
            placed += 1
    return placed
