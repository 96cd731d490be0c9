"""Editors see the loop with the listed: invitations and answers on each record's page, the
outbox (bounced mail marked by hand notes the address undeliverable), the corrections the listed
sent, and the fields the listed may publish at once, checked against what they may correct."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from orgs.choices import AnswerKind, MailKind, MailStatus, SuggestionKind
from orgs.models import (
    Advocate,
    FieldOpenToTheListed,
    Invitation,
    ListedAnswer,
    Network,
    Organisation,
    OutgoingMail,
    Suggestion,
)
from orgs.services.answers import record_answer

pytestmark = pytest.mark.django_db

EDWAR_EMAIL = "edwar.k.hanna@gmail.com"
NETWORK_EMAIL = "sadija.klepo@migrantinnen-bayern.de"


@pytest.fixture
def edwar():
    return Advocate.objects.get(slug="edwar-hanna")


def sent_invitation(listed, editor, **fields) -> Invitation:
    """A notice sent on 1 March 2026, its link expiring on the 31st."""
    owner = {"advocate": listed} if isinstance(listed, Advocate) else {"network": listed}
    mail = OutgoingMail.objects.create(
        kind=MailKind.INVITATION,
        subject="You are listed in the Migrant-led Europe directory",
        body="Your personal link: https://example.org/listed/secret-token/",
        status=MailStatus.SENT,
        **owner,
    )
    invitation = Invitation.objects.create(
        sent_by=editor, mail=mail, expires_at=datetime(2026, 3, 31, tzinfo=UTC), **owner, **fields
    )
    Invitation.objects.filter(pk=invitation.pk).update(created_at=datetime(2026, 3, 1, tzinfo=UTC))
    return invitation


def page(client, record) -> str:
    url = reverse(f"admin:orgs_{record._meta.model_name}_change", args=[record.pk])
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_an_advocates_page_lists_their_invitations_and_answers(client, editor, edwar):
    invitation = sent_invitation(edwar, editor, used_at=datetime(2026, 3, 2, 9, 30, tzinfo=UTC))
    syrbanism = Organisation.objects.get(slug="syrbanism")
    answer = record_answer(
        edwar, AnswerKind.CONFIRMED, invitation=invitation, organisation=syrbanism
    )
    ListedAnswer.objects.filter(pk=answer.pk).update(at=datetime(2026, 3, 2, 9, 31, tzinfo=UTC))
    html = page(client, edwar)
    assert "Invitations (the notice with a personal link)" in html
    assert "Answers of the listed person" in html
    assert "<p>1 Mar 2026, 1 a.m.</p>" in html and "<p>31 Mar 2026, 2 a.m.</p>" in html
    assert "<p>2 Mar 2026, 10:30 a.m.</p>" in html and "<p>2 Mar 2026, 10:31 a.m.</p>" in html
    assert f'<a href="/admin/orgs/outgoingmail/{invitation.mail.pk}/change/">Sent</a>' in html
    assert "Confirmed the record" in html and "Syrbanism" in html
    assert "their personal link (sent 2026-03-01)" in html
    assert "secret-token" not in html


def test_a_networks_page_lists_its_invitations_and_answers(client, editor):
    network = Network.objects.get(slug="migrantinnen-netzwerk-bayern")
    invitation = sent_invitation(network, editor)
    record_answer(network, AnswerKind.CONSENTED, invitation=invitation)
    html = page(client, network)
    assert "Invitations (the notice with a personal link)" in html
    assert "Consented to messages" in html


def test_an_organisations_page_lists_its_advocates_invitations_and_answers_for_it(
    client, editor, edwar
):
    invitation = sent_invitation(edwar, editor)
    syrbanism = Organisation.objects.get(slug="syrbanism")
    record_answer(edwar, AnswerKind.CORRECTED, invitation=invitation, organisation=syrbanism)
    html = page(client, syrbanism)
    assert "Invitations to its advocates" in html
    assert f'<td><a href="/admin/orgs/advocate/{edwar.pk}/change/">Edwar Hanna</a></td>' in html
    assert "<td>2026-03-01 01:00</td><td>editor</td>" in html
    assert "<td>not used</td><td>2026-03-31</td>" in html
    assert "Answers given for it by its advocates" in html
    assert "Corrected the record" in html


def test_the_loop_on_a_record_page_is_read_only(client, editor, edwar):
    sent_invitation(edwar, editor)
    html = page(client, edwar)
    assert 'name="invitations-0-expires_at"' not in html
    assert 'name="invitations-0-used_at"' not in html


def test_the_outbox_names_the_listed_record_never_their_address(client, editor, edwar):
    invitation = sent_invitation(edwar, editor)
    response = client.get(reverse("admin:orgs_outgoingmail_changelist"))
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<a href="/admin/orgs/advocate/{edwar.pk}/change/">Edwar Hanna</a> (advocate)' in html
    assert EDWAR_EMAIL not in html
    detail = page(client, invitation.mail)
    assert "Edwar Hanna" in detail
    assert EDWAR_EMAIL not in detail
    assert "secret-token" not in detail  # the body, with the person's link, is not shown


def test_the_outbox_finds_mail_by_subject_and_filters_by_status(client, editor, edwar):
    sent_invitation(edwar, editor)
    bounced = OutgoingMail.objects.create(
        kind=MailKind.SENDER_CHECK,
        to_address="sender@example.org",
        subject="Confirm your address",
        body="…",
        status=MailStatus.BOUNCED,
    )
    url = reverse("admin:orgs_outgoingmail_changelist")
    found = client.get(url, {"q": "Confirm your"}).context["cl"].result_list
    assert list(found) == [bounced]
    filtered = client.get(url, {"status__exact": "bounced"}).context["cl"].result_list
    assert list(filtered) == [bounced]


def test_nobody_adds_mail_by_hand(client, editor):
    assert client.get(reverse("admin:orgs_outgoingmail_add")).status_code == 403


def test_marking_a_sent_notice_bounced_notes_the_address_undeliverable(client, editor, edwar):
    invitation = sent_invitation(edwar, editor)
    queued = OutgoingMail.objects.create(
        kind=MailKind.INVITATION, advocate=edwar, subject="Another", body="…"
    )
    response = client.post(
        reverse("admin:orgs_outgoingmail_changelist"),
        {"action": "mark_bounced", "_selected_action": [invitation.mail.pk, queued.pk]},
        follow=True,
    )
    shown = [str(message) for message in response.context["messages"]]
    assert shown == [
        "1 mail marked bounced.",
        "1 not marked: only mail sent (or given up) can come back.",
    ]
    invitation.mail.refresh_from_db()
    queued.refresh_from_db()
    assert (invitation.mail.status, queued.status) == ("bounced", "queued")
    assert invitation.mail.last_error == "Reported bounced by editor."
    answers = ListedAnswer.objects.filter(advocate=edwar).values_list("kind", "detail")
    assert list(answers) == [
        ("undeliverable", f"Mail #{invitation.mail.pk}: Reported bounced by editor.")
    ]


def test_a_viewer_cannot_mark_mail_bounced(client, viewer, edwar):
    mail = sent_invitation(edwar, viewer).mail
    client.post(
        reverse("admin:orgs_outgoingmail_changelist"),
        {"action": "mark_bounced", "_selected_action": [mail.pk]},
    )
    mail.refresh_from_db()
    assert mail.status == "sent"
    assert not ListedAnswer.objects.filter(advocate=edwar).exists()


def test_the_suggestions_queue_filters_the_corrections_sent_by_the_listed(client, editor, edwar):
    invitation = sent_invitation(edwar, editor)
    from_the_listed = Suggestion.objects.create(
        kind=SuggestionKind.CORRECTION,
        advocate=edwar,
        invitation=invitation,
        changes={"roles": ["", "Urban planner"]},
    )
    Suggestion.objects.create(
        kind=SuggestionKind.CORRECTION, advocate=edwar, message="From the public"
    )
    url = reverse("admin:orgs_suggestion_changelist")
    listed = client.get(url, {"sent_by": "listed", "status__exact": "pending"})
    assert list(listed.context["cl"].result_list) == [from_the_listed]
    public = client.get(url, {"sent_by": "public"}).context["cl"].result_list
    assert [suggestion.message for suggestion in public] == ["From the public"]


def add_open_field(client, record: str, field: str):
    return client.post(
        reverse("admin:orgs_fieldopentothelisted_add"), {"record": record, "field": field}
    )


def test_editors_open_a_correctable_field_to_the_listed(client, editor):
    response = add_open_field(client, "organisation", "description")
    assert response.status_code == 302
    assert list(FieldOpenToTheListed.objects.values_list("record", "field")) == [
        ("organisation", "description")
    ]


def test_a_field_of_another_kind_of_record_is_refused_with_the_fields_there_are(client, editor):
    response = add_open_field(client, "advocate", "website")
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["field"] == [
        "“website” is not a field the listed may correct on advocates. They may correct: "
        "name, roles, countries, cities, focus_areas, target_groups."
    ]
    assert not FieldOpenToTheListed.objects.exists()


@pytest.mark.parametrize("field", ["is_published", "slug", "confirmed_on", "nonsense", ""])
def test_a_field_the_listed_may_not_correct_is_refused(client, editor, field):
    response = add_open_field(client, "network", field)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["field"]
    assert not FieldOpenToTheListed.objects.exists()


def test_a_field_opened_twice_is_refused(client, editor):
    add_open_field(client, "network", "email")
    response = add_open_field(client, "network", "email")
    assert response.status_code == 200
    assert FieldOpenToTheListed.objects.count() == 1


def test_the_record_pages_filter_the_records_the_listed_confirmed(client, editor, edwar):
    Advocate.objects.filter(pk=edwar.pk).update(confirmed_on=datetime(2026, 3, 2).date())
    url = reverse("admin:orgs_advocate_changelist")
    confirmed = client.get(url, {"confirmed_on__isempty": "0"}).context["cl"].result_list
    assert [advocate.slug for advocate in confirmed] == ["edwar-hanna"]


def test_the_confirmed_date_is_read_only_for_editors(client, editor, edwar):
    html = page(client, edwar)
    assert 'name="confirmed_on"' not in html
    assert "Confirmed on" in html
