"""An alias is credited only to a report that prints it; a spelling the editors made is an
editorial alias, credited to none, and the public page says so."""

import pytest

from orgs.models import OrganisationAlias
from orgs.seeding.registry import Record
from tests.seeding.test_citation_locators import of_model, seed_lines

ALIAS_OWNERS = {"orgs.organisationalias": "organisation", "orgs.networkalias": "network"}

# Spellings no report prints, read against the seeds: written-out names, a name the report
# gives in another grammatical case or with a typo we corrected, another apostrophe.
EDITORIAL_ALIASES = {
    ("arcisolidarieta-ora-d-aria", "ArciSolidarietà Ora d'Aria"),
    (
        "beauftragte-der-bundesregierung-fuer-migration-fluechtlinge-und-integration",
        "Beauftragte der Bundesregierung für Migration, Flüchtlinge und Integration",
    ),
    ("bulgarian-school-of-politics", "Bulgarian School of Politics Dimitry Panitza"),
    ("european-commission-dg-migration-and-home-affairs", "DG HOME"),
    ("european-commission-dg-migration-and-home-affairs", "DG Migration and Home Affairs"),
    (
        "integrationslotsinnen-projekte-steglitz-zehlendorf",
        "Integrationslotsinnen Projekte, Steglitz-Zehlendorf",
    ),
    ("naples-municipality", "Municipality of Naples"),
    ("public-defenders-office-georgia", "Public Defender's Office"),
    ("unhcr", "UNHCR Regional Bureau for Europe"),
    ("unhcr", "United Nations High Commissioner for Refugees"),
    ("universite-libre-de-bruxelles", "Université libre de Bruxelles"),
}


def folded(text: str) -> str:
    """Case and whitespace aside, without the extraction's Markdown (`*`, `\\`)."""
    return " ".join(text.replace("*", "").replace("\\", "").split()).casefold()


def report_text(report: str) -> str:
    return folded(" ".join(seed_lines(report)))


def aliases() -> list[tuple[str, dict]]:
    return [
        (item["fields"][owner][0], item["fields"])
        for model, owner in ALIAS_OWNERS.items()
        for item in of_model(model)
    ]


def test_an_alias_credited_to_a_report_is_printed_in_it():
    credited = [(slug, fields) for slug, fields in aliases() if fields["source"]]
    assert len(credited) > 100
    unprinted = [
        (slug, fields["name"], fields["source"][0])
        for slug, fields in credited
        if folded(fields["name"]) not in report_text(fields["source"][0])
    ]
    assert not unprinted


def test_the_editorial_aliases_are_the_spellings_no_report_prints():
    editorial = {(slug, fields["name"]) for slug, fields in aliases() if fields.get("editorial")}
    assert editorial == EDITORIAL_ALIASES
    # Editorial exactly when credited to no report.
    assert all(bool(fields.get("editorial")) == (not fields["source"]) for _, fields in aliases())


def test_a_report_that_prints_an_editorial_alias_takes_it_over():
    record = Record(kind="organisation", key="unhcr", report="urban-academy-2018", name="UNHCR")
    record.add_alias("United Nations High Commissioner for Refugees", "unhcr-2020", editorial=True)
    assert record.editorial_aliases == {"United Nations High Commissioner for Refugees"}
    record.add_alias("United Nations High Commissioner for Refugees", "epim-2019")
    assert record.editorial_aliases == set()
    assert record.alias_reports["United Nations High Commissioner for Refugees"] == "epim-2019"
    # An editorial spelling never takes a printed one's credit away.
    record.add_alias("UN Refugee Agency", "epim-2019")
    record.add_alias("UN Refugee Agency", "unhcr-2020", editorial=True)
    assert record.editorial_aliases == set()


@pytest.mark.django_db
def test_the_public_page_marks_an_editorial_alias_and_credits_a_printed_one(client):
    content = client.get("/organisations/universite-libre-de-bruxelles/").content.decode()
    muted = '<span class="muted">({})</span>'
    assert "Université libre de Bruxelles " + muted.format("editorial spelling") in content
    assert "ULB " + muted.format("Working with refugee-led organizations in Europe") in content
    alias = OrganisationAlias.objects.get(name="Université libre de Bruxelles")
    assert (alias.editorial, alias.source) == (True, None)
