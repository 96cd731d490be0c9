"""A body larger than its page takes is refused with a clear 413, before anything reads it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from orgs.models import Organisation, Source, Suggestion
from tests.editing.test_importing import TEN_ROWS, csv_file

pytestmark = pytest.mark.django_db

OVERSIZE = 300 * 1024  # above the 256 KB a form takes


def test_an_oversize_suggestion_is_refused_with_a_413_page(client):
    response = client.post("/suggest/", {"name": "Aid", "note": "x" * OVERSIZE})
    assert response.status_code == 413
    text = response.content.decode()
    assert "What you sent is too large" in text and "at most 256 KB" in text
    assert not Suggestion.objects.exists()


def test_an_oversize_file_sent_to_a_public_form_is_refused_unread(client):
    big = SimpleUploadedFile("big.bin", b"x" * (2 * 1024 * 1024))
    response = client.post("/suggest/", {"name": "Aid", "file": big})
    assert response.status_code == 413
    assert not Suggestion.objects.exists()


def test_the_413_page_speaks_the_pages_language(client):
    response = client.post("/fr/suggest/", {"note": "x" * OVERSIZE})
    assert response.status_code == 413
    assert "Ce que vous avez envoyé est trop volumineux" in response.content.decode()


def test_an_oversize_api_request_is_refused_in_json(client):
    response = client.post(
        "/api/v1/organisations/", "x" * OVERSIZE, content_type="application/json"
    )
    assert response.status_code == 413
    assert response.json() == {"detail": "The request is too large: at most 256 KB."}


def test_a_small_suggestion_is_not_refused(client):
    response = client.post("/suggest/", {"note": "A short note"})
    assert response.status_code != 413


def import_upload(client, data: bytes):
    source = Source.objects.create(key="size-test", title="Size", short_title="Size", year=2026)
    return client.post(
        reverse("admin:orgs_organisation_import"),
        {"file": SimpleUploadedFile("big.csv", data), "source": source.pk},
    )


def test_the_import_upload_takes_a_file_larger_than_a_form(client, editor):
    padding = [["", "", f"Padding Aid {n}", "", "", "", "", "", "BE"] for n in range(12_000)]
    data = csv_file(TEN_ROWS + padding)
    assert len(data) > OVERSIZE
    response = import_upload(client, data)
    assert response.status_code == 200
    assert "Confirm import" in response.content.decode()
    assert not Organisation.objects.filter(name="Padding Aid 1").exists()


def test_the_import_upload_has_a_limit_of_its_own(client, editor, settings):
    settings.IMPORT_UPLOAD_MAX_BYTES = 100 * 1024
    response = import_upload(client, b"x" * (200 * 1024))
    assert response.status_code == 413
