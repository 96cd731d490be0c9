"""Consent to messages is the person's own: editors read it, cannot give it, and changing the
address resets it, with an answer saying why."""

import pytest
from django.urls import reverse

from orgs.choices import AnswerKind
from orgs.models import Advocate, ListedAnswer, Network, PersonalAddress
from orgs.services import answers
from tests.editing.admin_forms import form_data

pytestmark = pytest.mark.django_db

RESET = "The address changed; consent must be given again"


@pytest.fixture
def advocate():
    advocate = Advocate.objects.get(slug="reshad-jalali")
    answers.set_consent(advocate, True)
    return advocate


def change_url(record) -> str:
    return reverse(f"admin:orgs_{record._meta.model_name}_change", args=[record.pk])


def the_form(client, record) -> dict:
    page = client.get(change_url(record))
    assert page.status_code == 200
    return form_data(page.content, f"{record._meta.model_name}_form")


def answers_of(record) -> list[tuple[str, str]]:
    return list(record.answers.order_by("at", "pk").values_list("kind", "detail"))


def test_the_address_form_offers_editors_no_consent_to_tick(client, editor, advocate):
    data = the_form(client, advocate)
    assert "personal_address-0-email" in data
    assert "personal_address-0-accepts_messages" not in data


def test_an_editor_posting_consent_for_a_person_changes_nothing(client, editor):
    advocate = Advocate.objects.get(slug="reshad-jalali")
    data = the_form(client, advocate)
    data["personal_address-0-accepts_messages"] = "on"

    response = client.post(change_url(advocate), data)

    assert response.status_code == 302
    assert PersonalAddress.objects.get(advocate=advocate).accepts_messages is False
    assert answers_of(advocate) == []


def test_an_editor_changing_the_address_resets_consent_and_records_why(client, editor, advocate):
    data = the_form(client, advocate)
    data["personal_address-0-email"] = "someone.else@example.org"

    response = client.post(change_url(advocate), data)

    assert response.status_code == 302
    address = PersonalAddress.objects.get(advocate=advocate)
    assert (address.email, address.accepts_messages) == ("someone.else@example.org", False)
    assert answers_of(advocate) == [(AnswerKind.CONSENTED, ""), (AnswerKind.WITHDREW, RESET)]


def test_an_editor_saving_the_record_with_the_same_address_keeps_consent(client, editor, advocate):
    data = the_form(client, advocate)
    data["personal_address-0-email"] = data["personal_address-0-email"].upper()
    data["roles"] = "Founder"

    response = client.post(change_url(advocate), data)

    assert response.status_code == 302
    assert PersonalAddress.objects.get(advocate=advocate).accepts_messages is True
    assert answers_of(advocate) == [(AnswerKind.CONSENTED, "")]


def test_a_networks_changed_address_resets_its_consent(client, editor):
    network = Network.objects.filter(personal_address__isnull=False).order_by("slug").first()
    answers.set_consent(network, True)
    data = the_form(client, network)
    data["personal_address-0-email"] = "new.coordinator@example.org"

    response = client.post(change_url(network), data)

    assert response.status_code == 302
    assert PersonalAddress.objects.get(network=network).accepts_messages is False
    assert list(
        ListedAnswer.objects.filter(network=network).order_by("at", "pk").values_list("kind")
    ) == [(AnswerKind.CONSENTED,), (AnswerKind.WITHDREW,)]
