"""Lists sort by name ignoring case and accents, by country name with no country last, and by
last update, on every database alike; organisations, advocates and networks."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone

from orgs.models import Advocate, Country, Network, Organisation
from tests.responses import listed_names

pytestmark = pytest.mark.django_db

NAMES = ["zebra Aid", "Ärzte für Alle", "été solidaire", "Basis", "Ecole Ouverte", "arche"]
# Case and accents ignored: Ä with a, é with e.
BY_NAME = ["arche", "Ärzte für Alle", "Basis", "Ecole Ouverte", "été solidaire", "zebra Aid"]


@pytest.fixture
def iceland():
    """A country no record of the reports is in, so each test sees only its own records."""
    return Country.objects.create(code="IS", name="Iceland")


def names(response):
    return listed_names(response)


@pytest.mark.parametrize(
    "model, url",
    [(Organisation, "/organisations/"), (Advocate, "/advocates/"), (Network, "/networks/")],
)
def test_sorting_by_name_ignores_case_and_accents(client, iceland, model, url):
    for number, name in enumerate(NAMES):
        model.objects.create(slug=f"sorting-{number}", name=name).countries.set([iceland])
    assert names(client.get(url, {"country": "IS"})) == BY_NAME
    assert names(client.get(url, {"country": "IS", "sort": "-name"})) == BY_NAME[::-1]


@pytest.fixture
def places(iceland):
    """Records in Iceland, in Åland and Iceland, in Austria, and in no country."""
    aland = Country.objects.create(code="AX", name="Åland Islands")
    austria = Country.objects.get(code="AT")
    return {"Iceland": [iceland], "Åland": [aland, iceland], "Austria": [austria], "none": []}


@pytest.mark.parametrize(
    "model, url",
    [(Organisation, "/organisations/"), (Advocate, "/advocates/"), (Network, "/networks/")],
)
def test_sorting_by_country_uses_its_name_and_puts_records_without_one_last(
    client, places, model, url
):
    for number, (name, countries) in enumerate(places.items()):
        record = model.objects.create(slug=f"placed-{number}", name=f"Placed {name} qqsort")
        record.countries.set(countries)
    # Only these records: the test's own search word, matched in names by every list.
    query = {"q": "qqsort", "sort": "country"}
    # Åland Islands sorts with A, before Austria; the record without a country comes last.
    expected = ["Placed Åland qqsort", "Placed Austria qqsort", "Placed Iceland qqsort"]
    assert names(client.get(url, query)) == [*expected, "Placed none qqsort"]
    descending = names(client.get(url, {**query, "sort": "-country"}))
    assert descending == [*expected[::-1], "Placed none qqsort"]


@pytest.mark.parametrize(
    "model, url",
    [(Organisation, "/organisations/"), (Advocate, "/advocates/"), (Network, "/networks/")],
)
def test_sorting_by_last_update_puts_the_most_recent_first(client, iceland, model, url):
    now = timezone.now()
    for days, name in [(3, "Three days"), (1, "Yesterday"), (7, "Last week")]:
        record = model.objects.create(slug=f"updated-{days}", name=name)
        record.countries.set([iceland])
        model.objects.filter(pk=record.pk).update(updated_at=now - timedelta(days=days))
    response = client.get(url, {"country": "IS", "sort": "-updated"})
    assert names(response) == ["Yesterday", "Three days", "Last week"]


def test_the_sort_name_follows_the_name_on_every_save():
    organisation = Organisation.objects.get(slug="refugee-radio-network")
    assert organisation.sort_name == "refugeeradionetwork"
    organisation.name = "Émission Réfugiés"
    organisation.save()
    organisation.refresh_from_db()
    assert organisation.sort_name == "emissionrefugies"


def test_the_migration_fills_the_sort_names_of_existing_rows():
    migration = importlib.import_module("orgs.migrations.0013_sort_names")
    Organisation.objects.filter(slug="refugee-radio-network").update(sort_name="")
    Country.objects.filter(code="TR").update(sort_name="")
    migration.fill_sort_names(apps, None)
    assert Organisation.objects.get(slug="refugee-radio-network").sort_name == "refugeeradionetwork"
    assert Country.objects.get(code="TR").sort_name == "turkiye"
    assert not Organisation.objects.filter(sort_name="").exists()


def test_an_unknown_sort_is_a_clear_error_on_every_list(client):
    for url in ("/organisations/", "/advocates/", "/networks/"):
        response = client.get(url, {"sort": "shoe-size"})
        assert response.status_code == 400
        assert b"Select a valid choice" in response.content
