"""The editors' dashboard of the listed: invited, confirmed, corrected, consented, unreachable
and asked for removal, in all, per report and per country, in a fixed number of queries.

The fixtures hold 105 advocates with a private address (all named by EPIM's 2019 list, three of
them in Austria) and 3 networks (ERASMI's 2021 compendium, two of them in Germany)."""

import pytest
from django.urls import reverse

from orgs.choices import AnswerKind, SuggestionKind
from orgs.models import (
    Advocate,
    Network,
    PersonalAddress,
    Suggestion,
)
from orgs.services import mail as outbox
from orgs.services.answers import record_answer, set_consent
from tests.editing.test_listed_admin import sent_invitation

pytestmark = pytest.mark.django_db

URL = "/admin/listed/"


@pytest.fixture
def the_loop_under_way(editor):
    """Edwar Hanna (Austria): invited twice, confirmed and consented. Durra Chiban (Austria):
    invited, the notice bounced, asked for removal. Abdulhamid Kwieder (Austria): consented,
    then withdrew. Migrantinnen Netzwerk Bayern (Germany): invited, sent a correction."""
    edwar = Advocate.objects.get(slug="edwar-hanna")
    invitation = sent_invitation(edwar, editor)
    sent_invitation(edwar, editor)
    record_answer(edwar, AnswerKind.CONFIRMED, invitation=invitation)
    set_consent(edwar, True, invitation=invitation)

    durra = Advocate.objects.get(slug="durra-chiban")
    outbox.mark_bounced(sent_invitation(durra, editor).mail, "550 No such user")
    record_answer(durra, AnswerKind.REMOVAL)

    abdulhamid = Advocate.objects.get(slug="abdulhamid-kwieder")
    set_consent(abdulhamid, True)
    set_consent(abdulhamid, False)

    bayern = Network.objects.get(slug="migrantinnen-netzwerk-bayern")
    correction = sent_invitation(bayern, editor)
    record_answer(bayern, AnswerKind.CORRECTED, invitation=correction)
    Suggestion.objects.create(
        kind=SuggestionKind.CORRECTION,
        network=bayern,
        invitation=correction,
        changes={"email": ["", "info@example.org"]},
    )


def table(response, heading: str) -> dict[str, list[int]]:
    rows = dict(response.context["tables"])[heading]
    return {row.label: row.values for row in rows}


def test_the_dashboard_counts_each_step_in_all(client, the_loop_under_way):
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["columns"] == [
        "With a private address", "Invited", "Confirmed", "Corrected", "Accept messages",
        "Unreachable", "Asked for removal",
    ]  # fmt: skip
    assert table(response, "In all") == {
        "Advocates": [105, 2, 1, 0, 1, 1, 1],
        "Networks": [3, 1, 0, 1, 0, 0, 0],
        "All": [108, 3, 1, 1, 1, 1, 1],
    }


def test_the_dashboard_counts_each_step_per_report(client, the_loop_under_way):
    assert table(client.get(URL), "Per report") == {
        "Migrant-led advocacy across Europe": [105, 2, 1, 0, 1, 1, 1],
        "Network-based cooperation for migrant and refugee inclusion": [3, 1, 0, 1, 0, 0, 0],
    }


def test_the_dashboard_counts_each_step_per_country(client, the_loop_under_way):
    countries = table(client.get(URL), "Per country")
    assert countries["Austria"] == [3, 2, 1, 0, 1, 1, 1]
    assert countries["Germany"] == [10, 1, 0, 1, 0, 0, 0]
    assert countries["Belgium"] == [16, 0, 0, 0, 0, 0, 0]
    assert list(countries)[-1] == "No country"


def test_the_dashboard_shows_the_rows_and_links_the_queues(client, the_loop_under_way):
    page = client.get(URL).content.decode()
    assert (
        '<tr><th scope="row">Austria</th><td>3</td><td>2</td><td>1</td><td>0</td><td>1</td>'
        "<td>1</td><td>1</td></tr>"
    ) in page
    corrections = reverse("admin:orgs_suggestion_changelist") + "?sent_by=listed"
    assert f'<a href="{corrections}&amp;status__exact=pending">' in page
    assert '<strong id="pending-corrections">1</strong>' in page
    mail = reverse("admin:orgs_outgoingmail_changelist")
    assert f'<a href="{mail}?status__exact=bounced">Bounced mail</a>' in page
    assert '<strong id="bounced-mail">1</strong>' in page


def test_the_dashboard_shows_no_address(client, the_loop_under_way):
    page = client.get(URL).content.decode()
    for email in PersonalAddress.objects.values_list("email", flat=True):
        assert email not in page


def test_the_dashboard_runs_a_fixed_number_of_queries(
    client, the_loop_under_way, django_assert_num_queries
):
    # the user, their permissions (own and their groups'; the session is in the cache); 2
    # kinds x (in all, per report, per country); pending corrections; bounced mail
    with django_assert_num_queries(3 + 6 + 2):
        assert client.get(URL).status_code == 200


def test_the_admin_index_links_the_dashboard(client, editor):
    page = client.get(reverse("admin:index")).content.decode()
    assert f'<a href="{URL}">Invitations and answers, per report and per country</a>' in page


def test_a_viewer_reads_the_dashboard(client, viewer):
    assert client.get(URL).status_code == 200


def test_staff_in_no_group_may_not_read_it(client, django_user_model):
    client.force_login(django_user_model.objects.create(username="staff", is_staff=True))
    assert client.get(URL).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/login/" in response["Location"]
