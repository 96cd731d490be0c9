"""The import page lets an editor name a new source, created only when the import is confirmed."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from orgs.models import Organisation, Source
from tests.editing.test_importing import TEN_ROWS, a_source, csv_file, import_url

pytestmark = pytest.mark.django_db

NEW_SOURCE = {
    "new_source_key": "lyon-survey-2026",
    "new_source_title": "A survey of Lyon's migrant-led organisations",
    "new_source_short_title": "Lyon survey",
    "new_source_year": "2026",
    "new_source_url": "https://lyon.example.org/survey",
}


def upload(client, rows=TEN_ROWS, **fields):
    file = SimpleUploadedFile("ten.csv", csv_file(rows))
    return client.post(import_url(Organisation), {"file": file, **fields})


def test_the_import_page_offers_a_new_source_and_links_to_the_sources_page(client, editor):
    page = client.get(import_url(Organisation)).content.decode()
    assert "Or name a new source" in page
    assert 'name="new_source_key"' in page and 'name="new_source_year"' in page
    assert 'href="/admin/orgs/source/add/"' in page


def test_a_new_source_is_created_with_the_import_and_cited_by_its_rows(client, editor):
    preview = upload(client, **NEW_SOURCE).content.decode()
    assert "a new source: lyon-survey-2026, created when you confirm" in preview
    assert not Source.objects.filter(key="lyon-survey-2026").exists()  # a preview saves nothing

    client.post(import_url(Organisation, "import_confirm"))
    source = Source.objects.get(key="lyon-survey-2026")
    assert (source.title, source.short_title, source.year, source.url) == (
        "A survey of Lyon's migrant-led organisations", "Lyon survey", 2026,
        "https://lyon.example.org/survey",
    )  # fmt: skip
    atelier = Organisation.objects.get(name="Atelier Nomade")
    assert atelier.citations.get().source == source


def test_a_rejected_file_creates_no_new_source(client, editor):
    broken = ["", "", "Atlantis Aid", "", "Atlantis City", "", "", "", "Atlantis"]
    upload(client, [*TEN_ROWS, broken], **NEW_SOURCE)
    client.post(import_url(Organisation, "import_confirm"))
    assert not Source.objects.filter(key="lyon-survey-2026").exists()


def test_a_new_source_needs_a_free_key_a_title_and_a_year(client, editor):
    a_source(key="lyon-survey-2026")
    response = upload(client, new_source_key="lyon-survey-2026", new_source_short_title="Lyon")
    errors = response.context["form"].errors
    assert "Source with this Key already exists." in errors["new_source_key"]
    assert "This field cannot be blank." in errors["new_source_title"]
    assert "This field cannot be null." in errors["new_source_year"]
    assert "Confirm import" not in response.content.decode()


def test_an_existing_source_and_a_new_one_together_are_refused(client, editor):
    response = upload(client, source=a_source().pk, **NEW_SOURCE)
    assert "not both" in str(response.context["form"].non_field_errors())


def test_an_import_names_its_source(client, editor):
    errors = upload(client).context["form"].errors
    assert "Choose the source, or name a new one below." in errors["source"]
