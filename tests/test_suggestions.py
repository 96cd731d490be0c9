"""Visitors suggest organisations and corrections; nothing is public until an editor approves."""

import pytest
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.urls import reverse

from orgs import suggestions
from orgs.models import Advocate, Organisation, Suggestion, SuggestionStatus

pytestmark = pytest.mark.django_db

NEW = {
    "name": "Refugee Cooks Collective",
    "country": "GR",
    "city": "Athens",
    "website": "https://refugeecooks.example.org",
    "public_email": "hello@refugeecooks.example.org",
    "leadership": "refugee-led",
    "message": "A kitchen run by refugees that trains newcomers as cooks.",
    "is_own": "on",
    "sender_name": "Amal",
    "sender_email": "amal.private@example.net",
}


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def editor(client):
    user = User.objects.create_user("editor", is_staff=True)
    user.groups.add(Group.objects.get(name="Editor"))
    return user


def approve_in_admin(client, editor, suggestion):
    client.force_login(editor)
    response = client.post(
        reverse("admin:orgs_suggestion_changelist"),
        {"action": "approve", "_selected_action": [suggestion.pk]},
        follow=True,
    )
    client.logout()
    return response.content.decode()


def test_a_new_organisation_is_public_only_after_an_editor_approves_it(client, editor):
    response = client.post("/suggest/", NEW)
    assert response.status_code == 302 and response["Location"] == "/suggest/thanks/"
    assert "reached the directory's editors" in client.get("/suggest/thanks/").content.decode()
    suggestion = Suggestion.objects.get(name=NEW["name"])
    assert suggestion.status == SuggestionStatus.PENDING

    assert not Organisation.objects.filter(name=NEW["name"]).exists()
    assert NEW["name"] not in client.get("/organisations/", {"q": "Refugee Cooks"}).content.decode()
    assert NEW["name"] not in client.get("/api/v1/organisations/").content.decode()

    assert "1 suggestion approved" in approve_in_admin(client, editor, suggestion)
    organisation = Organisation.objects.get(name=NEW["name"])
    page = client.get(organisation.get_absolute_url()).content.decode()
    assert "A kitchen run by refugees" in page and "hello@refugeecooks.example.org" in page
    assert "Suggestions from the public" in page and f"Suggestion {suggestion.pk}" in page
    assert "Refugee-led" in page
    assert NEW["sender_email"] not in page and NEW["sender_name"] not in page
    assert {c.code for c in organisation.countries.all()} == {"GR"}
    assert organisation.cities.get().name == "Athens"
    assert organisation.history.first().history_user == editor


def test_a_correction_reaches_the_public_page_only_after_approval(client, editor):
    organisation = Organisation.objects.get(slug="syrbanism")
    page_url = organisation.get_absolute_url()
    form_url = reverse("orgs:organisation_suggestion", args=[organisation.slug])
    assert "Suggest a correction" in client.get(page_url).content.decode()
    assert client.get(form_url).status_code == 200

    correction = {
        "message": "We have a website now.",
        "website": "https://syrbanism.example.org",
        "is_own": "on",
        "sender_email": "member@example.net",
    }
    assert client.post(form_url, correction).status_code == 302
    assert "syrbanism.example.org" not in client.get(page_url).content.decode()

    suggestion = Suggestion.objects.get(organisation=organisation)
    approve_in_admin(client, editor, suggestion)
    page = client.get(page_url).content.decode()
    assert "https://syrbanism.example.org" in page and "Suggestions from the public" in page
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.APPROVED and suggestion.reviewed_by == editor


def test_a_rejected_suggestion_changes_nothing(client, editor):
    client.post("/suggest/", NEW)
    suggestion = Suggestion.objects.get(name=NEW["name"])
    suggestions.reject(suggestion, by=editor)
    with pytest.raises(suggestions.ApprovalRefused, match="already rejected"):
        suggestions.approve(suggestion, by=editor)
    assert not Organisation.objects.filter(name=NEW["name"]).exists()


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"name": ""}, "name", "This field is required"),
        ({"country": "XX"}, "country", "is not one of the available choices"),
        ({"website": "not a web address"}, "website", "Enter a valid URL"),
        ({"sender_email": "nobody"}, "sender_email", "Enter a valid email address"),
        ({"message": ""}, "message", "This field is required"),
    ],
)
def test_the_form_says_what_is_wrong_and_saves_nothing(client, change, field, message):
    response = client.post("/suggest/", {**NEW, **change})
    assert response.status_code == 400
    assert message in str(response.context["form"].errors[field])
    assert not Suggestion.objects.exists()


def test_a_bot_filling_the_hidden_field_is_thanked_and_ignored(client):
    response = client.post("/suggest/", {**NEW, "website_url": "http://spam.example"})
    assert response.status_code == 302
    assert not Suggestion.objects.exists()


def test_many_suggestions_from_one_address_are_refused_for_a_while(client, settings):
    settings.SUGGESTION_RATE_LIMIT = (2, 3600)
    assert client.post("/suggest/", NEW).status_code == 302
    assert client.post("/suggest/", NEW).status_code == 302
    refused = client.post("/suggest/", NEW)
    assert refused.status_code == 429 and "try again later" in refused.content.decode()
    assert Suggestion.objects.count() == 2
    other = client.post("/suggest/", NEW, REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 302


def test_an_organisation_already_listed_is_not_added_twice(client, editor):
    client.post("/suggest/", {**NEW, "name": "syrbanism", "country": "AT"})
    suggestion = Suggestion.objects.get()
    content = approve_in_admin(client, editor, suggestion)
    assert "already in the directory" in content
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.PENDING
    assert Organisation.objects.filter(name__iexact="syrbanism").count() == 1


def test_a_correction_to_an_advocate_is_cited_once_approved(client, editor):
    advocate = Advocate.objects.get(slug="larry-macaulay")
    url = reverse("orgs:advocate_suggestion", args=[advocate.slug])
    assert "Suggest a correction" in client.get(advocate.get_absolute_url()).content.decode()
    client.post(url, {"message": "He now works in Berlin.", "sender_email": "a@example.net"})
    suggestion = Suggestion.objects.get(advocate=advocate)
    assert (
        "Suggestions from the public"
        not in client.get(advocate.get_absolute_url()).content.decode()
    )
    approve_in_admin(client, editor, suggestion)
    assert "Suggestions from the public" in client.get(advocate.get_absolute_url()).content.decode()


def test_hidden_records_take_no_suggestions(client):
    organisation = Organisation.objects.get(slug="syrbanism")
    organisation.is_published = False
    organisation.save()
    url = reverse("orgs:organisation_suggestion", args=[organisation.slug])
    assert client.get(url).status_code == 404
