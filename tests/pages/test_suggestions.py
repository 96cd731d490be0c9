"""Visitors suggest organisations and corrections; nothing is public until an editor approves."""

import html
import re
import time

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from orgs.models import (
    Advocate,
    FocusArea,
    LeadershipEvidence,
    Organisation,
    Source,
    Suggestion,
    SuggestionKind,
    SuggestionStatus,
    TargetGroup,
    WorkLevel,
)
from orgs.services import suggestions
from tests.editing.admin_forms import form_data

pytestmark = pytest.mark.django_db

NEW = {
    "name": "Refugee Cooks Collective",
    "country": "GR",
    "city": "Athens",
    "website": "https://refugeecooks.example.org",
    "public_email": "hello@refugeecooks.example.org",
    "leadership": "refugee-led",
    "leadership_basis": "part-of-it",
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
def visitor():
    """Someone not signed in, on their own browser (the `editor` is signed in on `client`)."""
    return Client()


def errors_shown(response, field: str) -> str:
    """The error messages the form shows under a field (none: "")."""
    content = response.content.decode()
    shown = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', content, re.S)
    return html.unescape(shown[1]) if shown else ""


def approve_in_admin(client, suggestion):
    response = client.post(
        reverse("admin:orgs_suggestion_changelist"),
        {"action": "approve", "_selected_action": [suggestion.pk]},
        follow=True,
    )
    return response.content.decode()


def test_a_new_organisation_is_public_only_after_an_editor_approves_it(client, editor, visitor):
    response = visitor.post("/suggest/", NEW)
    assert response.status_code == 302 and response["Location"] == "/suggest/thanks/"
    assert "reached the directory's editors" in visitor.get("/suggest/thanks/").content.decode()
    suggestion = Suggestion.objects.get(name=NEW["name"])
    assert suggestion.status == SuggestionStatus.PENDING

    assert not Organisation.objects.filter(name=NEW["name"]).exists()
    assert (
        NEW["name"] not in visitor.get("/organisations/", {"q": "Refugee Cooks"}).content.decode()
    )
    assert NEW["name"] not in visitor.get("/api/v1/organisations/").content.decode()

    assert "1 suggestion approved" in approve_in_admin(client, suggestion)
    organisation = Organisation.objects.get(name=NEW["name"])
    page = visitor.get(organisation.get_absolute_url()).content.decode()
    assert "A kitchen run by refugees" in page and "hello@refugeecooks.example.org" in page
    assert "Suggestions from the public" in page and f"Suggestion {suggestion.pk}" in page
    assert "Refugee-led" in page
    assert NEW["sender_email"] not in page and NEW["sender_name"] not in page
    assert {c.code for c in organisation.countries.all()} == {"GR"}
    assert organisation.cities.get().name == "Athens"
    assert organisation.history.first().history_user == editor


def test_a_correction_reaches_the_public_page_only_after_approval(client, editor, visitor):
    organisation = Organisation.objects.get(slug="syrbanism")
    page_url = organisation.get_absolute_url()
    form_url = reverse("orgs:organisation_suggestion", args=[organisation.slug])
    assert "Suggest a correction" in visitor.get(page_url).content.decode()
    assert visitor.get(form_url).status_code == 200

    correction = {
        "message": "We have a website now.",
        "website": "https://syrbanism.example.org",
        "is_own": "on",
        "sender_email": "member@example.net",
    }
    assert visitor.post(form_url, correction).status_code == 302
    assert "syrbanism.example.org" not in visitor.get(page_url).content.decode()

    suggestion = Suggestion.objects.get(organisation=organisation)
    approve_in_admin(client, suggestion)
    page = visitor.get(page_url).content.decode()
    assert "https://syrbanism.example.org" in page and "Suggestions from the public" in page
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.APPROVED and suggestion.reviewed_by == editor


def test_a_rejected_suggestion_changes_nothing(editor, visitor):
    visitor.post("/suggest/", NEW)
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
    assert message in errors_shown(response, field)
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


def test_a_made_up_forwarded_for_does_not_reset_the_suggestion_limit(client, settings):
    settings.SUGGESTION_RATE_LIMIT = (2, 3600)
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]  # the sender's socket is not one of them
    statuses = [
        client.post("/suggest/", NEW, HTTP_X_FORWARDED_FOR=f"198.51.100.{number}").status_code
        for number in range(1, 5)
    ]
    assert statuses == [302, 302, 429, 429]
    assert Suggestion.objects.count() == 2


def test_behind_a_trusted_proxy_each_visitor_has_their_own_suggestion_limit(client, settings):
    settings.SUGGESTION_RATE_LIMIT = (2, 3600)
    settings.TRUSTED_PROXIES = ["10.0.0.5"]

    def post(forwarded_for):
        return client.post(
            "/suggest/", NEW, REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=forwarded_for
        ).status_code

    assert [post("203.0.113.1"), post("198.51.100.1, 203.0.113.1")] == [302, 302]
    assert post("198.51.100.2, 203.0.113.1") == 429
    assert [post("203.0.113.2"), post("203.0.113.2")] == [302, 302]
    assert post("203.0.113.2") == 429
    assert Suggestion.objects.count() == 4


def test_a_suggestion_the_form_refuses_does_not_count_against_the_sender(client, settings):
    settings.SUGGESTION_RATE_LIMIT = (2, 3600)
    for _ in range(3):
        assert client.post("/suggest/", {**NEW, "website": "not a web address"}).status_code == 400
    assert [client.post("/suggest/", NEW).status_code for _ in range(3)] == [302, 302, 429]
    assert Suggestion.objects.count() == 2


def test_a_bot_filling_the_hidden_field_neither_counts_nor_is_ever_refused(client, settings):
    """Its posts are dropped unseen, so they cost nothing; a 429 would tell it it was seen."""
    settings.SUGGESTION_RATE_LIMIT = (2, 3600)
    bot = {**NEW, "website_url": "http://spam.example"}
    assert [client.post("/suggest/", bot).status_code for _ in range(3)] == [302, 302, 302]
    assert [client.post("/suggest/", NEW).status_code for _ in range(2)] == [302, 302]
    assert [client.post("/suggest/", bot).status_code, Suggestion.objects.count()] == [302, 2]


def test_an_organisation_already_listed_is_not_added_twice(client, editor, visitor):
    visitor.post("/suggest/", {**NEW, "name": "syrbanism", "country": "AT"})
    suggestion = Suggestion.objects.get()
    content = approve_in_admin(client, suggestion)
    assert "already in the directory" in content
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.PENDING
    assert Organisation.objects.filter(name__iexact="syrbanism").count() == 1


def test_a_correction_to_an_advocate_is_cited_once_approved(client, editor, visitor):
    advocate = Advocate.objects.get(slug="larry-macaulay")
    url = reverse("orgs:advocate_suggestion", args=[advocate.slug])
    assert "Suggest a correction" in visitor.get(advocate.get_absolute_url()).content.decode()
    visitor.post(url, {"message": "He now works in Berlin.", "sender_email": "a@example.net"})
    suggestion = Suggestion.objects.get(advocate=advocate)
    assert (
        "Suggestions from the public"
        not in visitor.get(advocate.get_absolute_url()).content.decode()
    )
    approve_in_admin(client, suggestion)
    assert (
        "Suggestions from the public" in visitor.get(advocate.get_absolute_url()).content.decode()
    )


def test_hidden_records_take_no_suggestions(client):
    organisation = Organisation.objects.get(slug="syrbanism")
    organisation.is_published = False
    organisation.save()
    url = reverse("orgs:organisation_suggestion", args=[organisation.slug])
    assert client.get(url).status_code == 404


# The form asks for what the directory filters by, in its own vocabularies.


def with_terms(**changes) -> dict:
    return {
        **NEW,
        "levels": [WorkLevel.objects.get(slug="local").pk],
        "focus_areas": [
            FocusArea.objects.get(slug="labour-market").pk,
            FocusArea.objects.get(slug="culture").pk,
        ],
        "target_groups": [TargetGroup.objects.get(slug="refugees").pk],
        **changes,
    }


def test_the_form_offers_the_directorys_levels_focus_areas_target_groups_and_leadership(client):
    page = client.get("/suggest/").content.decode()
    for text in [
        "Where does it work?",
        "Local",
        "What does it work on?",
        "Anti-racism and non-discrimination",
        "Sports and leisure",
        "Whom does it work with?",
        "Undocumented migrants",
        "How do you know who leads it?",
        "I know the people who lead it",
        "Diaspora-led",
    ]:
        assert text in page, text
    assert page.count('name="focus_areas"') == 23
    assert page.count('name="target_groups"') == 19  # the vocabulary's 19, families included


def test_a_leadership_without_how_the_sender_knows_it_is_not_accepted(client):
    response = client.post("/suggest/", {**NEW, "leadership_basis": ""})
    assert response.status_code == 400
    assert "Say how you know who leads it" in errors_shown(response, "leadership_basis")
    assert not Suggestion.objects.exists()


def test_an_approved_organisation_has_the_places_and_terms_it_was_suggested_with(editor, visitor):
    visitor.post("/suggest/", with_terms())
    suggestions.approve(Suggestion.objects.get(), by=editor)
    organisation = Organisation.objects.get(name=NEW["name"])
    assert [term.slug for term in organisation.levels.all()] == ["local"]
    assert sorted(term.slug for term in organisation.focus_areas.all()) == [
        "culture", "labour-market",
    ]  # fmt: skip
    assert [term.slug for term in organisation.target_groups.all()] == ["refugees"]
    assert organisation.cities.get().name == "Athens"
    page = visitor.get("/organisations/", {"focus": "labour-market", "country": "GR"})
    assert NEW["name"] in page.content.decode()


def test_an_approved_organisation_is_marked_checked_by_the_editor_that_day(editor, visitor):
    visitor.post("/suggest/", NEW)
    suggestion = Suggestion.objects.get()
    suggestions.approve(suggestion, by=editor)
    organisation = Organisation.objects.get(name=NEW["name"])
    assert organisation.checked_on == timezone.localdate()
    entry = organisation.history.first()
    assert entry.history_user == editor
    assert entry.history_change_reason == (
        f"Added from Suggestion {suggestion.pk}; marked checked on {timezone.localdate()}"
    )
    page = visitor.get(organisation.get_absolute_url()).content.decode()
    assert "Last checked on" in page


def test_a_leadership_reported_by_someone_else_reads_as_reported_by_the_public(editor, visitor):
    visitor.post("/suggest/", {**NEW, "is_own": "", "leadership_basis": "knows-its-people"})
    suggestions.approve(Suggestion.objects.get(), by=editor)
    organisation = Organisation.objects.get(name=NEW["name"])
    claim = organisation.leadership_claims.get()
    assert claim.evidence == LeadershipEvidence.REPORTED_BY_PUBLIC
    assert claim.quote == "How the sender knows: I know the people who lead it"
    page = visitor.get(organisation.get_absolute_url()).content.decode()
    assert "Refugee-led: reported by the public, checked by an editor" in page
    assert "editorial assessment" not in page


def test_a_leadership_the_organisation_sent_itself_reads_as_self_described(editor, visitor):
    visitor.post("/suggest/", NEW)
    suggestions.approve(Suggestion.objects.get(), by=editor)
    claim = Organisation.objects.get(name=NEW["name"]).leadership_claims.get()
    assert claim.evidence == LeadershipEvidence.SELF_DESCRIBED


# An editor decides on a suggestion's own page, with a note.


def decide_on_its_page(client, suggestion, button: str, note: str):
    url = reverse("admin:orgs_suggestion_change", args=[suggestion.pk])
    page = client.get(url)
    assert 'value="Approve and publish"' in page.content.decode()
    data = {**form_data(page.content, "suggestion_form"), "editor_note": note, button: "1"}
    return client.post(url, data, follow=True).content.decode()


def test_an_editor_approves_a_suggestion_on_its_page_with_a_note(client, editor, visitor):
    visitor.post("/suggest/", with_terms())
    suggestion = Suggestion.objects.get()
    page = decide_on_its_page(client, suggestion, "_approve", "Checked its website.")
    assert f"A new organisation: {NEW['name']} approved." in page
    assert "Approved by editor on" in page and "Checked its website." in page
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.APPROVED
    assert suggestion.editor_note == "Checked its website."
    assert suggestion.reviewed_by == editor
    assert suggestion.history.first().history_change_reason == (
        f"Approved Suggestion {suggestion.pk}: Checked its website."
    )
    organisation = Organisation.objects.get(name=NEW["name"])
    assert organisation.focus_areas.count() == 2  # the page's own form kept the terms


def test_an_editor_rejects_a_suggestion_on_its_page_with_a_note(client, editor, visitor):
    visitor.post("/suggest/", NEW)
    suggestion = Suggestion.objects.get()
    page = decide_on_its_page(client, suggestion, "_reject", "Not migrant-led.")
    assert "Rejected by editor on" in page and "Not migrant-led." in page
    assert 'value="Approve and publish"' not in page
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.editor_note) == ("rejected", "Not migrant-led.")
    entry = suggestion.history.first()
    assert (entry.history_user, entry.history_change_reason) == (
        editor, f"Rejected Suggestion {suggestion.pk}: Not migrant-led."
    )  # fmt: skip
    assert not Organisation.objects.filter(name=NEW["name"]).exists()


def test_an_approval_refused_on_its_page_says_why_and_changes_nothing(client, editor, visitor):
    visitor.post("/suggest/", {**NEW, "name": "syrbanism", "country": "AT"})
    suggestion = Suggestion.objects.get()
    page = decide_on_its_page(client, suggestion, "_approve", "Looks right.")
    assert "Not approved: syrbanism is already in the directory" in page
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.PENDING


def test_a_suggestions_history_keeps_no_sender_details():
    fields = {field.name for field in Suggestion.history.model._meta.fields}
    assert "message" in fields
    assert not fields & {"sender_name", "sender_email"}


# What an approval refuses, in the editor's words, and what it makes of names and places.


def test_a_decided_suggestion_is_not_decided_again():
    approved = Suggestion.objects.create(kind="new-organisation", status="approved", message="x")
    rejected = Suggestion.objects.create(kind="new-organisation", status="rejected", message="x")
    for decide in (suggestions.approve, suggestions.reject):
        with pytest.raises(suggestions.ApprovalRefused) as refusal:
            decide(approved)
        assert str(refusal.value) == "It is already approved."
        with pytest.raises(suggestions.ApprovalRefused) as refusal:
            decide(rejected)
        assert str(refusal.value) == "It is already rejected."


@pytest.mark.parametrize("fields", [{"name": "Someone"}, {"country": "GR"}])
def test_a_new_organisation_without_a_name_or_a_country_is_not_approved(fields):
    suggestion = Suggestion.objects.create(kind="new-organisation", message="x", **fields)
    with pytest.raises(suggestions.ApprovalRefused) as refusal:
        suggestions.approve(suggestion)
    assert str(refusal.value) == "A new organisation needs a name and a country."


def test_an_organisation_already_listed_is_named_with_its_address_in_the_refusal(client):
    client.post("/suggest/", {**NEW, "name": "SYRBANISM", "country": "AT"})
    with pytest.raises(suggestions.ApprovalRefused) as refusal:
        suggestions.approve(Suggestion.objects.get())
    assert str(refusal.value) == (
        "SYRBANISM is already in the directory (syrbanism); "
        "correct that record instead, or reject this suggestion."
    )


def test_a_new_organisation_named_as_one_elsewhere_gets_the_next_free_address(client, editor):
    """Mosaico is in Italy; a Mosaico in Greece, or in Portugal, is another organisation."""
    for country, expected in (("GR", "mosaico-2"), ("PT", "mosaico-3")):
        Suggestion.objects.all().delete()
        client.post("/suggest/", {**NEW, "name": "Mosaico", "country": country})
        organisation = suggestions.approve(Suggestion.objects.get(), by=editor)
        assert organisation.slug == expected
    assert Organisation.objects.get(slug="mosaico").countries.get().code == "IT"


def test_a_new_organisation_in_a_new_city_adds_the_city_to_its_country(client, editor):
    client.post("/suggest/", {**NEW, "city": "Volos"})
    organisation = suggestions.approve(Suggestion.objects.get(), by=editor)
    city = organisation.cities.get()
    assert (city.slug, city.name, city.country) == ("gr-volos", "Volos", "GR")


def test_a_new_organisation_in_a_known_city_is_placed_there_whatever_the_case(client, editor):
    client.post("/suggest/", {**NEW, "city": "THESSALONIKI"})
    organisation = suggestions.approve(Suggestion.objects.get(), by=editor)
    assert [city.slug for city in organisation.cities.all()] == ["gr-thessaloniki"]


def test_an_approved_correction_of_an_advocate_marks_it_checked_by_the_editor(client, editor):
    advocate = Advocate.objects.get(slug="larry-macaulay")
    url = reverse("orgs:advocate_suggestion", args=[advocate.slug])
    client.post(url, {"message": "He now works in Berlin.", "sender_email": "a@example.net"})
    suggestion = Suggestion.objects.get(advocate=advocate)

    suggestions.approve(suggestion, by=editor)

    advocate.refresh_from_db()
    assert advocate.checked_on == timezone.localdate()
    entry = advocate.history.first()
    assert (entry.history_user, entry.history_change_reason) == (
        editor,
        f"Corrected from Suggestion {suggestion.pk}; "
        f"marked checked on {timezone.localdate().isoformat()}",
    )
    assert [c.locator for c in advocate.citations.filter(source__key="public-suggestions")] == [
        f"Suggestion {suggestion.pk}"
    ]


def a_new_one(**fields) -> Suggestion:
    """A pending suggestion of a new organisation, as the form would have saved it."""
    return Suggestion.objects.create(
        **{"kind": "new-organisation", "name": "Volos Kitchen", "country": "GR",
           "message": "Cooks.", "sender_email": "a@example.net", **fields}
    )  # fmt: skip


def test_the_first_approval_makes_the_source_every_approval_cites(editor):
    first = suggestions.approve(a_new_one(), by=editor)
    second = suggestions.approve(a_new_one(name="Volos Bakery"), by=editor)
    source = Source.objects.get(key="public-suggestions")
    assert (source.title, source.short_title, source.publisher, source.description) == (
        "Suggestions from the public, checked and approved by the directory's editors",
        "Suggestions from the public",
        "The directory's editors",
        "Additions and corrections sent through the directory's forms.",
    )
    assert source.year == timezone.now().year
    for organisation in (first, second):
        suggestion = organisation.suggestions.get()
        assert [(c.source.key, c.locator) for c in organisation.citations.all()] == [
            ("public-suggestions", f"Suggestion {suggestion.pk}")
        ]


@pytest.mark.parametrize("decide", ["approve", "reject"])
@pytest.mark.parametrize(
    "kept_note, note, expected",
    [("", "  Checked its website.  ", "Checked its website."),
     ("Asked the sender.", "", "Asked the sender."),
     ("Asked the sender.", "Checked its website.", "Checked its website."),
     ("", "", "")],
)  # fmt: skip
def test_the_editors_note_is_the_one_given_or_else_the_one_kept(
    editor, decide, kept_note, note, expected
):
    suggestion = a_new_one(editor_note=kept_note)
    getattr(suggestions, decide)(suggestion, by=editor, note=note)
    suggestion.refresh_from_db()
    assert suggestion.editor_note == expected
    decision = {"approve": "Approved", "reject": "Rejected"}[decide]
    reason = f"{decision} Suggestion {suggestion.pk}" + (f": {expected}" if expected else "")
    assert suggestion.history.first().history_change_reason == reason


def test_a_decision_by_no_account_names_no_reviewer():
    suggestion = a_new_one()
    suggestions.reject(suggestion)
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.reviewed_by) == ("rejected", None)


def test_a_new_organisation_in_a_country_not_yet_listed_adds_the_country(editor):
    organisation = suggestions.approve(a_new_one(country="IS", city="Reykjavík"), by=editor)
    country = organisation.countries.get()
    assert (country.code, country.name) == ("IS", "Iceland")
    assert organisation.cities.get().slug == "is-reykjavik"


@pytest.mark.parametrize(
    "name, slug",
    [("***", "organisation"), ("Ä" * 200, "a" * 180)],
    ids=["no letters", "too long"],
)
def test_a_new_organisations_address_is_made_from_its_name(editor, name, slug):
    assert suggestions.approve(a_new_one(name=name), by=editor).slug == slug


@pytest.mark.parametrize(
    "leadership, basis, claims",
    [("unknown", "knows-its-people", []),
     ("", "", []),
     ("refugee-led", "", [("refugee-led", "reported-by-public", "")])],
)  # fmt: skip
def test_a_leadership_is_claimed_only_when_the_sender_names_one(editor, leadership, basis, claims):
    organisation = suggestions.approve(
        a_new_one(leadership=leadership, leadership_basis=basis), by=editor
    )
    assert [
        (claim.leadership, claim.evidence, claim.quote)
        for claim in organisation.leadership_claims.all()
    ] == claims


def test_an_approved_correction_changes_the_address_and_the_leadership_it_reports(editor):
    organisation = Organisation.objects.create(name="Delta", slug="delta", email="old@example.org")
    suggestion = Suggestion.objects.create(
        kind="correction", organisation=organisation, public_email="new@example.org",
        leadership="migrant-led", leadership_basis="part-of-it", is_own=True,
        message="New address.", sender_email="a@example.net",
    )  # fmt: skip

    assert suggestions.approve(suggestion, by=editor) == organisation

    organisation.refresh_from_db()
    assert (organisation.email, organisation.website) == ("new@example.org", "")
    assert (organisation.leadership, organisation.leadership_evidence) == (
        "migrant-led",
        "self-described",
    )
    entry = organisation.history.first()
    assert (entry.history_user, entry.history_change_reason) == (
        editor,
        f"Corrected from Suggestion {suggestion.pk}; "
        f"marked checked on {timezone.localdate().isoformat()}",
    )


def test_the_limit_lasts_its_whole_window_in_the_default_cache_of_files(
    client, settings, tmp_path, monkeypatch
):
    """Django's file cache restarts an entry's life at five minutes on `incr`: the count must
    keep the end of its window whatever the cache."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path),
        }
    }
    settings.SUGGESTION_RATE_LIMIT = (2, 3600)
    clock = [time.time()]
    monkeypatch.setattr(time, "time", lambda: clock[0])
    assert client.post("/suggest/", NEW).status_code == 302
    assert client.post("/suggest/", NEW).status_code == 302
    assert client.post("/suggest/", NEW).status_code == 429
    clock[0] += 10 * 60
    assert client.post("/suggest/", NEW).status_code == 429
    clock[0] += 51 * 60  # the hour since the first is over
    assert client.post("/suggest/", NEW).status_code == 302
    assert Suggestion.objects.count() == 3


def test_deleting_a_record_takes_the_corrections_about_it_and_keeps_the_suggestion_it_came_from(
    client, editor
):
    organisation = Organisation.objects.get(slug="mosaico")
    correction = Suggestion.objects.create(
        kind=SuggestionKind.CORRECTION,
        organisation=organisation,
        message="The website moved.",
        sender_email="sender@example.org",
    )
    origin = Suggestion.objects.create(
        kind=SuggestionKind.NEW,
        organisation=organisation,
        name=organisation.name,
        message="Please add it.",
        sender_email="founder@example.org",
    )
    client.force_login(editor)
    url = reverse("admin:orgs_organisation_delete", args=[organisation.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Organisation.objects.filter(pk=organisation.pk).exists()
    assert not Suggestion.objects.filter(pk=correction.pk).exists()
    origin.refresh_from_db()
    assert origin.organisation is None
