"""Erasing a listed person forgets every name they had in the history of the organisations they
answered for, and what they sent through their personal link, even through a merged duplicate's."""

import pytest
from django.db.models import Q

from orgs.models import Advocate, Organisation, Suggestion
from orgs.services import answers, corrections, erasure, invitations, merging

pytestmark = pytest.mark.django_db

ERASED = "Confirmed as it stands by a person since erased (the listed advocate, through their "
ERASED += "personal link)"


@pytest.fixture
def advocate():
    return Advocate.objects.get(slug="reshad-jalali")


@pytest.fixture
def organisation(advocate):
    return advocate.affiliations.order_by("organisation__slug").first().organisation


def reasons_naming(organisation, *names) -> list[str]:
    naming = Q()
    for name in names:
        naming |= Q(history_change_reason__icontains=name)
    return list(
        Organisation.history.filter(id=organisation.pk)
        .filter(naming)
        .values_list("history_change_reason", flat=True)
    )


def test_erasure_forgets_the_name_the_person_had_before_a_rename(advocate, organisation):
    answers.confirm(advocate, organisation=organisation)
    advocate.name = "R. Jalali"
    advocate.save()
    answers.confirm(advocate, organisation=organisation)
    assert len(reasons_naming(organisation, "Reshad Jalali", "R. Jalali")) == 2

    erasure.erase(advocate)

    assert reasons_naming(organisation, "Reshad Jalali", "R. Jalali") == []
    confirmations = Organisation.history.filter(
        id=organisation.pk, history_change_reason__startswith="Confirmed as it stands"
    ).values_list("history_change_reason", flat=True)
    assert list(confirmations) == [ERASED, ERASED]


def test_erasure_forgets_the_name_of_a_duplicate_merged_into_the_person(advocate, organisation):
    answers.confirm(advocate, organisation=organisation)
    keep = Advocate.objects.create(name="R. Jalali", slug="r-jalali")
    merging.merge(keep, [advocate])

    erasure.erase(keep)

    assert reasons_naming(organisation, "Reshad Jalali", "Jalali") == []


def test_a_shorter_name_of_the_person_leaves_no_part_of_a_longer_one(advocate, organisation):
    advocate.aliases.create(name="Jalali")
    answers.confirm(advocate, organisation=organisation)

    erasure.erase(advocate)

    assert reasons_naming(organisation, "Reshad", "Jalali") == []


def test_a_correction_sent_through_a_merged_duplicates_link_is_erased_with_the_person_kept(
    advocate, organisation
):
    invitation = invitations.send_notice(advocate)
    sent = corrections.correct(
        advocate, organisation, {}, "Our office moved to Lyon.", invitation=invitation
    ).suggestion
    keep = Advocate.objects.create(name="R. Jalali", slug="r-jalali")
    merging.merge(keep, [advocate])
    assert Suggestion.objects.get(pk=sent.pk).invitation == invitation

    erasure.erase(keep)

    assert not Suggestion.objects.filter(pk=sent.pk).exists()
    assert not Suggestion.history.filter(id=sent.pk).exists()
