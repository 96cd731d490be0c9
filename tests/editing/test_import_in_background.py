"""A large import runs in the background worker; the editor watches its progress, then sees
what it saved, or why it saved nothing."""

import pytest
from django.contrib.admin.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from orgs.models import Organisation, PendingImport, Source
from orgs.services import pending_imports
from tests.editing.test_importing import TEN_ROWS, a_source, csv_file, import_url, upload
from tests.factories import EditorFactory
from tests.worker import run_worker

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_files_go_to_the_worker(settings):
    settings.IMPORT_IN_REQUEST_MAX_ROWS = 5


def progress_url(pending: PendingImport) -> str:
    return reverse("admin:orgs_organisation_import_progress", args=[pending.pk])


def confirm(client):
    return client.post(import_url(Organisation, "import_confirm"))


def test_a_large_file_is_queued_and_the_page_says_it_waits_for_the_worker(client, editor):
    upload(client, Organisation, csv_file(TEN_ROWS), "ten.csv", a_source())
    response = confirm(client)
    pending = PendingImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == progress_url(pending)
    page = client.get(progress_url(pending)).content.decode()
    assert "queued, waiting for the background worker" in page
    assert '<meta http-equiv="refresh" content="2">' in page
    assert not Organisation.objects.filter(name="Atelier Nomade").exists()
    # Confirming again queues nothing twice.
    again = client.post(import_url(Organisation, "import_confirm"), follow=True)
    assert "no previewed file" in again.content.decode()


def test_the_worker_imports_it_and_the_page_shows_what_was_saved(client, editor):
    source = a_source()
    upload(client, Organisation, csv_file(TEN_ROWS), "ten.csv", source)
    confirm(client)
    pending = PendingImport.objects.get()
    run_worker()
    page = client.get(progress_url(pending)).content.decode()
    assert "Imported ten.csv: 10 rows, 8 records created, 2 merged." in page
    assert "http-equiv" not in page  # finished: the page no longer refreshes
    atelier = Organisation.objects.get(name="Atelier Nomade")
    assert atelier.citations.get().source == source
    assert atelier.history.get().history_user == editor
    run = LogEntry.objects.get(object_id=str(source.pk))
    assert "10 rows, 8 records created" in run.get_change_message()
    pending.refresh_from_db()
    assert (pending.status, pending.rows_done, bytes(pending.data)) == ("done", 10, b"")


def test_the_page_shows_the_rows_read_of_the_total_while_it_runs(client, editor):
    upload(client, Organisation, csv_file(TEN_ROWS), "ten.csv", a_source())
    confirm(client)
    PendingImport.objects.update(status="reading", rows_done=4)
    page = client.get(progress_url(PendingImport.objects.get())).content.decode()
    assert "Rows read: 4 of 10" in page
    assert '<progress id="import-progress" value="4" max="10">' in page
    assert '<meta http-equiv="refresh"' in page


def test_a_failure_in_the_worker_saves_nothing_and_says_why(client, editor):
    file = SimpleUploadedFile("ten.csv", csv_file(TEN_ROWS))
    client.post(import_url(Organisation), {"file": file, **new_source("fresh")})
    confirm(client)
    # Meanwhile someone else creates a source with the same key.
    Source.objects.create(key="fresh", title="Another", short_title="Another", year=2025)
    run_worker()
    page = client.get(progress_url(PendingImport.objects.get())).content.decode()
    assert "failed: nothing was imported" in page
    assert "Source with this Key already exists." in page
    assert not Organisation.objects.filter(name="Atelier Nomade").exists()


def test_rows_rejected_when_the_worker_reads_them_are_listed(client, editor):
    """The worker previews the file again: a row the database no longer allows is listed."""
    broken = ["", "", "Atlantis Aid", "", "Atlantis City", "", "", "", "Atlantis"]
    pending = pending_imports.keep_upload(
        editor, name="list.csv", format="csv", data=csv_file([*TEN_ROWS, broken]),
        source=a_source(),
    )  # fmt: skip
    pending_imports.previewed(pending, 11)
    pending_imports.queue_upload(pending)
    run_worker()
    page = client.get(progress_url(pending)).content.decode()
    assert "rejected: nothing was imported" in page
    assert "Row 12" in page and "unknown country &#x27;Atlantis&#x27;" in page
    assert not Organisation.objects.filter(name="Atelier Nomade").exists()


def test_another_editor_cannot_watch_an_import(client, editor):
    upload(client, Organisation, csv_file(TEN_ROWS), "ten.csv", a_source())
    confirm(client)
    other = Client()
    other.force_login(EditorFactory(username="other"))
    assert other.get(progress_url(PendingImport.objects.get())).status_code == 404


def new_source(key: str) -> dict:
    return {
        "source": "",
        "new_source_key": key,
        "new_source_title": "A fresh list",
        "new_source_short_title": "Fresh",
        "new_source_year": 2026,
    }
