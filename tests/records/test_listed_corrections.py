"""A listed person's corrections: fields the editors opened are published at once, in history
under the person's name; the rest reach the editors' queue with a diff, and an approval applies
them in the approving editor's name. Erasing the person takes what they sent with them."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from orgs.choices import AnswerKind, SuggestionStatus
from orgs.listed_fields import correctable_fields
from orgs.models import (
    Advocate,
    City,
    Erasure,
    FieldOpenToTheListed,
    FocusArea,
    Invitation,
    ListedAnswer,
    Network,
    NetworkCitation,
    Organisation,
    Suggestion,
)
from orgs.pages.listed_forms import CORRECTION_FORMS
from orgs.services import corrections, erasure, invitations, suggestions
from tests.editing.test_privacy_rights import everything_naming

pytestmark = pytest.mark.django_db

AS_THE_PERSON = "Abdulhamid Kwieder (the listed advocate, through their personal link)"


@pytest.fixture
def advocate():
    return Advocate.objects.get(slug="abdulhamid-kwieder")


@pytest.fixture
def invitation(advocate):
    [(_, invitation)] = invitations.invite([advocate]).sent
    return invitation


@pytest.fixture
def signed_in(client, invitation):
    client.post(reverse("orgs:listed_link", args=[invitations.token_for(invitation)]))
    return client


def advocate_form(**changed):
    """The advocate's correction form as the page fills it in, with `changed` values."""
    vienna = City.objects.get(slug="at-vienna")
    focus = FocusArea.objects.filter(
        slug__in=["anti-discrimination", "legal-protection", "integration"]
    )
    data = {
        "action": "correct",
        "name": "Abdulhamid Kwieder",
        "roles": "",
        "countries": ["AT"],
        "cities": [vienna.pk],
        "focus_areas": [term.pk for term in focus],
        "target_groups": [
            term.pk for term in Advocate.objects.get(slug="abdulhamid-kwieder").target_groups.all()
        ],
        "message": "",
    }
    data.update(changed)
    return data


def organisation_form(organisation, **changed):
    """The correction form of an organisation the person works for, as the page fills it in,
    with `changed` values."""
    data = {
        "action": "correct",
        "organisation": organisation.pk,
        "description": organisation.description,
        "website": organisation.website,
        "email": organisation.email,
        "cities": [city.pk for city in organisation.cities.all()],
        "focus_areas": [term.pk for term in organisation.focus_areas.all()],
        "target_groups": [term.pk for term in organisation.target_groups.all()],
        "message": "",
    }
    data.update(changed)
    return data


def test_a_correction_reaches_the_editors_queue_with_its_diff(signed_in, advocate, invitation):
    response = signed_in.post(
        "/listed/record/",
        advocate_form(name="Abdulhamid Kwieder-Haddad", roles="Spokesperson", message="Thanks."),
    )

    assert response.status_code == 302
    suggestion = Suggestion.objects.get()
    assert suggestion.changes == {
        "name": ["Abdulhamid Kwieder", "Abdulhamid Kwieder-Haddad"],
        "roles": ["", "Spokesperson"],
    }
    assert (suggestion.advocate, suggestion.invitation, suggestion.is_own) == (
        advocate,
        invitation,
        True,
    )
    assert (suggestion.status, suggestion.message) == (SuggestionStatus.PENDING, "Thanks.")
    advocate.refresh_from_db()
    assert (advocate.name, advocate.roles) == ("Abdulhamid Kwieder", "")
    answer = ListedAnswer.objects.get(kind=AnswerKind.CORRECTED)
    assert answer.detail == "for the editors: name, roles; with a message for the editors"


def test_places_and_terms_are_kept_in_the_diff_by_their_keys(signed_in):
    health = FocusArea.objects.get(slug="health")
    current = advocate_form()["focus_areas"]

    signed_in.post("/listed/record/", advocate_form(focus_areas=[*current, health.pk]))

    assert Suggestion.objects.get().changes == {
        "focus_areas": [
            ["anti-discrimination", "integration", "legal-protection"],
            ["anti-discrimination", "health", "integration", "legal-protection"],
        ]
    }


def test_an_open_field_is_published_at_once_with_history_naming_the_person(signed_in, advocate):
    FieldOpenToTheListed.objects.create(record="advocate", field="roles")

    signed_in.post("/listed/record/", advocate_form(roles="Spokesperson"))

    advocate.refresh_from_db()
    assert advocate.roles == "Spokesperson"
    assert advocate.confirmed_on == timezone.localdate()
    latest = advocate.history.latest()
    assert latest.history_change_reason == f"Corrected (roles) by {AS_THE_PERSON}"
    assert latest.history_user is None
    assert not Suggestion.objects.exists()
    assert ListedAnswer.objects.get(kind=AnswerKind.CORRECTED).detail == "published: roles"


def test_open_fields_are_published_and_the_others_queued(signed_in, advocate):
    FieldOpenToTheListed.objects.create(record="advocate", field="roles")

    signed_in.post("/listed/record/", advocate_form(name="A. Kwieder", roles="Spokesperson"))

    advocate.refresh_from_db()
    assert (advocate.name, advocate.roles) == ("Abdulhamid Kwieder", "Spokesperson")
    assert Suggestion.objects.get().changes == {"name": ["Abdulhamid Kwieder", "A. Kwieder"]}


def test_the_person_corrects_the_organisation_they_work_for(signed_in, advocate):
    organisation = advocate.affiliations.get().organisation

    signed_in.post(
        "/listed/record/",
        {
            "action": "correct",
            "organisation": organisation.pk,
            "description": "We document anti-Muslim racism in Austria.",
            "website": "https://dokustelle.at/",
            "email": "",
            "cities": [City.objects.get(slug="at-vienna").pk],
            "focus_areas": [term.pk for term in organisation.focus_areas.all()],
            "target_groups": [term.pk for term in organisation.target_groups.all()],
        },
    )

    suggestion = Suggestion.objects.get()
    assert (suggestion.organisation, suggestion.advocate) == (organisation, None)
    assert suggestion.changes == {
        "description": ["", "We document anti-Muslim racism in Austria."],
        "website": ["", "https://dokustelle.at/"],
    }
    assert ListedAnswer.objects.get(kind=AnswerKind.CORRECTED).organisation == organisation


def test_nothing_changed_and_nothing_said_is_refused(signed_in):
    response = signed_in.post("/listed/record/", advocate_form())

    assert response.status_code == 400
    assert "Nothing was changed, and there is no message." in response.content.decode()
    assert not Suggestion.objects.exists()
    assert not ListedAnswer.objects.filter(kind=AnswerKind.CORRECTED).exists()


def test_a_website_that_is_not_one_is_refused_and_nothing_is_kept(signed_in, advocate):
    organisation = advocate.affiliations.get().organisation
    response = signed_in.post(
        "/listed/record/",
        {"action": "correct", "organisation": organisation.pk, "website": "javascript:alert(1)"},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert page.count("Enter a web address that starts with http:// or https://.") == 1
    assert not Suggestion.objects.exists()


def test_approving_a_listed_correction_applies_it_in_the_editor_s_name(signed_in, advocate, editor):
    health = FocusArea.objects.get(slug="health")
    signed_in.post(
        "/listed/record/",
        advocate_form(name="Abdulhamid Kwieder-Haddad", focus_areas=[health.pk]),
    )
    suggestion = Suggestion.objects.get()

    suggestions.approve(suggestion, by=editor)

    advocate.refresh_from_db()
    assert advocate.name == "Abdulhamid Kwieder-Haddad"
    assert [term.slug for term in advocate.focus_areas.all()] == ["health"]
    latest = advocate.history.latest()
    assert latest.history_user == editor
    assert latest.history_change_reason == (
        f"Corrected from Suggestion {suggestion.pk} (the listed person's changes: name, focus "
        f"areas); marked checked on {timezone.localdate()}"
    )
    assert advocate.citations.filter(locator=f"Suggestion {suggestion.pk}").exists()


def test_approving_a_network_s_correction_applies_it(editor):
    network = Network.objects.get(slug="magnet-network")
    [(_, invitation)] = invitations.invite([network]).sent
    corrections.correct(
        network,
        network,
        {"websites": ["https://migrantacceleration.eu/", "https://magnet.example/"]},
        invitation=invitation,
    )

    suggestions.approve(Suggestion.objects.get(), by=editor)

    network.refresh_from_db()
    assert network.websites == ["https://migrantacceleration.eu/", "https://magnet.example/"]
    cited = NetworkCitation.objects.filter(network=network, source__key="public-suggestions")
    assert cited.count() == 1


def test_approving_a_removal_request_is_refused(signed_in, editor):
    signed_in.post("/listed/record/", {"action": "removal", "sure": "on"})
    request = Suggestion.objects.get()

    with pytest.raises(suggestions.ApprovalRefused, match="erase them"):
        suggestions.approve(request, by=editor)
    request.refresh_from_db()
    assert request.status == SuggestionStatus.PENDING


def test_the_editors_see_the_diff_on_the_suggestion_s_page(signed_in, client, editor):
    signed_in.post("/listed/record/", advocate_form(roles="Spokesperson"))
    suggestion = Suggestion.objects.get()
    client.force_login(editor)

    url = reverse("admin:orgs_suggestion_change", args=[suggestion.pk])
    page = client.get(url).content.decode()

    assert "As the person wrote it" in page
    assert '<th scope="row">Roles</th>' in page
    assert "<td>Spokesperson</td>" in page


def test_erasing_the_person_takes_what_they_sent_and_their_name(signed_in, advocate, editor):
    organisation = advocate.affiliations.get().organisation
    signed_in.post("/listed/record/", {"action": "confirm", "organisation": organisation.pk})
    signed_in.post(
        "/listed/record/",
        {"action": "correct", "organisation": organisation.pk, "description": "Ours."},
    )
    assert Suggestion.objects.filter(organisation=organisation).count() == 1

    erased = erasure.erase(advocate, by=editor)

    assert not Suggestion.objects.filter(organisation=organisation).exists()
    assert not Invitation.objects.exists()
    assert not ListedAnswer.objects.exists()
    reasons = organisation.history.values_list("history_change_reason", flat=True)
    assert not [reason for reason in reasons if reason and "Kwieder" in reason]
    assert erased.removed["suggestions they sent"] == 1
    assert Erasure.objects.count() == 1


def test_a_network_corrects_its_websites_one_per_line(client):
    network = Network.objects.get(slug="magnet-network")
    [(_, invitation)] = invitations.invite([network]).sent
    client.post(reverse("orgs:listed_link", args=[invitations.token_for(invitation)]))

    response = client.post(
        "/listed/record/",
        {
            "action": "correct",
            "description": network.description,
            "email": "",
            "websites": "https://migrantacceleration.eu/\r\nwww.magnet.example\r\n",
        },
    )

    assert response.status_code == 302
    assert Suggestion.objects.get(network=network).changes == {
        "websites": [
            ["https://migrantacceleration.eu/"],
            ["https://migrantacceleration.eu/", "www.magnet.example"],
        ]
    }


def test_the_editor_approves_it_from_its_page(signed_in, client, editor):
    signed_in.post("/listed/record/", advocate_form(roles="Spokesperson"))
    suggestion = Suggestion.objects.get()
    client.force_login(editor)
    url = reverse("admin:orgs_suggestion_change", args=[suggestion.pk])
    form = {
        "message": suggestion.message,
        "editor_note": "Checked with the person.",
        "_approve": "Approve",
    }

    client.post(url, form)

    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.reviewed_by) == (SuggestionStatus.APPROVED, editor)
    assert Advocate.objects.get(slug="abdulhamid-kwieder").roles == "Spokesperson"


def test_after_the_whole_loop_an_erasure_leaves_nothing_naming_the_person(client, editor):
    edwar = Advocate.objects.get(slug="edwar-hanna")
    syrbanism = Organisation.objects.get(slug="syrbanism")
    [(_, invitation)] = invitations.invite([edwar], by=editor).sent
    client.post(reverse("orgs:listed_link", args=[invitations.token_for(invitation)]))
    client.post("/listed/record/", {"action": "confirm", "organisation": syrbanism.pk})
    client.post(
        "/listed/record/",
        {"action": "correct", "organisation": syrbanism.pk, "description": "Urbanism, by us."},
    )
    client.post("/listed/record/", {"action": "consent", "accepts": "on"})
    client.post("/listed/record/", {"action": "removal", "sure": "on", "message": "Edwar Hanna"})
    assert everything_naming("Edwar Hanna")  # the notice, the answers, the requests

    data = erasure.personal_data(edwar)
    assert [answer["what"] for answer in data["their_answers"]] == [
        "Asked to be removed",
        "Consented to messages",
        "Corrected the record",
        "Confirmed the record",
        "Sent the notice",
    ]
    assert len(data["notices_sent_to_them"]) == 1
    assert len(data["suggestions_they_sent"]) == 2

    erasure.erase(edwar, by=editor)

    assert everything_naming("Edwar Hanna") == {}
    assert Organisation.objects.get(slug="syrbanism").confirmed_on == timezone.localdate()


@pytest.mark.parametrize(
    "model, kind",
    [(Advocate, "advocate"), (Organisation, "organisation"), (Network, "network")],
)
def test_the_forms_offer_exactly_the_fields_editors_may_open(model, kind):
    form = CORRECTION_FORMS[model](record=model.objects.first())
    assert sorted(form.correctable) == sorted(correctable_fields(kind))


def test_an_approved_correction_dates_the_record_confirmed_on_the_day_it_was_sent(
    signed_in, advocate, editor
):
    organisation = advocate.organisations.get()
    signed_in.post(
        "/listed/record/",
        organisation_form(
            organisation,
            description="We document anti-Muslim racism in Austria and support those affected.",
        ),
    )
    suggestion = Suggestion.objects.get(organisation=organisation)
    Suggestion.objects.filter(pk=suggestion.pk).update(
        created_at=timezone.now() - timedelta(days=3)
    )
    organisation.refresh_from_db()
    assert organisation.confirmed_on is None  # not before an editor approved it

    suggestions.approve(Suggestion.objects.get(pk=suggestion.pk), by=editor)

    organisation.refresh_from_db()
    assert organisation.description == (
        "We document anti-Muslim racism in Austria and support those affected."
    )
    assert organisation.confirmed_on == timezone.localdate() - timedelta(days=3)


def test_an_approved_suggestion_from_the_public_confirms_nothing(editor):
    organisation = Organisation.objects.get(slug="mosaico")
    suggestion = Suggestion.objects.create(
        kind="correction",
        organisation=organisation,
        website="https://mosaico.example/",
        message="The website moved.",
        sender_email="someone@example.org",
    )
    suggestions.approve(suggestion, by=editor)
    organisation.refresh_from_db()
    assert organisation.confirmed_on is None
