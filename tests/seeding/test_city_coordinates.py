"""Every city of the fixtures has coordinates, committed with the map's data, and they fall
inside its country's outline's bounds (a place of the same name elsewhere would not)."""

import json
from pathlib import Path

import pytest
from django.conf import settings

from orgs.models import City
from orgs.projection import DATA_FILE, map_data, place
from orgs.seeding.map_data import clip, fixture_cities, simplified

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
NEAR = 3  # map units (about 13 km): a coastal city beside its simplified coast


def test_every_city_of_the_fixtures_has_committed_coordinates():
    known = map_data()["cities"]
    cities = fixture_cities(FIXTURES)
    assert len(cities) == 101
    assert [city["slug"] for city in cities if city["slug"] not in known] == []


def test_each_city_lies_within_its_countrys_bounds():
    outlines = map_data()["countries"]
    far = []
    for city in fixture_cities(FIXTURES):
        shape = outlines.get(city["country"])
        if shape is None:  # Hungary: no outline in the data
            continue
        x, y = place(*map_data()["cities"][city["slug"]])
        left, top, right, bottom = shape["bounds"]
        if not (left - NEAR <= x <= right + NEAR and top - NEAR <= y <= bottom + NEAR):
            far.append(city["slug"])
    assert far == []


@pytest.mark.django_db
def test_the_loaded_fixtures_leave_no_city_without_coordinates():
    assert list(City.objects.filter(latitude__isnull=True).values_list("slug", flat=True)) == []
    athens = City.objects.get(slug="gr-athens")
    assert (athens.latitude, athens.longitude) == (37.9838, 23.7278)


def test_the_committed_map_data_is_small_and_says_where_it_comes_from():
    assert DATA_FILE.stat().st_size < 150_000
    assert "countryinfo" in json.loads(DATA_FILE.read_text())["source"]
    note = (DATA_FILE.parent / "SOURCE.md").read_text()
    assert "MIT" in note and "Creative Commons Attribution 4.0" in note


def test_simplifying_keeps_the_corners_and_drops_the_points_on_a_line():
    line = [(0, 0), (5, 0.1), (10, 0), (10, 10), (5, 10.2), (0, 10)]
    assert simplified(line, tolerance=1) == [(0, 0), (10, 0), (10, 10), (0, 10)]


def test_a_ring_is_cut_at_the_frames_edge():
    square = [[-30, 40], [-20, 40], [-20, 50], [-30, 50]]  # half of it west of 25° W
    cut = clip(square, "west", -25)
    assert sorted(map(tuple, cut)) == [(-25, 40), (-25, 50), (-20, 40), (-20, 50)]
