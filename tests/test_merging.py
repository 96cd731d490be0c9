"""Duplicates merge into one record: everything moves, names and addresses are kept, or nothing."""

import pytest
from django.contrib.auth.models import Group, User
from django.db.models import Q
from django.urls import reverse

from orgs import merging
from orgs.models import (
    Advocate,
    AdvocateCitation,
    Affiliation,
    AffiliationCitation,
    LeadershipClaim,
    Membership,
    Organisation,
    OrganisationAlias,
    OrganisationCitation,
    PersonalAddress,
    Source,
)
from surveys.models import Response

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


def test_a_merge_moves_everything_keeps_names_and_redirects_the_old_address(client):
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
    editor = User.objects.create_user("editor")

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
    assert gone.history_type == "-" and gone.history_change_reason.startswith("Merged into")


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
    assert affiliation.role == (affiliation.role or "Founder")
    assert affiliation.citations.filter(source=other_source).exists()
    alias = keep.aliases.get(name="Syrbanism e.V.")
    assert alias.source in (citation.source, other_source)  # the earliest report naming it


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
    merging.merge(keep, [duplicate])
    assert keep.aliases.filter(name=duplicate.name).exists()
    response = client.get(f"/advocates/{duplicate.slug}/")
    assert response.status_code == 301 and response["Location"] == keep.get_absolute_url()
    assert duplicate.name in client.get(keep.get_absolute_url()).content.decode()


def test_an_editor_merges_from_the_list_choosing_the_record_to_keep(client):
    user = User.objects.create_user("editor", is_staff=True)
    user.groups.add(Group.objects.get(name="Editor"))
    client.force_login(user)
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

    viewer = User.objects.create_user("viewer", is_staff=True)
    viewer.groups.add(Group.objects.get(name="Viewer"))
    client.force_login(viewer)
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


def test_a_merge_keeps_an_editorial_alias_editorial_and_a_printed_one_credited():
    keep = Organisation.objects.get(slug="universite-libre-de-bruxelles")
    duplicate = Organisation.objects.get(slug="bulgarian-school-of-politics")

    merging.merge(keep, [duplicate])

    moved = {
        alias.name: (alias.editorial, alias.source_id and alias.source.key)
        for alias in keep.aliases.filter(name__startswith="Bulgarian School of Politics ")
    }
    assert moved == {
        "Bulgarian School of Politics Dimitry Panitza": (True, None),
        "Bulgarian School of Politics (Dimitry Panitza)": (False, "unhcr-2020"),
    }
