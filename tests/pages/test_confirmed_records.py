"""Records the listed confirmed themselves say so, with the date, beside the report's citation;
lists mark them, and "confirmed by the listed" filters them."""

from datetime import date

import pytest

from orgs.models import Advocate, Network, Organisation
from tests.responses import body, listed, result_count

pytestmark = pytest.mark.django_db

CONFIRMED_ON = date(2026, 3, 5)


@pytest.fixture
def confirmed_organisation():
    Organisation.objects.filter(slug="refugee-radio-network").update(confirmed_on=CONFIRMED_ON)
    return Organisation.objects.get(slug="refugee-radio-network")


@pytest.fixture
def confirmed_advocate():
    Advocate.objects.filter(slug="larry-macaulay").update(confirmed_on=CONFIRMED_ON)
    return Advocate.objects.get(slug="larry-macaulay")


@pytest.fixture
def confirmed_network():
    Network.objects.filter(slug="iq-netzwerk-sachsen-anhalt").update(confirmed_on=CONFIRMED_ON)
    return Network.objects.get(slug="iq-netzwerk-sachsen-anhalt")


def sources_part(page: str) -> str:
    """The page from its sources on: where the confirmed line stands, beside the citations."""
    return page[page.index('<h2 id="sources">') :]


def test_an_organisation_page_says_the_organisation_confirmed_it_and_when(
    client, confirmed_organisation
):
    page = body(client.get("/organisations/refugee-radio-network/"))
    assert '<p class="confirmed">Confirmed by the organisation on 5 March 2026.</p>' in (
        sources_part(page)
    )


def test_the_organisation_page_says_it_in_french_with_a_french_date(client, confirmed_organisation):
    page = body(client.get("/fr/organisations/refugee-radio-network/"))
    assert "Confirmé par l'organisation le 5 mars 2026." in page


def test_an_advocate_page_names_the_person_who_confirmed_it(client, confirmed_advocate):
    page = body(client.get("/advocates/larry-macaulay/"))
    assert "Confirmed by Larry Macaulay on 5 March 2026." in sources_part(page)


def test_a_network_page_says_the_network_confirmed_it_in_german(client, confirmed_network):
    page = body(client.get("/de/networks/iq-netzwerk-sachsen-anhalt/"))
    assert "Vom Netzwerk am 5. März 2026 bestätigt." in page


def test_a_page_nobody_confirmed_says_nothing_of_it(client):
    page = body(client.get("/organisations/refugee-radio-network/"))
    assert "Confirmed by" not in page
    assert 'class="confirmed"' not in page


def test_the_list_marks_a_confirmed_organisation_with_its_date(client, confirmed_organisation):
    page = body(client.get("/organisations/", {"q": "Refugee Radio Network"}))
    assert '<span class="confirmed">confirmed 5 March 2026</span>' in page


def test_the_advocates_and_networks_lists_mark_confirmed_rows(
    client, confirmed_advocate, confirmed_network
):
    advocates = body(client.get("/advocates/", {"confirmed": "true"}))
    networks = body(client.get("/ar/networks/", {"confirmed": "true"}))
    assert '<span class="confirmed">confirmed 5 March 2026</span>' in advocates
    assert '<span class="confirmed">مؤكَّد في 5 مارس، 2026</span>' in networks


def test_the_filter_lists_only_the_confirmed_organisations(client, confirmed_organisation):
    response = client.get("/organisations/", {"confirmed": "true"})
    assert response.status_code == 200
    assert listed(response) == ["/organisations/refugee-radio-network/"]
    page = body(response)
    assert "<h1>Organisations confirmed by the listed</h1>" in page
    assert 'name="confirmed" value="true" id="id_confirmed" checked' in page
    assert "Confirmed by the listed: Yes" in page


def test_the_filter_for_the_unconfirmed_leaves_the_confirmed_out(client, confirmed_organisation):
    everything = result_count(client.get("/organisations/"))
    unconfirmed = client.get("/organisations/", {"confirmed": "false"})
    assert (everything, result_count(unconfirmed)) == (235, 234)
    assert "<h1>Organisations not yet confirmed by the listed</h1>" in body(unconfirmed)


def test_the_filter_heading_reads_in_french(client, confirmed_organisation):
    page = body(client.get("/fr/organisations/", {"confirmed": "true", "country": "DE"}))
    assert (
        "<h1>Organisations (Allemagne) dont la fiche est confirmée par les intéressés</h1>" in page
    )


def test_the_filter_box_is_unticked_without_the_filter(client):
    page = body(client.get("/advocates/"))
    assert 'name="confirmed" value="true" id="id_confirmed">' in page


def test_a_wrong_value_of_the_filter_is_a_clear_message_not_an_error(client):
    response = client.get("/networks/", {"confirmed": "maybe"})
    assert response.status_code == 400
    assert "confirmed: Select a valid choice. maybe is not one of the available choices." in body(
        response
    )


def test_an_empty_confirmed_list_offers_the_list_without_the_filter(client):
    page = body(client.get("/organisations/", {"confirmed": "true", "country": "GR"}))
    alternative = '<a href="?country=GR">Confirmed by the listed or not</a>'
    assert f'{alternative} <span class="count">(7 organisations)</span>' in page
