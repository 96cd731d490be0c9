"""Maps drawn on the server as SVG: each country shaded by how many records a list holds there,
each city with records a dot whose area grows with its count; every shape a link to the list
filtered to it.

The counts are the lists' own facets (or the overviews' cached figures), so a map costs no
query of its own and always agrees with the list its links open. The SVG is hidden from
assistive technology and from the keyboard: the table beside it holds the same numbers and
links. Coordinates are written unlocalised, as strings formatted here ("244,0" is no number).
"""

import math
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.formats import number_format
from django.utils.http import urlencode
from django.utils.translation import get_language, gettext, ngettext
from django_countries import countries as country_names

from orgs.projection import map_data, place
from orgs.seeding.map_data import clip
from orgs.selectors.facets import facet_counts

CLASSES = 5  # shades of the countries with records, at most
MOST_DOTS = 100  # cities drawn, the most first: the others are in the filters
DOT_RADIUS = 9.0  # of the city with the most records, in units of the whole map
SMALLEST_DOT = 1.6
ZOOM_MARGIN = 0.12  # of a zoomed country's size, around it
SMALLEST_VIEW = 60.0  # units across: a small country is shown with its neighbours

COUNTED = {
    "organisations": lambda count: ngettext(
        "%(count)s organisation", "%(count)s organisations", count
    ),
    "advocates": lambda count: ngettext("%(count)s advocate", "%(count)s advocates", count),
    "networks": lambda count: ngettext("%(count)s network", "%(count)s networks", count),
}


def coordinate(value: float) -> str:
    return f"{value:.1f}"


@dataclass
class Area:
    code: str
    path: str
    shade: int = 0  # 0: no records
    name: str = ""
    count: int = 0
    url: str = ""
    chosen: bool = False
    title: str = ""


@dataclass
class Dot:
    name: str
    count: int
    url: str
    x: str
    y: str
    r: str
    title: str
    label_x: str = ""
    label_y: str = ""


@dataclass
class Row:
    name: str
    count: int
    url: str
    text: str


@dataclass
class Shade:
    shade: int
    low: int
    high: int

    @property
    def text(self) -> str:
        if self.low == self.high:
            return number_format(self.low)
        return f"{number_format(self.low)}–{number_format(self.high)}"


@dataclass
class Map:
    title: str
    view_box: str
    areas: list[Area] = field(default_factory=list)
    dots: list[Dot] = field(default_factory=list)
    legend: list[Shade] = field(default_factory=list)
    countries: list[Row] = field(default_factory=list)
    cities: list[Row] = field(default_factory=list)
    labelled: bool = False
    font_size: str = "11"
    stroke: str = "0.5"
    cities_left_out: int = 0

    @property
    def empty(self) -> bool:
        return not self.countries and not self.cities


def class_breaks(counts: list[int], classes: int = CLASSES) -> list[Shade]:
    """Quantile classes of the counts, never splitting equal counts; each class shows the
    lowest and highest count it really holds."""
    ordered = sorted(count for count in counts if count > 0)
    if not ordered:
        return []
    ranks = [math.ceil(len(ordered) * k / classes) - 1 for k in range(1, classes + 1)]
    uppers = sorted({ordered[rank] for rank in ranks})
    shades, start = [], 0
    for number, upper in enumerate(uppers, start=1):
        members = [count for count in ordered[start:] if count <= upper]
        shades.append(Shade(number, members[0], members[-1]))
        start += len(members)
    return shades


def shade_of(count: int, legend: list[Shade]) -> int:
    for shade in legend:
        if count <= shade.high:
            return shade.shade if count else 0
    return 0


def view_of(focus: str) -> tuple[float, float, float, float]:
    """The part of the map shown: all of it, or a country (ISO code) with a margin."""
    data = map_data()
    bounds = data["countries"].get(focus, {}).get("bounds") if focus else None
    if not bounds:
        return 0.0, 0.0, float(data["width"]), float(data["height"])
    left, top, right, bottom = bounds
    across = max(right - left, bottom - top, SMALLEST_VIEW) * (1 + 2 * ZOOM_MARGIN)
    middle_x, middle_y = (left + right) / 2, (top + bottom) / 2
    return middle_x - across / 2, middle_y - across / 2, across, across


def overlaps(bounds: list[float], view: tuple[float, float, float, float]) -> bool:
    left, top, width, height = view
    across = bounds[0] < left + width and bounds[2] > left
    return across and bounds[1] < top + height and bounds[3] > top


def draw_map(
    title: str,
    noun: str,
    countries: list[tuple[str, str, int, str, bool]],
    cities: list[tuple[str, float | None, float | None, int, str]],
    focus: str = "",
) -> Map:
    """A map of `countries` (code, name, count, list URL, chosen) and `cities` (name, latitude,
    longitude, count, list URL), zoomed to the country `focus` if given (its cities labelled)."""
    counted = COUNTED[noun]
    view = view_of(focus)
    zoom = view[2] / map_data()["width"]
    drawn = map_data()["countries"]
    legend = class_breaks([count for _code, _name, count, _url, _chosen in countries])
    by_code = {row[0]: row for row in countries}
    areas = []
    for code, shape in drawn.items():
        if not overlaps(shape["bounds"], view):
            continue
        area = Area(code, shape["path"] if not focus else cropped(shape["path"], view))
        if code in by_code:
            _code, name, count, url, chosen = by_code[code]
            text = counted(count) % {"count": number_format(count)}
            area.shade, area.name, area.count, area.url, area.chosen = (
                shade_of(count, legend),
                name,
                count,
                url,
                chosen,
            )
            area.title = f"{name}: {text}"
        areas.append(area)
    areas.sort(key=lambda area: area.chosen)  # the chosen outline drawn last, on top
    rows = [
        Row(name, count, url, counted(count) % {"count": number_format(count)})
        for code, name, count, url, _chosen in sorted(countries, key=lambda r: (-r[2], r[1]))
        if count and (not focus or code == focus)  # zoomed: the one country
    ]
    placed = sorted(
        (city for city in cities if city[3] and city[1] is not None and city[2] is not None),
        key=lambda city: (-city[3], city[0]),
    )
    shown = [city for city in placed if inside(place(city[1], city[2]), view)]
    most = max((city[3] for city in shown), default=1)
    dots = []
    for name, latitude, longitude, count, url in shown[:MOST_DOTS]:
        x, y = place(latitude, longitude)
        radius = max(SMALLEST_DOT, DOT_RADIUS * math.sqrt(count / most)) * zoom
        text = counted(count) % {"count": number_format(count)}
        title = f"{name}: {text}"
        dot = Dot(name, count, url, coordinate(x), coordinate(y), f"{radius:.2f}", title)
        if focus:
            dot.label_x, dot.label_y = coordinate(x + radius + 2 * zoom), coordinate(y + 3.5 * zoom)
        dots.append(dot)
    city_rows = [
        Row(name, count, url, counted(count) % {"count": number_format(count)})
        for name, _latitude, _longitude, count, url in sorted(cities, key=lambda c: (-c[3], c[0]))
        if count
    ]
    return Map(
        title=title,
        view_box=" ".join(coordinate(value) for value in view),
        areas=areas,
        dots=dots,
        legend=legend,
        countries=rows,
        cities=city_rows[:MOST_DOTS],
        labelled=bool(focus),
        font_size=f"{11 * zoom:.2f}",
        stroke=f"{0.5 * zoom:.3f}",
        cities_left_out=max(0, len(city_rows) - MOST_DOTS),
    )


def cropped(path: str, view: tuple[float, float, float, float]) -> str:
    """A committed path cut to the part of the map shown: a zoomed map draws nothing beyond
    its frame (a shape's box over the page below it would be taken for the cards' background)."""
    left, top, width, height = view
    edges = [("west", left), ("east", left + width), ("south", top), ("north", top + height)]
    rings = []
    for part in path.split("M")[1:]:
        numbers = [float(value) for value in part.rstrip("Z").split()]
        ring = [list(pair) for pair in zip(numbers[::2], numbers[1::2], strict=True)]
        for edge, limit in edges:  # "south" keeps y >= limit: SVG's y grows downwards
            ring = clip(ring, edge, limit) if ring else ring
        if len(ring) >= 3:
            rings.append("M" + " ".join(f"{x:.1f} {y:.1f}" for x, y in ring) + "Z")
    return "".join(rings)


def inside(point: tuple[float, float], view: tuple[float, float, float, float]) -> bool:
    x, y = point
    left, top, width, height = view
    return left <= x <= left + width and top <= y <= top + height


def with_value(path: str, query, name: str, value: str, country: str = "") -> str:
    """The list at `path` with the filters of `query` but `name` set to `value` alone (and the
    first page); a city's with the chosen countries narrowed to its `country`, which its
    records are in: a link does not carry every other chosen country."""
    pairs = [(key, item) for key in query for item in query.getlist(key)]
    kept = [(key, item) for key, item in pairs if key not in (name, "page", "show")]
    if country and ("country", country) in kept:
        kept = [(key, item) for key, item in kept if key != "country" or item == country]
    return f"{path}?{urlencode([*kept, (name, value)])}"


def list_map(filterset, query, path: str, noun: str) -> Map:
    """The map of a filtered list: its country and city facets (every filter applied but the
    facet's own, so each number is the list its link opens)."""
    country_counts = facet_counts(filterset, "country")
    chosen = set(filterset.form.cleaned_data.get("country") or [])
    countries = [
        (code, name, country_counts[code], with_value(path, query, "country", code), code in chosen)
        for code, name in filterset.filters["country"].extra["choices"]
        if country_counts.get(code)
    ]
    cities = []
    if "city" in filterset.filters:
        city_counts = facet_counts(filterset, "city")
        places = filterset.filters["city"].details
        for slug, name in filterset.filters["city"].extra["choices"]:
            if city_counts.get(slug):
                country, latitude, longitude = places.get(slug, (None, None, None))
                url = with_value(path, query, "city", slug, country or "")
                cities.append((name, latitude, longitude, city_counts[slug], url))
    focus = next(iter(chosen)) if len(chosen) == 1 else ""
    return draw_map(map_title(noun), noun, countries, cities, focus=focus)


def map_title(noun: str) -> str:
    return {
        "organisations": gettext("Where the organisations are"),
        "advocates": gettext("Where the advocates are"),
        "networks": gettext("Where the networks are"),
    }[noun]


def directory_map(
    by_country: list, by_city: list, focus: str = "", within: dict | None = None, title=""
) -> Map:
    """Organisations by country (code, name, count) and by city (`organisations_by_city`'s
    rows), each linking to the organisations list with the filters `within` and its own;
    zoomed to the country `focus` (its cities alone) if given."""
    organisations = reverse("orgs:organisations")
    within = within or {}
    language = get_language() or ""
    countries = [
        (code, name, count, f"{organisations}?{urlencode({**within, 'country': code})}",
         code == focus)
        for code, name, count in by_country
    ]  # fmt: skip
    cities = [
        (names.get(language) or name, latitude, longitude, count,
         f"{organisations}?{urlencode({**within, 'city': slug})}")
        for slug, name, names, country, latitude, longitude, count in by_city
        if not focus or country == focus
    ]  # fmt: skip
    title = title or map_title("organisations")
    return draw_map(title, "organisations", countries, cities, focus)


def network_map(network, places: dict) -> Map:
    """Where a network's member organisations are (`overviews.member_places`)."""
    by_country = [
        (code, country_names.name(code) or code, count)
        for code, count in places["countries"].items()
    ]
    return directory_map(
        by_country,
        places["cities"],
        within={"network": network.slug},
        title=gettext("Where its member organisations are"),
    )
