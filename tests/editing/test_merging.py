"""Duplicates merge into one record: everything moves, names and addresses are kept, or nothing."""

import pytest
from django.db.models import Q
from django.urls import reverse

from orgs.models import (
    Advocate,
    AdvocateCitation,
    Affiliation,
    AffiliationCitation,
    FocusArea,
    LeadershipClaim,
    Membership,
    MembershipCitation,
    Network,
    Organisation,
    OrganisationAlias,
    OrganisationCitation,
    PersonalAddress,
    Source,
    Suggestion,
    SuggestionKind,
)
from orgs.services import merging
from surveys.models import Response
from tests.factories import EditorFactory

pytestmark = pytest.mark.django_db


def related_counts(organisation):
    return {
        "citations": organisation.citations.count(),
        "claims": organisation.leadership_claims.count(),
        "affiliations": organisation.affiliations.count(),
        "memberships": organisation.memberships.count(),
        "responses": organisation.responses.count(),
        "aliases": organisation.aliases.count(),
    }


def test_a_merge_moves_everything_keeps_names_and_redirects_the_old_address(client, editor):
    keep = Organisation.objects.get(slug="mosaico")
    with_responses = Organisation.objects.get(slug="uniao-de-refugiados-em-portugal")
    with_membership = Organisation.objects.get(slug="centre-for-entrepreneurs")
    duplicates = [with_responses, with_membership]
    expected = {
        name: sum(related_counts(record)[name] for record in [keep, *duplicates])
        for name in related_counts(keep)
    }
    expected["aliases"] += 2  # the duplicates' own names
    old_ids = [record.pk for record in duplicates]

    merging.merge(keep, duplicates, by=editor)

    assert related_counts(keep) == expected
    assert not Organisation.objects.filter(pk__in=old_ids).exists()
    names = set(keep.aliases.values_list("name", flat=True))
    assert {with_responses.name, with_membership.name} <= names
    # No row is left pointing at a merged record.
    for model, field in (
        (OrganisationCitation, "organisation"),
        (LeadershipClaim, "organisation"),
        (OrganisationAlias, "organisation"),
        (Affiliation, "organisation"),
        (Membership, "organisation"),
        (Response, "organisation"),
    ):
        assert not model.objects.filter(**{f"{field}_id__in": old_ids}).exists()
    countries = set(keep.countries.values_list("code", flat=True))
    assert {"IT", "PT"} <= countries

    response = client.get("/organisations/uniao-de-refugiados-em-portugal/")
    assert response.status_code == 301 and response["Location"] == "/organisations/mosaico/"
    page = client.get("/organisations/mosaico/").content.decode()
    assert with_responses.name in page

    entry = keep.history.first()
    assert entry.history_user == editor
    assert (
        f"Merged {with_responses.name}"
        in keep.history.filter(history_change_reason__startswith="Merged")
        .last()
        .history_change_reason
    )
    gone = Organisation.history.filter(id=with_responses.pk).first()
    assert gone.history_type == "-"
    assert gone.history_change_reason == (
        "Merged Uniao de Refugiados em Portugal (uniao-de-refugiados-em-portugal) "
        "into Mosaico (mosaico), keeping its email"  # its mailbox, Geral@urep.pt
    )


def test_a_merge_of_true_duplicates_folds_shared_relations_into_one():
    keep = Organisation.objects.get(slug="syrbanism")
    affiliation = keep.affiliations.select_related("advocate").first()
    citation = keep.citations.first()
    duplicate = Organisation.objects.create(name="Syrbanism e.V.", slug="syrbanism-ev")
    OrganisationCitation.objects.create(
        organisation=duplicate, source=citation.source, locator=citation.locator
    )
    other_source = Source.objects.exclude(pk=citation.source_id).first()
    OrganisationCitation.objects.create(organisation=duplicate, source=other_source, locator="p. 3")
    copy = Affiliation.objects.create(
        advocate=affiliation.advocate, organisation=duplicate, role="Founder"
    )
    AffiliationCitation.objects.create(affiliation=copy, source=other_source, locator="p. 3")
    before = related_counts(keep)

    merging.merge(keep, [duplicate])

    after = related_counts(keep)
    assert after["citations"] == before["citations"] + 1  # the same citation is not repeated
    assert after["affiliations"] == before["affiliations"]
    affiliation.refresh_from_db()
    assert affiliation.role == "Founder"  # the report gave none for the affiliation kept
    assert affiliation.citations.filter(source=other_source).exists()
    alias = keep.aliases.get(name="Syrbanism e.V.")
    assert alias.source in (citation.source, other_source)  # the earliest report naming it


@pytest.mark.parametrize(
    "kept, duplicate, expected",
    [
        (("", True), ("Founder", False), ("Founder", True)),
        (("Chair", False), ("Founder", True), ("Chair", True)),
        (("Chair", False), ("", False), ("Chair", False)),
    ],
    ids=["role taken, still current", "role kept, current again", "nothing to take"],
)
def test_an_affiliation_both_records_have_keeps_its_role_unless_it_had_none(
    kept, duplicate, expected
):
    keep = Organisation.objects.create(name="Keep", slug="keep")
    other = Organisation.objects.create(name="Other", slug="other")
    advocate = Advocate.objects.create(name="Ana Example", slug="ana-example")
    for organisation, (role, is_current) in ((keep, kept), (other, duplicate)):
        Affiliation.objects.create(
            advocate=advocate, organisation=organisation, role=role, is_current=is_current
        )

    merging.merge(keep, [other])

    affiliation = Affiliation.objects.get(advocate=advocate)
    assert affiliation.organisation == keep
    assert (affiliation.role, affiliation.is_current) == expected


def test_advocates_with_different_personal_addresses_are_not_merged_and_nothing_changes():
    keep = Advocate.objects.filter(personal_address__isnull=False).first()
    duplicate = Advocate.objects.create(name=keep.name + " (2)", slug=keep.slug + "-2")
    PersonalAddress.objects.create(
        advocate=duplicate, email="someone.else@example.org", source_id=1, locator="x"
    )
    AdvocateCitation.objects.create(advocate=duplicate, source_id=1, locator="line 1")

    with pytest.raises(merging.MergeRefused, match="different personal addresses"):
        merging.merge(keep, [duplicate])
    assert Advocate.objects.filter(pk=duplicate.pk).exists()
    assert not keep.aliases.exists()


def test_a_merge_interrupted_half_way_leaves_the_database_as_it_was(monkeypatch):
    keep = Organisation.objects.get(slug="mosaico")
    duplicate = Organisation.objects.get(slug="uniao-de-refugiados-em-portugal")
    before = (related_counts(keep), related_counts(duplicate))

    def fail(*args):
        raise RuntimeError("the server went away")

    monkeypatch.setattr(merging, "move_memberships", fail)
    with pytest.raises(RuntimeError):
        merging.merge(keep, [duplicate])
    keep.refresh_from_db()
    assert (related_counts(keep), related_counts(duplicate)) == before
    assert not keep.former_slugs.exists()


def test_an_advocates_merge_keeps_the_other_spelling_and_redirects(client):
    keep, duplicate = Advocate.objects.filter(personal_address__isnull=True)[:2]
    merging.merge(keep, [duplicate], choices={"roles": keep})
    assert keep.aliases.filter(name=duplicate.name).exists()
    response = client.get(f"/advocates/{duplicate.slug}/")
    assert response.status_code == 301 and response["Location"] == keep.get_absolute_url()
    assert duplicate.name in client.get(keep.get_absolute_url()).content.decode()


def test_an_editor_merges_from_the_list_choosing_the_record_to_keep(client, editor, request):
    keep = Organisation.objects.get(slug="mosaico")
    duplicate = Organisation.objects.get(slug="centre-for-entrepreneurs")
    url = reverse("admin:orgs_organisation_changelist")
    selection = {"action": "merge_selected", "_selected_action": [keep.pk, duplicate.pk]}

    confirm = client.post(url, selection)
    assert confirm.status_code == 200
    assert "Choose the record to keep" in confirm.content.decode()
    assert Organisation.objects.filter(pk=duplicate.pk).exists()

    done = client.post(url, {**selection, "keep": keep.pk}, follow=True)
    assert f"Merged {duplicate.name} into {keep.name}" in done.content.decode()
    assert not Organisation.objects.filter(pk=duplicate.pk).exists()

    request.getfixturevalue("viewer")  # the same browser, now signed in as a viewer
    assert "merge_selected" not in client.get(url).content.decode()


def test_one_record_alone_is_not_merged():
    keep = Organisation.objects.get(slug="mosaico")
    with pytest.raises(merging.MergeRefused, match="at least two"):
        merging.merge(keep, [keep])
    assert Organisation.objects.filter(Q(slug="mosaico")).exists()


def test_the_api_redirects_a_merged_records_old_address(client):
    keep = Organisation.objects.get(slug="mosaico")
    merging.merge(keep, [Organisation.objects.get(slug="centre-for-entrepreneurs")])
    response = client.get("/api/v1/organisations/centre-for-entrepreneurs/?format=json")
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/organisations/mosaico/?format=json"
    assert client.get("/api/v1/organisations/no-such-thing/").status_code == 404


# The editor chooses, field by field; nothing differing is dropped without being shown.


def two_syrbanisms(**duplicate_fields):
    keep = Organisation.objects.get(slug="syrbanism")
    keep.description = "Urban research and design by Syrians in Vienna."
    keep.website = "https://syrbanism.example.org"
    keep.email = "hello@syrbanism.example.org"
    keep.save()
    duplicate = Organisation.objects.create(
        name="Syrbanism e.V.",
        slug="syrbanism-ev",
        description="A platform for Syrian urbanists in Austria.",
        website="https://syrbanism.example.net",
        **duplicate_fields,
    )
    return keep, duplicate


def test_a_merge_keeps_the_description_the_editor_chose_from_the_duplicate():
    keep, duplicate = two_syrbanisms()
    merging.merge(keep, [duplicate], choices={"description": duplicate, "website": keep})
    keep.refresh_from_db()
    assert keep.description == "A platform for Syrian urbanists in Austria."
    assert keep.website == "https://syrbanism.example.org"


def test_records_with_different_descriptions_are_not_merged_without_a_choice():
    keep, duplicate = two_syrbanisms()
    with pytest.raises(merging.MergeRefused, match="differ in their description, website"):
        merging.merge(keep, [duplicate])
    assert Organisation.objects.filter(pk=duplicate.pk).exists()
    keep.refresh_from_db()
    assert keep.description == "Urban research and design by Syrians in Vienna."


def test_a_value_only_one_record_has_is_kept_without_a_choice():
    keep, duplicate = two_syrbanisms(founded=2015, email="")
    merging.merge(keep, [duplicate], choices={"description": keep, "website": keep})
    keep.refresh_from_db()
    assert (keep.founded, keep.email) == (2015, "hello@syrbanism.example.org")


def test_the_website_not_chosen_becomes_another_website():
    keep, duplicate = two_syrbanisms()
    merging.merge(keep, [duplicate], choices={"description": keep, "website": duplicate})
    keep.refresh_from_db()
    assert keep.website == "https://syrbanism.example.net"
    assert keep.other_websites == ["https://syrbanism.example.org"]


def test_a_choice_naming_a_record_outside_the_merge_is_refused():
    keep, duplicate = two_syrbanisms()
    stranger = Organisation.objects.get(slug="mosaico")
    with pytest.raises(merging.MergeRefused, match="not one of the records"):
        merging.merge(keep, [duplicate], choices={"description": stranger, "website": keep})
    assert Organisation.objects.filter(pk=duplicate.pk).exists()


def test_the_history_says_who_merged_what_was_kept_from_the_duplicate_and_why(editor):
    keep, duplicate = two_syrbanisms()
    merging.merge(
        keep,
        [duplicate],
        by=editor,
        choices={"description": duplicate, "website": keep},
        reason="The same association, listed twice",
    )
    entry = keep.history.first()
    assert entry.history_user == editor
    assert entry.history_change_reason == (
        "Merged Syrbanism e.V. (syrbanism-ev) into Syrbanism (syrbanism), keeping its "
        "description: The same association, listed twice"
    )


def test_an_advocates_merge_keeps_the_roles_the_editor_chose():
    keep, duplicate = (Advocate.objects.get(slug=slug) for slug in ("alba-ortega", "aliyyah-ahad"))
    with pytest.raises(merging.MergeRefused, match="differ in their roles"):
        merging.merge(keep, [duplicate])
    merging.merge(keep, [duplicate], choices={"roles": duplicate})
    keep.refresh_from_db()
    assert keep.roles == "Expert, Module 1"


def merge_screen(client, *records, **data):
    url = reverse("admin:orgs_organisation_changelist")
    selection = {"action": "merge_selected", "_selected_action": [r.pk for r in records]}
    return client.post(url, {**selection, **data}, follow=True)


def test_the_merge_screen_shows_both_records_side_by_side(client, editor):
    keep, duplicate = two_syrbanisms(email="office@syrbanism.example.net")
    duplicate.countries.add("DE")
    duplicate.focus_areas.add(FocusArea.objects.get(slug="housing"))
    LeadershipClaim.objects.create(
        organisation=duplicate, source_id=1, locator="line 9", leadership="diaspora-led",
        evidence="named-by-report",
    )  # fmt: skip
    page = merge_screen(client, keep, duplicate).content.decode()
    for text in [
        "Urban research and design by Syrians in Vienna.",
        "A platform for Syrian urbanists in Austria.",
        "https://syrbanism.example.org",
        "https://syrbanism.example.net",
        "hello@syrbanism.example.org",
        "office@syrbanism.example.net",
        "Austria",
        "Germany",
        "Peace-building and countries of origin",
        "Housing and accommodation",
        "Migrant-led (self-described in a survey)",
        "Diaspora-led (named so by a report)",
    ]:
        assert text in page, text
    assert page.count('name="choose-description"') == 2
    assert 'name="choose-founded"' not in page  # neither has a year: nothing to choose
    assert Organisation.objects.filter(pk=duplicate.pk).exists()


def test_an_editor_merges_choosing_the_duplicates_description(client, editor):
    keep, duplicate = two_syrbanisms()
    done = merge_screen(
        client, keep, duplicate, keep=keep.pk, **{"choose-description": duplicate.pk},
        **{"choose-website": keep.pk}, reason="Listed twice",
    ).content.decode()  # fmt: skip
    assert "Merged Syrbanism e.V. into Syrbanism." in done
    keep.refresh_from_db()
    assert keep.description == "A platform for Syrian urbanists in Austria."
    reason = keep.history.first().history_change_reason
    assert reason.endswith("keeping its description: Listed twice")


def test_a_merge_without_a_needed_choice_says_which_and_merges_nothing(client, editor):
    keep, duplicate = two_syrbanisms()
    done = merge_screen(client, keep, duplicate, keep=keep.pk).content.decode()
    assert "Nothing was merged: The records differ in their description, website" in done
    assert Organisation.objects.filter(pk=duplicate.pk).exists()


def test_the_merge_screen_serves_advocates_with_their_roles_side_by_side(client, editor):
    keep, duplicate = (Advocate.objects.get(slug=slug) for slug in ("alba-ortega", "aliyyah-ahad"))
    url = reverse("admin:orgs_advocate_changelist")
    selection = {"action": "merge_selected", "_selected_action": [keep.pk, duplicate.pk]}
    page = client.post(url, selection).content.decode()
    assert "Dilemma author" in page and "Expert, Module 1" in page
    assert page.count('name="choose-roles"') == 2

    client.post(url, {**selection, "keep": keep.pk, "choose-roles": duplicate.pk})
    keep.refresh_from_db()
    assert keep.roles == "Expert, Module 1"
    assert not Advocate.objects.filter(pk=duplicate.pk).exists()


def test_a_merge_keeps_an_editorial_alias_editorial_and_a_printed_one_credited():
    keep = Organisation.objects.get(slug="universite-libre-de-bruxelles")
    duplicate = Organisation.objects.get(slug="bulgarian-school-of-politics")

    merging.merge(keep, [duplicate], choices={"description": keep})

    moved = {
        alias.name: (alias.editorial, alias.source_id and alias.source.key)
        for alias in keep.aliases.filter(name__startswith="Bulgarian School of Politics ")
    }
    assert moved == {
        "Bulgarian School of Politics Dimitry Panitza": (True, None),
        "Bulgarian School of Politics (Dimitry Panitza)": (False, "unhcr-2020"),
    }


# Refusals name the reason in full, for the editor; nothing changes.


def test_records_of_a_kind_that_has_no_merge_are_refused():
    networks = list(Network.objects.all()[:2])
    with pytest.raises(merging.MergeRefused) as refusal:
        merging.merge(networks[0], networks[1:])
    assert str(refusal.value) == "Networks cannot be merged."


def test_a_merge_of_one_record_alone_says_to_choose_two():
    keep = Organisation.objects.get(slug="mosaico")
    with pytest.raises(merging.MergeRefused) as refusal:
        merging.merge(keep, [keep])
    assert str(refusal.value) == (
        "Choose at least two records: the one to keep and its duplicates."
    )


def test_an_organisation_and_an_advocate_are_not_merged():
    keep = Organisation.objects.get(slug="mosaico")
    advocate = Advocate.objects.first()
    with pytest.raises(merging.MergeRefused) as refusal:
        merging.merge(keep, [advocate])
    assert str(refusal.value) == "Only records of one kind can be merged."
    assert Advocate.objects.filter(pk=advocate.pk).exists()


def test_a_duplicate_deleted_meanwhile_is_refused():
    keep = Organisation.objects.get(slug="mosaico")
    gone = Organisation.objects.create(name="Gone", slug="gone")
    Organisation.objects.filter(pk=gone.pk).delete()
    with pytest.raises(merging.MergeRefused) as refusal:
        merging.merge(keep, [gone])
    assert str(refusal.value) == "A record was deleted meanwhile; reload the list."


def test_the_refusals_of_a_choice_name_the_fields_in_full():
    keep, duplicate = two_syrbanisms()
    with pytest.raises(merging.MergeRefused) as refusal:
        merging.merge(keep, [duplicate])
    assert str(refusal.value) == (
        "The records differ in their description, website: choose which to keep."
    )
    stranger = Organisation.objects.get(slug="mosaico")
    with pytest.raises(merging.MergeRefused) as refusal:
        merging.merge(keep, [duplicate], choices={"description": stranger, "website": keep})
    assert str(refusal.value) == "The description chosen is not one of the records."


def test_organisations_with_different_identifiers_under_one_prefix_are_not_merged():
    keep = Organisation.objects.create(
        name="Keep", slug="keep", external_ids={"wikidata": "Q1", "lei": "A", "ror": "R"}
    )
    duplicate = Organisation.objects.create(
        name="Other", slug="other", external_ids={"wikidata": "Q2", "lei": "B", "ror": "R"}
    )
    with pytest.raises(merging.MergeRefused) as refusal:
        merging.merge(keep, [duplicate])
    assert str(refusal.value) == (
        "Keep and Other have different identifiers (lei, wikidata): "
        "they may not be one organisation."
    )
    assert Organisation.objects.filter(pk=duplicate.pk).exists()


def test_organisations_with_the_same_identifiers_merge_and_keep_all_of_them():
    keep = Organisation.objects.create(
        name="Keep", slug="keep", external_ids={"wikidata": "Q1", "ror": "R"}
    )
    duplicate = Organisation.objects.create(
        name="Other", slug="other", external_ids={"wikidata": "Q1", "lei": "B"}
    )
    assert merging.merge(keep, [duplicate]) == keep
    keep.refresh_from_db()
    assert keep.external_ids == {"wikidata": "Q1", "lei": "B", "ror": "R"}


def test_the_refusal_of_two_personal_addresses_names_both_advocates():
    keep = Advocate.objects.create(name="Ana Example", slug="ana-example")
    duplicate = Advocate.objects.create(name="Ana Exampel", slug="ana-exampel")
    for advocate, email in ((keep, "ana@example.org"), (duplicate, "ana@example.net")):
        PersonalAddress.objects.create(advocate=advocate, email=email, source_id=1, locator="x")
    with pytest.raises(merging.MergeRefused) as refusal:
        merging.merge(keep, [duplicate])
    assert str(refusal.value) == (
        "Ana Example and Ana Exampel have different personal addresses; keep one of them "
        "(delete the other in the advocate's page) and merge again."
    )


# What moves, when the kept record already has its own.


def test_a_duplicates_personal_address_moves_to_the_advocate_kept_when_it_has_none():
    keep = Advocate.objects.create(name="Ana Example", slug="ana-example")
    duplicate = Advocate.objects.create(name="Ana Exampel", slug="ana-exampel")
    PersonalAddress.objects.create(
        advocate=duplicate, email="ana@example.org", source_id=1, locator="x"
    )
    merging.merge(keep, [duplicate])
    assert PersonalAddress.objects.get(advocate=keep).email == "ana@example.org"


def test_the_same_personal_address_in_another_case_is_kept_once():
    keep = Advocate.objects.create(name="Ana Example", slug="ana-example")
    duplicate = Advocate.objects.create(name="Ana Exampel", slug="ana-exampel")
    for advocate, email in ((keep, "ana@example.org"), (duplicate, "Ana@Example.org")):
        PersonalAddress.objects.create(advocate=advocate, email=email, source_id=1, locator="x")
    merging.merge(keep, [duplicate])
    addresses = PersonalAddress.objects.filter(email__iexact="ana@example.org")
    assert [(address.advocate_id, address.email) for address in addresses] == [
        (keep.pk, "ana@example.org")
    ]


@pytest.mark.parametrize(
    "kept_quote, duplicate_quote, quote",
    [("", "Founded by refugees.", "Founded by refugees."), ("Ours.", "Theirs.", "Ours.")],
    ids=["quote taken", "quote kept"],
)
def test_a_citation_both_records_have_keeps_its_quote_unless_it_had_none(
    kept_quote, duplicate_quote, quote
):
    keep = Organisation.objects.create(name="Keep", slug="keep")
    duplicate = Organisation.objects.create(name="Other", slug="other")
    for organisation, text in ((keep, kept_quote), (duplicate, duplicate_quote)):
        OrganisationCitation.objects.create(
            organisation=organisation, source_id=1, locator="p. 4", quote=text
        )
    merging.merge(keep, [duplicate])
    citations = OrganisationCitation.objects.filter(source_id=1, locator="p. 4")
    assert [(c.organisation_id, c.quote) for c in citations] == [(keep.pk, quote)]


@pytest.mark.parametrize(
    "kept_role, duplicate_role, role",
    [("member", "coordinator", "coordinator"), ("coordinator", "member", "coordinator"),
     ("member", "member", "member")],
)  # fmt: skip
def test_a_membership_both_records_have_becomes_one_coordinating_if_either_did(
    kept_role, duplicate_role, role
):
    network = Network.objects.get(slug="iq-netzwerk-sachsen-anhalt")
    keep = Organisation.objects.create(name="Keep", slug="keep")
    duplicate = Organisation.objects.create(name="Other", slug="other")
    Membership.objects.create(network=network, organisation=keep, role=kept_role)
    theirs = Membership.objects.create(network=network, organisation=duplicate, role=duplicate_role)
    MembershipCitation.objects.create(membership=theirs, source_id=1, locator="p. 7")

    merging.merge(keep, [duplicate])

    membership = Membership.objects.get(organisation=keep)
    assert membership.role == role
    assert [c.locator for c in membership.citations.all()] == ["p. 7"]


def test_every_membership_of_a_duplicate_moves():
    networks = list(Network.objects.order_by("slug")[:3])
    keep = Organisation.objects.create(name="Keep", slug="keep")
    duplicate = Organisation.objects.create(name="Other", slug="other")
    Membership.objects.create(network=networks[0], organisation=keep)
    for network in networks:
        Membership.objects.create(network=network, organisation=duplicate)
    merging.merge(keep, [duplicate])
    assert sorted(keep.memberships.values_list("network__slug", flat=True)) == [
        network.slug for network in networks
    ]


def test_the_kept_record_sums_up_the_leadership_claims_it_gains():
    keep = Organisation.objects.create(name="Keep", slug="keep")
    duplicate = Organisation.objects.create(name="Other", slug="other")
    LeadershipClaim.objects.create(
        organisation=duplicate, source_id=1, locator="line 9", leadership="diaspora-led",
        evidence="named-by-report",
    )  # fmt: skip
    merging.merge(keep, [duplicate])
    keep.refresh_from_db()
    assert (keep.leadership, keep.leadership_evidence) == ("diaspora-led", "named-by-report")


def test_the_history_names_every_field_taken_from_the_duplicate_and_no_other():
    keep, duplicate = two_syrbanisms(email="hello@syrbanism.example.org")
    merging.merge(
        keep,
        [duplicate],
        choices={"description": duplicate, "website": duplicate, "email": duplicate},
    )  # the same email either way: nothing taken
    assert keep.history.first().history_change_reason == (
        "Merged Syrbanism e.V. (syrbanism-ev) into Syrbanism (syrbanism), "
        "keeping its description, website"
    )


def test_a_name_both_records_have_becomes_one_alias():
    keep = Organisation.objects.create(name="Keep", slug="keep")
    OrganisationAlias.objects.create(organisation=keep, name="KFR")
    duplicate = Organisation.objects.create(name="Keep e.V.", slug="keep-ev")
    for name in ("kfr", "KEEP E.V.", "Another name"):
        OrganisationAlias.objects.create(organisation=duplicate, name=name)
    merging.merge(keep, [duplicate])
    assert sorted(keep.aliases.values_list("name", flat=True)) == [
        "Another name", "KFR", "Keep e.V.",
    ]  # fmt: skip


def test_the_old_addresses_of_a_merged_record_follow_it_into_the_next_merge(client):
    first = Organisation.objects.create(name="First", slug="first")
    second = Organisation.objects.create(name="Second", slug="second")
    third = Organisation.objects.create(name="Third", slug="third")
    merging.merge(second, [first])
    merging.merge(third, [second])
    for slug in ("first", "second"):
        response = client.get(f"/organisations/{slug}/")
        assert (response.status_code, response["Location"]) == (301, "/organisations/third/")


def test_the_texts_the_reports_gave_are_joined_each_once():
    keep = Organisation.objects.create(
        name="Keep", slug="keep", location_raw="Vienna", note="Listed twice."
    )
    duplicate = Organisation.objects.create(
        name="Other", slug="other", location_raw="Wien", focus_raw="Housing", note="Listed twice."
    )
    merging.merge(keep, [duplicate])
    keep.refresh_from_db()
    assert (keep.location_raw, keep.focus_raw, keep.note) == (
        "Vienna\nWien",
        "Housing",
        "Listed twice.",
    )


def test_every_row_a_merge_writes_names_the_editor_and_the_merge_outside_a_request_too():
    keep = Organisation.objects.create(name="Keep", slug="keep")
    duplicate = Organisation.objects.create(name="Other", slug="other")
    OrganisationCitation.objects.create(organisation=duplicate, source_id=1, locator="p. 1")
    editor = EditorFactory()  # outside a request: no signed-in client

    merging.merge(keep, [duplicate], by=editor)

    alias = keep.aliases.get(name="Other")
    citation = keep.citations.get(locator="p. 1")
    reason = "Merged Other (other) into Keep (keep)"
    for entry in (alias.history.first(), citation.history.first()):
        assert (entry.history_user, entry.history_change_reason) == (editor, reason)


def test_a_correction_sent_about_the_duplicate_follows_the_record_kept():
    keep = Organisation.objects.get(slug="mosaico")
    duplicate = Organisation.objects.get(slug="uniao-de-refugiados-em-portugal")
    correction = Suggestion.objects.create(
        kind=SuggestionKind.CORRECTION,
        organisation=duplicate,
        message="The website moved.",
        sender_email="sender@example.org",
    )
    merging.merge(keep, [duplicate])
    correction.refresh_from_db()
    assert correction.organisation == keep
