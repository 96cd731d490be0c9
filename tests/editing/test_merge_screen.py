"""The merge screen: the records side by side, field by field, and what the merge does with each."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from orgs.models import (
    Advocate,
    Affiliation,
    LeadershipClaim,
    Membership,
    Network,
    Organisation,
    OrganisationAlias,
    OrganisationCitation,
    PersonalAddress,
    WorkLevel,
)

pytestmark = pytest.mark.django_db


def rows(client, model, *records):
    """The rows of the merge screen for the records, as (label, values, outcome)."""
    url = reverse(f"admin:orgs_{model}_changelist")
    selection = {"action": "merge_selected", "_selected_action": [r.pk for r in records]}
    response = client.post(url, selection)
    assert response.status_code == 200
    return response.context["rows"]


def two_alphas():
    first = Organisation.objects.create(
        name="Alpha Collective", slug="alpha-collective", form="association",
        website="https://alpha.example.org", note="Listed twice.",
        external_ids={"wikidata": "Q1"}, checked_on=date(2025, 3, 1), is_published=True,
    )  # fmt: skip
    second = Organisation.objects.create(
        name="Alpha Collective e.V.", slug="alpha-collective-ev", form="association",
        description="Runs a kitchen.", website="https://alpha.example.net", founded=2015,
        other_websites=["https://alpha.example.com"], is_published=False,
    )  # fmt: skip
    OrganisationAlias.objects.create(organisation=first, name="AC")
    first.countries.add("DE")
    second.countries.add("AT")
    second.levels.add(WorkLevel.objects.get(slug="eu"))
    LeadershipClaim.objects.create(
        organisation=second, source_id=1, locator="line 9", leadership="diaspora-led",
        evidence="named-by-report",
    )  # fmt: skip
    OrganisationCitation.objects.create(organisation=first, source_id=1, locator="p. 2")
    advocate = Advocate.objects.create(name="Ana Example", slug="ana-example")
    Affiliation.objects.create(advocate=advocate, organisation=first)
    network = Network.objects.get(slug="iq-netzwerk-sachsen-anhalt")
    Membership.objects.create(network=network, organisation=second)
    return first, second


def test_the_merge_screen_shows_each_field_of_two_organisations_and_what_the_merge_does(
    client, editor
):
    first, second = two_alphas()

    screen = rows(client, "organisation", second, first)  # shown in name order

    assert [(row.label, row.values, row.outcome) for row in screen] == [
        ("Description", ["", "Runs a kitchen."], "The only value given"),
        ("Form", ["Association", "Association"], "The same in every record"),
        (
            "Website",
            ["https://alpha.example.org", "https://alpha.example.net"],
            "The value you choose",
        ),
        ("Email", ["", ""], "The same in every record"),
        ("Founded", ["", "2015"], "The only value given"),
        ("Other names", [["AC"], []], "All kept, with the other records' names"),
        ("Countries", [["Germany"], ["Austria"]], "Combined: all are kept"),
        ("Cities", [[], []], "Combined: all are kept"),
        ("Levels of work", [[], ["EU"]], "Combined: all are kept"),
        ("Focus areas", [[], []], "Combined: all are kept"),
        ("Target groups", [[], []], "Combined: all are kept"),
        (
            "Other websites",
            [[], ["https://alpha.example.com"]],
            "All kept, with the websites not chosen above",
        ),
        (
            "Identifiers",
            [["wikidata: Q1"], []],
            "Combined; different identifiers under one prefix stop the merge",
        ),
        (
            "Leadership claims",
            [
                [],
                ["Diaspora-led (named so by a report), Migrant-led advocacy across Europe, line 9"],
            ],
            "All move to the kept record; its leadership is their summary",
        ),
        ("Advocates", [["Ana Example"], []], "All move (one affiliation per person)"),
        ("Networks", [[], ["IQ Netzwerk Sachsen-Anhalt"]], "All move"),
        ("Citations", [["Migrant-led advocacy across Europe, p. 2"], []], "All move"),
        ("Editorial note", [["Listed twice."], []], "Joined"),
        ("Published", ["yes", "no (hidden)"], "The kept record's"),
        ("Checked on", ["2025-03-01", "never"], "The kept record's"),
    ]
    # Only the website is to choose (each record has its own), the first record's at first.
    chosen = [row for row in screen if row.name]
    assert [(row.name, row.chosen) for row in chosen] == [("website", first.pk)]
    assert [(record.pk, value) for record, value in chosen[0].choices] == [
        (first.pk, "https://alpha.example.org"),
        (second.pk, "https://alpha.example.net"),
    ]
    assert [row.label for row in screen if row.listed] == [
        "Other names", "Countries", "Cities", "Levels of work", "Focus areas", "Target groups",
        "Other websites", "Identifiers", "Leadership claims", "Advocates", "Networks",
        "Citations", "Editorial note",
    ]  # fmt: skip


def test_the_merge_screen_offers_no_choice_when_the_records_agree(client, editor):
    first = Organisation.objects.create(
        name="Beta", slug="beta", description="Same.", form="network", founded=2001
    )
    second = Organisation.objects.create(
        name="Beta Network", slug="beta-network", description="Same.", form="network",
        founded=2001,
    )  # fmt: skip

    screen = rows(client, "organisation", first, second)

    assert [(row.label, row.values, row.outcome, row.name) for row in screen[:5]] == [
        ("Description", ["Same.", "Same."], "The same in every record", ""),
        ("Form", ["Network", "Network"], "The same in every record", ""),
        ("Website", ["", ""], "The same in every record", ""),
        ("Email", ["", ""], "The same in every record", ""),
        ("Founded", ["2001", "2001"], "The same in every record", ""),
    ]


def test_the_merge_screen_shows_advocates_with_their_organisations_and_personal_address(
    client, editor
):
    first = Advocate.objects.create(name="Ana Example", slug="ana-example", roles="Chair")
    second = Advocate.objects.create(name="Ana Exampel", slug="ana-exampel", roles="Founder")
    PersonalAddress.objects.create(
        advocate=second, email="ana@example.org", source_id=1, locator="x"
    )
    Affiliation.objects.create(
        advocate=first, organisation=Organisation.objects.get(slug="mosaico")
    )

    screen = rows(client, "advocate", first, second)

    assert [(row.label, row.values, row.outcome) for row in screen] == [
        ("Roles", ["Founder", "Chair"], "The value you choose"),  # Exampel before Example
        ("Other names", [[], []], "All kept, with the other records' names"),
        ("Countries", [[], []], "Combined: all are kept"),
        ("Cities", [[], []], "Combined: all are kept"),
        ("Levels of work", [[], []], "Combined: all are kept"),
        ("Focus areas", [[], []], "Combined: all are kept"),
        ("Target groups", [[], []], "Combined: all are kept"),
        ("Organisations", [[], ["Mosaico"]], "All move (one affiliation per organisation)"),
        (
            "Personal address",
            [["ana@example.org"], []],
            "Kept; two different addresses stop the merge",
        ),
        ("Networks", [[], []], "All move"),
        ("Citations", [[], []], "All move"),
        ("Editorial note", [[], []], "Joined"),
        ("Published", ["yes", "yes"], "The kept record's"),
        ("Checked on", ["never", "never"], "The kept record's"),
    ]
    assert [(row.name, row.chosen) for row in screen if row.name] == [("roles", second.pk)]


def queries_of_the_screen(client, model, records) -> int:
    with CaptureQueriesContext(connection) as queries:
        rows(client, model, *records)
    return len(queries)


def test_the_merge_screen_asks_the_database_as_often_for_three_records_as_for_two(client, editor):
    """Everything the rows show is fetched with the records, not once per record or row."""
    organisations = [
        Organisation.objects.create(name=f"Gamma {n}", slug=f"gamma-{n}") for n in range(3)
    ]
    advocates = [Advocate.objects.create(name=f"Gamma {n}", slug=f"gamma-{n}") for n in range(3)]
    for n, (organisation, advocate) in enumerate(zip(organisations, advocates, strict=True)):
        Affiliation.objects.create(organisation=organisation, advocate=advocate)
        LeadershipClaim.objects.create(
            organisation=organisation, source_id=1, locator=f"line {n}",
            leadership="migrant-led", evidence="named-by-report",
        )  # fmt: skip
        PersonalAddress.objects.create(
            advocate=advocate, email=f"gamma{n}@example.org", source_id=1, locator="x"
        )
    two = (
        queries_of_the_screen(client, "organisation", organisations[:2]),
        queries_of_the_screen(client, "advocate", advocates[:2]),
    )
    three = (
        queries_of_the_screen(client, "organisation", organisations),
        queries_of_the_screen(client, "advocate", advocates),
    )
    assert three == two
