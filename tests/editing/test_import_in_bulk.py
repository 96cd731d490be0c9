"""A file of any length commits in bulk: queries grow with batches, never with rows, and a
failure anywhere saves nothing."""

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from orgs.models import (
    Advocate,
    Affiliation,
    Organisation,
    OrganisationCitation,
    PersonalAddress,
    Source,
)
from orgs.services.records_import.commit import commit_import, plan_import, save_import
from tests.editing.test_importing import a_source, csv_file, record_counts
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CITIES = [("Ghent", "BE"), ("Lyon", "FR"), ("Malmö", "SE"), ("Torino", "IT"), ("Porto", "PT")]


def rows(count: int, start: int = 0, people_every: int = 1) -> list[list[str]]:
    """Rows of organisations, each a new record in one of five countries; every
    `people_every`th row names a person working there too."""
    found = []
    for number in range(start, start + count):
        city, country = CITIES[number % len(CITIES)]
        person = number % people_every == 0
        found.append(
            [
                f"Person {number} Example" if person else "",
                f"https://org{number}.example.org"
                + (f" person{number}@mail.example" if person else ""),
                f"Bulk Collective {number}",
                "Association, Refugee-led",
                f"{city}, {country}",
                "Local",
                "Culture",
                "Refugees",
                country,
            ]
        )
    return found


def queries_to_commit(data: bytes, source: Source) -> int:
    with CaptureQueriesContext(connection) as queries:
        commit_import(data, "csv", source, file_name="bulk.csv")
    return len(queries)


def test_one_row_more_costs_no_query():
    """Queries grow with batches of rows (500 at most, fewer per statement on SQLite), never
    with each row: 600 rows and 601 save with as many queries."""
    commit_import(csv_file(rows(5, start=10_000)), "csv", a_source("places"))  # the cities
    first = queries_to_commit(csv_file(rows(600)), a_source("first"))
    second = queries_to_commit(csv_file(rows(601, start=600)), a_source("second"))
    assert first == second
    assert Organisation.objects.filter(name__startswith="Bulk Collective").count() == 1206


def test_ten_thousand_rows_commit_in_one_go():
    source = a_source()
    queries = queries_to_commit(csv_file(rows(10_000, people_every=10)), source)
    # Batches of rows (and statements of 999 values on SQLite): not one query per row.
    assert queries < 2_000
    assert OrganisationCitation.objects.filter(source=source).count() == 10_000
    assert Advocate.objects.filter(citations__source=source).count() == 1_000
    assert Affiliation.objects.filter(citations__source=source).count() == 1_000
    last = Organisation.objects.get(name="Bulk Collective 9999")
    assert last.email == ""
    assert (last.leadership, last.form, last.website) == (
        "refugee-led",
        "association",
        "https://org9999.example.org",
    )
    assert [c.code for c in last.countries.all()] == ["PT"]
    assert [c.name for c in last.cities.all()] == ["Porto"]
    assert " bulk collective 9999 " in f" {last.search_names} "
    person = Advocate.objects.get(name="Person 9990 Example")
    assert person.personal_address.email == "person9990@mail.example"
    assert " bulk " in person.search_document  # its organisation's name, searched once


def test_every_row_and_record_is_in_history_naming_the_editor_and_the_file():
    editor = UserFactory(username="importer")
    existing = Organisation.objects.get(slug="syrbanism")
    merged_row = [["", "", "Syrbanism", "", "Vienna, Austria", "", "Housing", "", "AT"]]
    data = csv_file(rows(3) + merged_row)
    commit_import(data, "csv", a_source(), file_name="people.csv", by=editor)
    reason = "Imported from people.csv, citing city-survey-2026"

    created = Organisation.objects.get(name="Bulk Collective 1")
    entry = created.history.get()
    assert (entry.history_type, entry.history_user, entry.history_change_reason) == (
        "+",
        editor,
        reason,
    )
    assert [link.country_id for link in entry.countries.all()] == ["FR"]
    assert [link.city.name for link in entry.cities.all()] == ["Lyon"]
    latest = existing.history.first()
    assert (latest.history_type, latest.history_user, latest.history_change_reason) == (
        "~",
        editor,
        reason,
    )
    assert "housing" in {link.focusarea.slug for link in latest.focus_areas.all()}
    person = Advocate.objects.get(name="Person 1 Example")
    for row in [
        created.citations.get(),
        created.leadership_claims.get(),
        person.citations.get(),
        Affiliation.objects.get(advocate=person),
        Affiliation.objects.get(advocate=person).citations.get(),
    ]:
        history = row.history.get()
        assert (history.history_type, history.history_user, history.history_change_reason) == (
            "+",
            editor,
            reason,
        ), row


def test_a_failure_while_saving_saves_nothing():
    """A record created between the preview and the save takes a slug the last batch needs:
    the save fails there, after earlier batches were written, and none of them stays."""
    data = csv_file(rows(1_200))
    preview = plan_import(data, "csv")
    last = preview.plans[-1][1][0]
    before = record_counts()
    Organisation.objects.create(name="Someone else", slug=last.slug)
    new_source = Source(key="failing", title="A failing import", short_title="Fail", year=2026)
    with pytest.raises(IntegrityError):
        save_import(preview, data, new_source, "bulk.csv")
    after = record_counts()
    assert after == {**before, "Organisation": before["Organisation"] + 1}
    assert not Source.objects.filter(key="failing").exists()
    assert not PersonalAddress.objects.filter(email__endswith="@mail.example").exists()
