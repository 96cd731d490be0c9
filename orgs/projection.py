"""Where a place on Earth falls on the directory's map, and the map's committed outlines.

The projection is Lambert's azimuthal equal-area centred on 10° E, 52° N, as the EU's own
maps (ETRS89-LAEA) are: a country's area on the map is its area on the ground, so a shade
covers what it should. The outlines are built once (`build_map_data`) into `orgs/data/map.json`;
nothing is read from elsewhere at run time.
"""

import json
import math
from functools import cache
from pathlib import Path

CENTRE = (10.0, 52.0)  # longitude, latitude
# What the map shows, in degrees: Europe and the countries the directory lists beyond it
# (Georgia, Turkey), from Iceland to the Caspian.
FRAME = {"west": -25.0, "south": 33.0, "east": 50.0, "north": 72.0}
SCALE = 760.0  # map units per Earth radius: the whole frame is about 1,000 units wide
DATA_FILE = Path(__file__).resolve().parent / "data" / "map.json"


def project(longitude: float, latitude: float) -> tuple[float, float]:
    """Map units (x to the east, y to the south, as SVG counts) of a point, before the offset
    the committed data gives (`origin`)."""
    centre_longitude, centre_latitude = (math.radians(value) for value in CENTRE)
    longitude, latitude = math.radians(longitude), math.radians(latitude)
    cosine = math.cos(latitude) * math.cos(longitude - centre_longitude)
    k = math.sqrt(
        2
        / (1 + math.sin(centre_latitude) * math.sin(latitude) + math.cos(centre_latitude) * cosine)
    )
    x = k * math.cos(latitude) * math.sin(longitude - centre_longitude)
    y = k * (math.cos(centre_latitude) * math.sin(latitude) - math.sin(centre_latitude) * cosine)
    return SCALE * x, -SCALE * y


@cache
def map_data() -> dict:
    """The committed outlines: `width`, `height`, `origin` and each country's path and bounds."""
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def place(latitude: float, longitude: float) -> tuple[float, float]:
    """A point's position on the committed map."""
    x, y = project(longitude, latitude)
    left, top = map_data()["origin"]
    return x - left, y - top
