"""An import previewed on one server can be confirmed on another: the upload waits in the
database, not in a server's temporary folder, and is cleaned up."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from orgs.editing.records_import import SESSION_KEY
from orgs.models import Organisation, PendingImport
from orgs.services.pending_imports import discard_stale_uploads
from tests.editing.test_importing import TEN_ROWS, a_source, csv_file, import_url, upload
from tests.factories import EditorFactory

pytestmark = pytest.mark.django_db


def test_sessions_are_not_kept_in_a_servers_memory():
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"


def test_a_preview_on_one_server_is_confirmed_on_another(client, editor, tmp_path, settings):
    # The temporary folder is empty and private to this test: nothing may rely on it.
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    page = upload(client, Organisation, csv_file(TEN_ROWS), "ten.csv", a_source())
    assert "Confirm import" in page.content.decode()
    pending = PendingImport.objects.get()
    assert pending.name == "ten.csv" and pending.format == "csv"
    assert list(tmp_path.iterdir()) == []

    # Another server: its own (empty) cache, the same database, the editor's session cookie.
    cache.clear()
    other = Client()
    other.cookies[settings.SESSION_COOKIE_NAME] = client.cookies[settings.SESSION_COOKIE_NAME]
    done = other.post(import_url(Organisation, "import_confirm"), follow=True)
    assert "Imported ten.csv: 10 rows, 8 records created, 2 merged." in done.content.decode()
    assert Organisation.objects.filter(name="Atelier Nomade").count() == 1
    assert not PendingImport.objects.exists()


def test_a_new_upload_replaces_the_editors_previous_one(client, editor):
    source = a_source()
    upload(client, Organisation, csv_file(TEN_ROWS[:2]), "two.csv", source)
    upload(client, Organisation, csv_file(TEN_ROWS), "ten.csv", source)
    assert list(PendingImport.objects.values_list("name", flat=True)) == ["ten.csv"]


def test_an_editor_cannot_confirm_another_editors_upload(client, editor):
    upload(client, Organisation, csv_file(TEN_ROWS), "ten.csv", a_source())
    pending = PendingImport.objects.get()
    intruder = Client()
    intruder.force_login(EditorFactory(username="other"))  # a second editor, on their own browser
    session = intruder.session
    session[SESSION_KEY] = pending.pk
    session.save()
    done = intruder.post(import_url(Organisation, "import_confirm"), follow=True)
    assert "no previewed file" in done.content.decode()
    assert not Organisation.objects.filter(name="Atelier Nomade").exists()


def test_an_upload_left_for_more_than_a_day_is_deleted_and_cannot_be_confirmed(client, editor):
    upload(client, Organisation, csv_file(TEN_ROWS), "ten.csv", a_source())
    PendingImport.objects.update(created_at=timezone.now() - timedelta(days=1, minutes=1))
    done = client.post(import_url(Organisation, "import_confirm"), follow=True)
    assert "no previewed file" in done.content.decode()
    assert not Organisation.objects.filter(name="Atelier Nomade").exists()
    assert discard_stale_uploads() == 1
    assert not PendingImport.objects.exists()


def test_the_next_upload_cleans_up_stale_ones_from_anyone(client, editor):
    source = a_source()
    upload(client, Organisation, csv_file(TEN_ROWS), "old.csv", source)
    PendingImport.objects.update(created_at=timezone.now() - timedelta(days=2))
    other = Client()
    other.force_login(EditorFactory(username="other"))  # a second editor, on their own browser
    upload(other, Organisation, csv_file(TEN_ROWS), "new.csv", source)
    assert list(PendingImport.objects.values_list("name", flat=True)) == ["new.csv"]


def test_a_session_from_before_the_move_asks_for_the_file_again(client, editor):
    session = client.session
    session[SESSION_KEY] = {"file": "import-abc.csv", "format": "csv", "source": 1}
    session.save()
    done = client.post(import_url(Organisation, "import_confirm"), follow=True)
    assert done.status_code == 200
    assert "no previewed file" in done.content.decode()
