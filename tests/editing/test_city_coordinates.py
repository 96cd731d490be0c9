"""Editors see the cities the map cannot draw, and give them coordinates."""

import pytest

from orgs.models import City

pytestmark = pytest.mark.django_db


def test_the_cities_admin_counts_and_lists_the_cities_without_coordinates(client, editor):
    City.objects.create(slug="gr-chios", name="Chios", country="GR")
    response = client.get("/admin/orgs/city/", {"coordinates": "missing"}, follow=True)
    content = response.content.decode()
    assert "1 cities have no coordinates and are left off the map" in content
    assert "Chios" in content
    assert "Athens" not in content


def test_an_editor_sets_a_citys_coordinates(client, editor):
    chios = City.objects.create(slug="gr-chios", name="Chios", country="GR")
    response = client.post(
        f"/admin/orgs/city/{chios.pk}/change/",
        {
            "slug": "gr-chios",
            "name": "Chios",
            "country": "GR",
            "names": "{}",
            "latitude": "38.3681",
            "longitude": "26.1358",
        },
    )
    assert response.status_code == 302
    chios.refresh_from_db()
    assert (chios.latitude, chios.longitude) == (38.3681, 26.1358)


def test_a_latitude_beyond_the_pole_is_refused_with_a_message(client, editor):
    chios = City.objects.create(slug="gr-chios", name="Chios", country="GR")
    response = client.post(
        f"/admin/orgs/city/{chios.pk}/change/",
        {"slug": "gr-chios", "name": "Chios", "country": "GR", "names": "{}", "latitude": "91",
         "longitude": "26"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "less than or equal to 90" in response.content.decode()
