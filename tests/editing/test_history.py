"""Every change to a record is kept with who made it, and an editor can revert to an earlier one."""

import pytest
from django.urls import reverse

from orgs.models import Affiliation, Organisation
from tests.editing.admin_forms import form_data

pytestmark = pytest.mark.django_db


def change_url(record):
    meta = record._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[record.pk])


def edit_in_admin(client, record, **changes):
    """Opens the record's change page, changes some fields and saves, as an editor would."""
    page = client.get(change_url(record))
    data = form_data(page.content, f"{record._meta.model_name}_form")
    data.update(changes)
    response = client.post(change_url(record), data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""


def test_an_edit_is_recorded_with_its_author_and_can_be_reverted(client, editor):
    organisation = Organisation.objects.get(slug="syrbanism")
    before = organisation.history.count()
    edit_in_admin(client, organisation, description="A new description.", founded="2015")

    organisation.refresh_from_db()
    assert organisation.description == "A new description." and organisation.founded == 2015
    latest = organisation.history.first()
    assert organisation.history.count() == before + 1
    assert latest.history_user == editor
    changed = {change.field for change in latest.diff_against(latest.prev_record).changes}
    assert {"description", "founded"} <= changed

    history_page = client.get(
        reverse("admin:orgs_organisation_history", args=[organisation.pk])
    ).content.decode()
    assert "editor" in history_page and "Description" in history_page

    # Revert: open the version before the edit and save it.
    earlier = latest.prev_record
    revert_url = reverse(
        "admin:orgs_organisation_simple_history", args=[organisation.pk, earlier.history_id]
    )
    data = form_data(client.get(revert_url).content, "historicalorganisation_form")
    assert client.post(revert_url, data).status_code == 302
    organisation.refresh_from_db()
    assert organisation.description == earlier.description
    assert organisation.founded == earlier.founded
    assert client.get("/organisations/syrbanism/").content.decode().count("A new description") == 0


def test_relations_keep_their_history_and_personal_addresses_keep_none(client, editor):
    affiliation = Affiliation.objects.select_related("advocate").first()
    edit_in_admin(client, affiliation, role="Co-founder")
    latest = affiliation.history.first()
    assert latest.role == "Co-founder" and latest.history_user == editor
    from orgs.models import PersonalAddress

    assert not hasattr(PersonalAddress, "history")


def test_a_records_history_page_lists_changes_to_its_relations(client, editor):
    organisation = Organisation.objects.get(slug="syrbanism")
    alias = organisation.aliases.create(name="Syrbanism Vienna")
    alias.delete()
    page = client.get(reverse("admin:orgs_organisation_history", args=[organisation.pk]))
    related = page.content.decode().split('id="related-history"')[1]
    assert "Organisation alias: Syrbanism Vienna" in related
    assert "Deleted" in related and "Created" in related
    assert "Organisation citation: Migrant-led advocacy across Europe" in related
