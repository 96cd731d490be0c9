"""Records spelled as in the reports, with their places, merges and sources."""

import pytest

from orgs.models import Advocate, Network, Organisation
from surveys.models import Answer, Response

pytestmark = pytest.mark.django_db


def test_an_annex_2_advocate_lives_in_the_rows_city_and_works_with_its_organisation():
    advocate = Advocate.objects.get(name="Edwar Hanna")
    assert [country.code for country in advocate.countries.all()] == ["AT"]
    assert [city.name for city in advocate.cities.all()] == ["Vienna"]
    assert [org.name for org in advocate.organisations.all()] == ["Syrbanism"]
    assert {level.slug for level in advocate.levels.all()} == {"local", "national", "eu"}
    assert advocate.citations.get().locator == "Annex 2, Austria, line 622"


def test_the_free_text_form_cell_splits_into_form_and_self_described_leadership():
    syrbanism = Organisation.objects.get(name="Syrbanism")
    assert (syrbanism.form, syrbanism.leadership) == ("initiative", "migrant-led")
    assert syrbanism.leadership_evidence == "self-described"
    claim = syrbanism.leadership_claims.get()
    assert (claim.source.key, claim.locator, claim.quote) == (
        "epim-2019",
        "Annex 2, Austria, line 622",
        "Migrant-led",
    )
    assert syrbanism.form_raw == "Initiative, Migrant-led"


def test_an_organisation_named_by_several_rows_is_one_record_with_all_its_advocates():
    alliance = Organisation.objects.get(slug="diaspora-network-alliance")
    assert {a.name for a in alliance.advocates.all()} == {
        "Mahmoud Ramadan",
        "Jala El Jazairi",
        "Oula Sulliman",
    }
    aliases = {alias.name for alias in alliance.aliases.all()}
    assert {"Diaspora Networks Alliance (DNA)", "Diaspora Network Alliance (DNA)"} <= aliases
    assert alliance.citations.count() == 3


def test_a_cell_naming_two_organisations_affiliates_the_advocate_with_both():
    advocate = Advocate.objects.get(name="Jala El Jazairi")
    assert {org.slug for org in advocate.organisations.all()} == {
        "migrantenbeirat-der-landeshauptstadt-potsdam",
        "diaspora-network-alliance",
    }


def test_a_row_that_wraps_onto_the_next_line_is_one_row_with_its_full_text():
    response = Response.objects.get(survey__slug="epim-2019-mapping", key="row-685")
    target_groups = response.answers.get(question__key="target_groups").text
    assert target_groups.endswith("LGBTIQ migrants/refugees, Migrant/refugee women")
    focus = Answer.objects.get(response__key="row-696", question__key="focus").text
    assert focus.endswith("accessing support for mental & physical health")
    assert not Response.objects.filter(key__in=["row-687", "row-698"]).exists()


def test_scope_all_means_every_level_of_work():
    network = Organisation.objects.get(name="Refugee Radio Network")
    assert {level.slug for level in network.levels.all()} == {"local", "national", "eu", "global"}


def test_a_website_and_email_row_is_an_organisation_without_a_person():
    union = Organisation.objects.get(name="Ghana Union Finland")
    assert union.website == "http://ghanaunionfinland.com"
    assert union.email == "info@ghanaunionfinland.com"
    assert not union.advocates.exists()
    assert union.cities.get().name == "Vantaa"


def test_ecre_is_one_organisation_citing_three_reports():
    ecre = Organisation.objects.get(slug="european-council-on-refugees-and-exiles")
    assert ecre.name == "European Council on Refugees and Exiles"
    assert {c.source.key for c in ecre.citations.all()} == {
        "epim-2019",
        "churchill-2018",
        "unhcr-2020",
    }
    assert "ECRE" in {alias.name for alias in ecre.aliases.all()}


def test_the_city_of_amsterdam_is_one_organisation_citing_two_reports():
    amsterdam = Organisation.objects.get(slug="city-of-amsterdam")
    assert {c.source.key for c in amsterdam.citations.all()} == {
        "churchill-2018",
        "urban-academy-2018",
    }


def test_churchill_organisations_keep_their_original_name_and_english_gloss():
    organisation = Organisation.objects.get(slug="koelner-fluechtlingsrat")
    assert organisation.name == "Kölner Flüchtlingsrat"
    assert [country.code for country in organisation.countries.all()] == ["DE"]
    assert organisation.cities.get().name == "Cologne"
    assert organisation.aliases.exists()
    assert organisation.website


def test_urban_academy_country_code_el_is_greece():
    author = Advocate.objects.get(name="Dorothea Kokozidou")
    assert [country.code for country in author.countries.all()] == ["GR"]
    assert author.cities.get().name == "Thessaloniki"
    dilemma = Response.objects.get(survey__slug="urban-academy-2018-dilemmas", advocate=author)
    assert dilemma.answers.get(question__key="dilemma").text.startswith(
        "How can we reach children and young people"
    )


def test_an_erasmi_network_has_its_profile_type_and_coordinator():
    network = Network.objects.get(name="IQ Netzwerk Sachsen-Anhalt")
    assert [country.code for country in network.countries.all()] == ["DE"]
    assert network.network_type.slug == "non-state-integration-network"
    coordinator = network.memberships.get(role="coordinator").organisation
    assert coordinator.slug == "caritasverband-fur-das-bistum-magdeburg-ev"
    assert network.status_date is not None
    assert network.responses.get().survey.slug == "erasmi-2020-network-survey"


def test_unreadable_erasmi_fields_are_recorded_not_invented():
    network = Network.objects.get(name="Newcomers Network Harz")
    assert set(network.unreadable_fields) == {"websites", "email"}
    assert network.websites == [] and network.email == ""


def test_a_network_with_two_coordinating_organisations_lists_both():
    network = Network.objects.get(name="Grupp 39")
    coordinators = network.memberships.filter(role="coordinator")
    assert {m.organisation.name for m in coordinators} == {
        "Ronneby Municipality",
        "Folkuniversitet",
    }


def test_a_name_split_by_a_pdf_line_break_is_repaired():
    assert Advocate.objects.filter(name="Saeed Maissara").exists()
    assert not Advocate.objects.filter(name__contains="Mais-sara").exists()


def test_the_churchill_report_names_bfmf_as_migrant_led_outside_appendix_a():
    bfmf = Organisation.objects.get(aliases__name="BFmF")
    assert (bfmf.leadership, bfmf.leadership_evidence) == ("migrant-led", "named-by-report")
    assert bfmf.cities.get().name == "Cologne"
