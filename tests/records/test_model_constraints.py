"""Each uniqueness and consistency rule of the models is enforced by the database."""

import pytest
from django.db import IntegrityError, transaction

from orgs.models import (
    Advocate,
    AdvocateCitation,
    Affiliation,
    City,
    FocusArea,
    LeadershipClaim,
    Membership,
    Network,
    Organisation,
    OrganisationAlias,
    OrganisationCitation,
    PersonalAddress,
    Source,
)
from surveys.models import Answer, PublishedFigure, Question, Response, Survey

pytestmark = pytest.mark.django_db


def violates(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


@pytest.fixture
def source():
    return Source.objects.get(key="epim-2019")


@pytest.fixture
def organisation():
    return Organisation.objects.create(slug="test-organisation", name="Test organisation")


@pytest.fixture
def advocate():
    return Advocate.objects.create(slug="test-advocate", name="Test Advocate")


@pytest.fixture
def network():
    return Network.objects.create(slug="test-network", name="Test network")


@pytest.fixture
def survey(source):
    return Survey.objects.create(slug="test-survey", source=source, title="T", year=2019)


@pytest.mark.parametrize("model", [Organisation, Advocate, Network, FocusArea])
def test_slugs_are_unique(model):
    model.objects.create(slug="twice", name="Once")
    violates(lambda: model.objects.create(slug="twice", name="Twice"))


def test_city_slugs_are_unique():
    City.objects.create(slug="xx-twice", name="Twice", country="BE")
    violates(lambda: City.objects.create(slug="xx-twice", name="Twice", country="BE"))


def test_source_keys_are_unique(source):
    violates(lambda: Source.objects.create(key=source.key, title="T", short_title="T", year=1))


def test_an_organisation_has_each_alias_once(organisation):
    OrganisationAlias.objects.create(organisation=organisation, name="Alias")
    violates(lambda: OrganisationAlias.objects.create(organisation=organisation, name="Alias"))


def test_an_editorial_alias_is_credited_to_no_report(organisation, source):
    OrganisationAlias.objects.create(organisation=organisation, name="Our spelling", editorial=True)
    violates(
        lambda: OrganisationAlias.objects.create(
            organisation=organisation, name="Printed spelling", source=source, editorial=True
        )
    )


def test_an_advocate_is_affiliated_with_an_organisation_once(advocate, organisation):
    def affiliate():
        Affiliation.objects.create(advocate=advocate, organisation=organisation)

    affiliate()
    violates(affiliate)


def test_an_organisation_is_a_member_of_a_network_once(network, organisation):
    def join(role):
        Membership.objects.create(network=network, organisation=organisation, role=role)

    join("member")
    violates(lambda: join("coordinator"))


def test_a_person_is_a_member_of_a_network_once(network, advocate):
    def join():
        Membership.objects.create(network=network, advocate=advocate)

    join()
    violates(join)


def test_a_membership_has_exactly_one_member(network, organisation, advocate):
    violates(lambda: Membership.objects.create(network=network))
    violates(
        lambda: Membership.objects.create(
            network=network, organisation=organisation, advocate=advocate
        )
    )


def test_a_personal_address_has_exactly_one_owner(network, advocate, source):
    def address(**owners):
        PersonalAddress.objects.create(email="a@example.org", source=source, locator="l", **owners)

    violates(lambda: address())
    violates(lambda: address(advocate=advocate, network=network))
    address(advocate=advocate)
    violates(lambda: address(advocate=advocate))


def test_a_leadership_claim_says_something_once_per_place(organisation, source):
    def claim(leadership="refugee-led", evidence="named-by-report"):
        LeadershipClaim.objects.create(
            organisation=organisation,
            source=source,
            locator="l",
            leadership=leadership,
            evidence=evidence,
        )

    violates(lambda: claim(leadership="unknown"))
    violates(lambda: claim(evidence="none"))
    claim()
    violates(lambda: claim(leadership="migrant-led"))


def test_a_private_question_is_neither_charted_nor_listed(survey):
    violates(
        lambda: Question.objects.create(
            survey=survey, key="p", text="P", is_private=True, chart="list"
        )
    )
    violates(
        lambda: Question.objects.create(
            survey=survey, key="p", text="P", is_private=True, listing="short"
        )
    )


def test_a_record_cites_the_same_place_once(organisation, advocate, source):
    OrganisationCitation.objects.create(organisation=organisation, source=source, locator="l")
    violates(
        lambda: OrganisationCitation.objects.create(
            organisation=organisation, source=source, locator="l"
        )
    )
    AdvocateCitation.objects.create(advocate=advocate, source=source, locator="l")
    violates(lambda: AdvocateCitation.objects.create(advocate=advocate, source=source, locator="l"))


def test_a_known_leadership_needs_evidence():
    violates(
        lambda: Organisation.objects.create(
            slug="unevidenced", name="U", leadership="refugee-led", leadership_evidence="none"
        )
    )


def test_survey_questions_responses_answers_and_figures_are_unique(survey):
    question = Question.objects.create(survey=survey, key="q", text="Q")
    violates(lambda: Question.objects.create(survey=survey, key="q", text="Again"))
    response = Response.objects.create(survey=survey, key="r", locator="l")
    violates(lambda: Response.objects.create(survey=survey, key="r", locator="l"))
    Answer.objects.create(response=response, question=question, text="a")
    violates(lambda: Answer.objects.create(response=response, question=question, text="b"))
    PublishedFigure.objects.create(survey=survey, key="f", label="F", count=1, quote="q")
    violates(
        lambda: PublishedFigure.objects.create(survey=survey, key="f", label="F", count=2, quote="")
    )


def test_a_figure_has_a_number_and_a_share_is_a_percentage(survey):
    violates(lambda: PublishedFigure.objects.create(survey=survey, key="n", label="N", quote="q"))
    violates(
        lambda: PublishedFigure.objects.create(
            survey=survey, key="p", label="P", share=140, quote="q"
        )
    )
