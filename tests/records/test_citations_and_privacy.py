"""Every record says where it came from; personal addresses stay with their person."""

import pytest
from django.db.models import Q

from orgs.models import (
    Advocate,
    AffiliationCitation,
    MembershipCitation,
    Network,
    Organisation,
    PersonalAddress,
)
from surveys.models import Answer, PublishedFigure, Response

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", [Organisation, Advocate, Network])
def test_every_record_cites_a_report(model):
    assert model.objects.exists()
    assert not model.objects.filter(citations=None).exists()


@pytest.mark.parametrize(
    "model", [AffiliationCitation, MembershipCitation, Response, PublishedFigure]
)
def test_every_relation_response_and_figure_has_a_locator(model):
    assert model.objects.exists()
    assert not model.objects.filter(locator="").exists()


def test_no_advocate_email_appears_on_an_organisation_or_network():
    personal = set(PersonalAddress.objects.values_list("email", flat=True))
    assert len(personal) > 100
    for address in personal:
        on_organisation = Q(email__iexact=address) | Q(description__icontains=address)
        assert not Organisation.objects.filter(on_organisation).exists(), address
        assert not Network.objects.filter(email__iexact=address).exists(), address


def test_personal_addresses_are_only_in_answers_to_private_questions():
    personal = PersonalAddress.objects.values_list("email", flat=True)
    for address in personal:
        assert not Answer.objects.filter(text__icontains=address).exists(), address


def test_an_email_cell_that_holds_no_address_gives_no_email():
    row = Response.objects.get(survey__slug="epim-2019-mapping", key="row-785")
    assert row.private_answers.get(question__key="email_website").text == "European"
    assert not PersonalAddress.objects.filter(advocate=row.advocate).exists()


def test_a_persons_address_in_an_organisation_row_is_not_published():
    organisation = Organisation.objects.get(name="Syrians & Friends Paris")
    assert organisation.email == ""
    assert "festivaldessolidarites.org" in organisation.website
