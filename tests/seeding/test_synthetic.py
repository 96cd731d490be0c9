"""Synthetic records: distributed like the real ones, browsable, and removed by one command."""

from collections import Counter

import pytest
from django.core.management import call_command

from orgs import search
from orgs.models import Advocate, Affiliation, Membership, Network, Organisation, Source
from orgs.seeding import synthetic

pytestmark = pytest.mark.django_db


def real_counts():
    return {
        model.__name__: model.objects.exclude(slug__startswith="synthetic-").count()
        for model in (Organisation, Advocate, Network)
    } | {"affiliations": Affiliation.objects.count(), "memberships": Membership.objects.count()}


def test_generated_records_are_like_the_real_ones_and_go_away_with_one_command(client):
    before = real_counts()
    call_command("generate_synthetic", organisations=300, advocates=400, networks=10, verbosity=0)

    made = Organisation.objects.filter(slug__startswith="synthetic-")
    assert made.count() == 300
    assert Advocate.objects.filter(slug__startswith="synthetic-").count() == 400
    assert Network.objects.filter(slug__startswith="synthetic-").count() == 10
    # Leadership and countries are spread as among the real organisations.
    leadership = Counter(made.values_list("leadership", flat=True))
    assert {"migrant-led", "refugee-led", "unknown"} <= set(leadership)
    assert made.filter(countries__isnull=False).distinct().count() > 200
    assert all(o.citations.get().source.key == "synthetic" for o in made[:20])
    sample = made.first()
    assert client.get(sample.get_absolute_url()).status_code == 200
    assert client.get("/organisations/", {"country": "GR"}).status_code == 200

    call_command("generate_synthetic", delete=True, verbosity=0)
    assert real_counts() == before
    assert not Organisation.objects.filter(slug__startswith="synthetic-").exists()
    assert not Source.objects.filter(key="synthetic").exists()


def test_the_same_seed_gives_the_same_records():
    synthetic.generate(20, 0, 0, seed=7)
    first = list(
        Organisation.objects.filter(slug__startswith="synthetic-").values_list("name", "leadership")
    )
    synthetic.delete_synthetic()
    synthetic.generate(20, 0, 0, seed=7)
    again = list(
        Organisation.objects.filter(slug__startswith="synthetic-").values_list("name", "leadership")
    )
    assert first == again


def test_synthetic_records_are_found_by_search(client):
    synthetic.generate(30, 0, 0, seed=3)
    record = (
        Organisation.objects.filter(slug__startswith="synthetic-")
        .prefetch_related("cities")
        .first()
    )
    word = record.name.split()[0]
    page = client.get("/organisations/", {"q": f"{word} {record.name.split()[-1]}"})
    assert record.name in page.content.decode()


def test_synthetic_records_sort_by_name_like_the_others():
    synthetic.generate(10, 5, 0, seed=5)
    made = Organisation.objects.filter(slug__startswith="synthetic-")
    assert all(o.sort_name for o in made)
    assert all(a.sort_name for a in Advocate.objects.filter(slug__startswith="synthetic-"))


def test_generating_reports_each_step_to_its_end():
    reached = {}

    def progress(label, done, total):
        reached[label] = (done, total)

    synthetic.generate(12, 8, 2, seed=4, progress=progress)
    assert reached == {
        "organisations": (12, 12),
        "advocates": (8, 8),
        "networks": (2, 2),
        "search texts of networks": (2, 2),
    }


def test_search_texts_written_with_the_records_are_those_a_refresh_writes():
    synthetic.generate(40, 60, 3, seed=11)
    for model in (Organisation, Advocate, Network):
        records = model.objects.filter(slug__startswith=synthetic.SLUG_PREFIX).order_by("pk")
        written = list(records.values_list("pk", *search.FIELDS))
        assert all(document for *_, document in written)
        search.refresh(model, [pk for pk, *_ in written])
        assert list(records.values_list("pk", *search.FIELDS)) == written, model
