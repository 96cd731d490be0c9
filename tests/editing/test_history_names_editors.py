"""Every history entry an editor's action writes names the editor and a reason, never "None"."""

import pytest
from django.apps import apps
from django.urls import reverse

from orgs.models import Advocate, FocusArea, Organisation, Suggestion
from tests.editing.admin_forms import form_data
from tests.editing.test_importing import TEN_ROWS, a_source, csv_file, import_url, upload

pytestmark = pytest.mark.django_db


def history_models():
    """Every model's history table (not the history of their many-to-many rows)."""
    return [
        model
        for model in apps.get_models()
        if any(field.name == "history_change_reason" for field in model._meta.fields)
    ]


def last_entries() -> dict:
    return {model: model.objects.order_by("-history_id").values_list("history_id", flat=True)
            .first() or 0 for model in history_models()}  # fmt: skip


def entries_since(last: dict) -> list:
    return [
        entry
        for model, history_id in last.items()
        for entry in model.objects.filter(history_id__gt=history_id).select_related("history_user")
    ]


def on_list(client, model, action, *records, **data):
    url = reverse(f"admin:orgs_{model._meta.model_name}_changelist")
    selected = {"action": action, "_selected_action": [record.pk for record in records]}
    return client.post(url, {**selected, **data}, follow=True)


# Each action prepares what it needs, yields, then acts: only the acting is watched.


def publish(client):
    hidden = Organisation.objects.get(slug="syrbanism")
    Organisation.objects.filter(pk=hidden.pk).update(is_published=False)
    yield
    on_list(client, Organisation, "publish", hidden)


def hide(client):
    yield
    on_list(client, Organisation, "hide", Organisation.objects.get(slug="syrbanism"))


def mark_checked(client):
    yield
    on_list(client, Advocate, "mark_checked_today", Advocate.objects.get(slug="larry-macaulay"))


def merge(client):
    keep = Organisation.objects.get(slug="mosaico")
    duplicate = Organisation.objects.get(slug="uniao-de-refugiados-em-portugal")
    yield
    on_list(client, Organisation, "merge_selected", keep, duplicate, keep=keep.pk)


def edit(client):
    organisation = Organisation.objects.get(slug="syrbanism")
    url = reverse("admin:orgs_organisation_change", args=[organisation.pk])
    data = form_data(client.get(url).content, "organisation_form")
    yield
    client.post(url, {**data, "description": "Urban research by Syrians in Vienna."})


def a_suggestion(**fields) -> Suggestion:
    suggestion = Suggestion.objects.create(
        kind="new-organisation", name="Refugee Cooks Collective", country="GR", city="Athens",
        leadership="refugee-led", leadership_basis="knows-its-people", message="A kitchen.",
        sender_email="amal@example.net", **fields,
    )  # fmt: skip
    suggestion.focus_areas.add(FocusArea.objects.get(slug="labour-market"))
    return suggestion


def approve(client):
    suggestion = a_suggestion()
    yield
    on_list(client, Suggestion, "approve", suggestion)


def approve_on_its_page(client):
    suggestion = a_suggestion()
    url = reverse("admin:orgs_suggestion_change", args=[suggestion.pk])
    data = form_data(client.get(url).content, "suggestion_form")
    yield
    client.post(url, {**data, "editor_note": "Checked its website.", "_approve": "1"})


def reject_on_its_page(client):
    suggestion = a_suggestion()
    url = reverse("admin:orgs_suggestion_change", args=[suggestion.pk])
    data = form_data(client.get(url).content, "suggestion_form")
    yield
    client.post(url, {**data, "editor_note": "Not migrant-led.", "_reject": "1"})


def correct(client):
    organisation = Organisation.objects.get(slug="syrbanism")
    suggestion = Suggestion.objects.create(
        kind="correction", organisation=organisation, website="https://syrbanism.example.org",
        leadership="diaspora-led", message="New website.", sender_email="a@example.net",
    )  # fmt: skip
    yield
    on_list(client, Suggestion, "approve", suggestion)


def import_a_file(client):
    upload(client, Organisation, csv_file(TEN_ROWS), "ten.csv", a_source())
    yield
    client.post(import_url(Organisation, "import_confirm"))


ACTIONS = [
    publish, hide, mark_checked, merge, edit, import_a_file, approve, approve_on_its_page,
    reject_on_its_page, correct,
]  # fmt: skip


@pytest.mark.parametrize("action", ACTIONS, ids=lambda action: action.__name__)
def test_every_history_entry_an_editors_action_writes_names_the_editor_and_a_reason(
    client, editor, action
):
    steps = action(client)
    next(steps)
    before = last_entries()
    next(steps, None)
    entries = entries_since(before)
    assert entries, "the action wrote no history"
    assert [
        (type(entry).__name__, entry.history_user, entry.history_change_reason)
        for entry in entries
        if entry.history_user != editor or not entry.history_change_reason
    ] == []


@pytest.mark.parametrize(
    "action, published, slugs, message, reason",
    [
        ("publish", True, ["mosaico", "syrbanism"], "2 records published.", "Published"),
        ("hide", False, ["mosaico", "syrbanism"], "2 records hidden.", "Hidden from the public"),
        ("hide", False, ["syrbanism"], "1 record hidden.", "Hidden from the public"),
    ],
)
def test_publishing_or_hiding_says_how_many_and_why_in_each_history(
    client, editor, action, published, slugs, message, reason
):
    Organisation.objects.filter(slug__in=slugs).update(is_published=not published)
    records = list(Organisation.objects.filter(slug__in=slugs))
    response = on_list(client, Organisation, action, *records)
    assert message in response.content.decode()
    for record in records:
        record.refresh_from_db()
        entry = record.history.first()
        assert (record.is_published, entry.history_user, entry.history_change_reason) == (
            published,
            editor,
            reason,
        )


def test_marking_a_record_checked_says_so_in_its_history(client, editor):
    advocate = Advocate.objects.get(slug="larry-macaulay")
    list(mark_checked(client))
    advocate.refresh_from_db()
    entry = advocate.history.first()
    assert entry.history_change_reason == f"Marked checked on {advocate.checked_on.isoformat()}"
    assert entry.history_user == editor


def test_an_edit_in_admin_names_the_fields_it_changed(client, editor):
    list(edit(client))
    entry = Organisation.objects.get(slug="syrbanism").history.first()
    assert entry.history_change_reason == "Edited in admin: description"


def test_a_records_history_page_never_says_none(client, editor):
    organisation = Organisation.objects.get(slug="syrbanism")
    list(edit(client))
    page = client.get(reverse("admin:orgs_organisation_history", args=[organisation.pk]))
    content = page.content.decode()
    assert "Edited in admin: description" in content
    assert "No account (a command)" in content  # the entry of the reports' loading
    assert ">None<" not in content.replace(" ", "").replace("\n", "")
