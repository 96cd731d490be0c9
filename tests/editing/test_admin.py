"""Editors keep the records in admin; viewers read; hidden records leave every public page."""

import pytest
from django.contrib import admin
from django.urls import reverse

from orgs.models import Erasure, Organisation, OutgoingMail
from surveys.models import Question
from tests.factories import PASSWORD, EditorFactory, UserFactory

pytestmark = pytest.mark.django_db


def admin_url(model, action, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


# The directory's models and API tokens; users, groups and login logs are the superuser's.
REGISTERED = sorted(
    (m for m in admin.site._registry if m._meta.app_label in ("orgs", "surveys", "authtoken")),
    key=lambda model: model._meta.label,
)


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_an_editor_can_open_every_admin_page_of_every_model(client, editor, model):
    assert client.get(admin_url(model, "changelist")).status_code == 200
    # Erasures are written by the erase action only, outgoing mail by the services that send
    # it: nobody adds one by hand.
    add_status = 403 if model in (Erasure, OutgoingMail) else 200
    assert client.get(admin_url(model, "add")).status_code == add_status
    record = model._default_manager.first()
    if record is not None:
        assert client.get(admin_url(model, "change", record.pk)).status_code == 200


def test_a_viewer_reads_but_cannot_change(client, viewer):
    organisation = Organisation.objects.get(slug="syrbanism")
    assert client.get(admin_url(Organisation, "changelist")).status_code == 200
    assert client.get(admin_url(Organisation, "add")).status_code == 403
    page = client.get(admin_url(Organisation, "change", organisation.pk))
    assert page.status_code == 200 and b'name="_save"' not in page.content


def test_staff_in_no_group_see_nothing(client):
    # Neither role: an account made staff by hand and put in no group.
    client.force_login(UserFactory(username="nobody", is_staff=True))
    assert client.get(admin_url(Organisation, "changelist")).status_code == 403
    assert b"have permission to view or edit anything" in client.get("/admin/").content


def test_an_editor_searches_organisations_by_alias_and_advocates_by_personal_email(client, editor):
    page = client.get(admin_url(Organisation, "changelist"), {"q": "ECRE"})
    assert b"European Council on Refugees and Exiles" in page.content
    from orgs.models import Advocate

    page = client.get(admin_url(Advocate, "changelist"), {"q": "edwar.k.hanna@gmail.com"})
    assert b"Edwar Hanna" in page.content


def test_a_hidden_organisation_vanishes_from_every_public_page_list_count_and_api(client):
    syrbanism = Organisation.objects.get(slug="syrbanism")
    syrbanism.is_published = False
    syrbanism.save()
    assert client.get("/organisations/syrbanism/").status_code == 404
    assert client.get("/api/v1/organisations/syrbanism/").status_code == 404
    for url in [
        "/organisations/?country=AT",
        "/organisations/export.csv?country=AT",
        "/countries/AT/",
        "/sources/epim-2019/",
        "/advocates/edwar-hanna/",
        "/surveys/epim-2019-mapping/",
        "/api/v1/organisations/?country=AT",
        "/api/v1/advocates/edwar-hanna/",
        "/api/hsds/organizations/?per_page=100",
        "/organisations/syrian-cultural-institute/",
    ]:
        response = client.get(url)
        content = b"".join(response.streaming_content) if response.streaming else response.content
        assert b"Syrbanism" not in content, url
    # The survey keeps the report's words, but no longer names or links the respondent.
    row = client.get("/api/v1/surveys/epim-2019-mapping/responses/").json()["results"][0]
    assert (row["key"], row["organisation"]) == ("row-622", None)
    austria = client.get("/api/v1/countries/AT/").json()["counts"]["organisations"]
    stats = client.get("/api/v1/stats/organisations/", {"group_by": "country"}).json()
    assert {"value": "AT", "label": "Austria", "count": austria} in stats["groups"]
    assert austria == Organisation.objects.filter(countries="AT").count() - 1


def test_a_public_page_says_when_the_record_was_last_checked(editor, client):
    organisation = Organisation.objects.get(slug="syrbanism")
    assert (
        "From a report of 2019; not checked since"
        in client.get(organisation.get_absolute_url()).content.decode()
    )
    client.post(
        admin_url(Organisation, "changelist"),
        {"action": "mark_checked_today", "_selected_action": [organisation.pk]},
    )
    assert "Last checked on" in client.get(organisation.get_absolute_url()).content.decode()


def test_editorial_notes_are_not_on_public_pages(client):
    organisation = Organisation.objects.exclude(note="").first()
    content = client.get(organisation.get_absolute_url()).content.decode()
    assert organisation.note not in content and "Editors' note" not in content


def test_an_editor_changes_how_a_question_is_charted(editor, client):
    question = Question.objects.get(survey__slug="epim-2019-mapping", key="location")
    assert (
        'id="chart-location-title"'
        not in client.get("/surveys/epim-2019-mapping/").content.decode()
    )
    question.chart = "whole"
    question.save()
    assert 'id="chart-location-title"' in client.get("/surveys/epim-2019-mapping/").content.decode()


def test_repeated_wrong_passwords_lock_the_account_with_a_clear_message(client, settings):
    # Not the signed-in `editor`: an editor with a password, signing in.
    EditorFactory(username="editor", password=PASSWORD)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/admin/login/", {"username": "editor", "password": "wrong"})
    response = client.post("/admin/login/", {"username": "editor", "password": PASSWORD})
    assert response.status_code == 429
    assert b"Sign-in locked for a while" in response.content
