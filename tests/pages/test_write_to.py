"""A visitor writes to a listed person who accepts messages, from the person's page: the
sender confirms their address once, the message reaches the private address with the sender
as Reply-To and a one-click "stop messages" link, and the address is in no page or log line.
Where nobody accepts messages, the organisation's page offers the next best way that is true.
"""

import re

import pytest
from django.test import Client

from orgs.choices import AnswerKind, MailKind, MailStatus
from orgs.models import Advocate, ListedAnswer, Network, OutgoingMail
from orgs.pages.relaying import CONFIRMED_SENDERS
from orgs.services import answers
from tests.worker import run_worker

pytestmark = pytest.mark.django_db

MESSAGE = {
    "sender_name": "Amina Yusuf",
    "sender_email": "amina@example.org",
    "body": "Hello, we run a refugee-led project in Lyon and would like to work with you.",
}


@pytest.fixture
def advocate():
    """Reshad Jalali, who works at ECRE, has a private address and now accepts messages."""
    advocate = Advocate.objects.get(slug="reshad-jalali")
    answers.set_consent(advocate, True)
    return advocate


@pytest.fixture
def private_address(advocate):
    return advocate.personal_address.email


def confirmation_path(message) -> str:
    [url] = re.findall(r"http://localhost:8000(/\S*/messages/confirm/\S+/|/messages/confirm/\S+/)",
                       message.get_content())  # fmt: skip
    return url


def stop_path(message) -> str:
    [url] = re.findall(r"http://localhost:8000(/messages/stop/\S+/)", message.get_content())
    return url


def write(client, advocate, **changes):
    return client.post(f"/advocates/{advocate.slug}/write/", {**MESSAGE, **changes})


def test_a_consenting_advocate_s_page_has_the_form_posting_to_its_own_address(client, advocate):
    page = client.get("/advocates/reshad-jalali/").content.decode()
    assert "Write to Reshad Jalali" in page
    assert 'action="/advocates/reshad-jalali/write/"' in page
    assert 'name="website_url"' in page  # the honeypot


def test_a_message_is_relayed_once_its_sender_confirms_their_address(
    client, smtp_server, advocate, private_address
):
    response = write(client, advocate)
    assert response.status_code == 302
    assert response["Location"] == "/messages/check-your-mailbox/"
    run_worker()
    assert smtp_server.to(private_address) == []  # held until the sender confirms
    [check] = smtp_server.to("amina@example.org")
    assert check["Subject"] == "Confirm your address to send your message through the directory"

    link = confirmation_path(check)
    assert "Confirm and send my message" in client.get(link).content.decode()
    run_worker()
    assert smtp_server.to(private_address) == []  # opening the link (a mail scanner) sends nothing

    confirmed = client.post(link)
    assert confirmed.status_code == 200
    assert "Your message is on its way" in confirmed.content.decode()
    run_worker()
    [message] = smtp_server.to(private_address)
    assert message["Reply-To"] == "amina@example.org"
    assert message["Subject"] == "Amina Yusuf wrote to you through the Migrant-led Europe directory"
    assert MESSAGE["body"] in message.get_content()


def test_the_relayed_message_says_who_wrote_why_it_came_and_how_to_stop(
    client, smtp_server, advocate, private_address
):
    write(client, advocate, sender_email="AMINA@example.org")
    run_worker()
    client.post(confirmation_path(smtp_server.to("AMINA@example.org")[0]))
    run_worker()
    [message] = smtp_server.to(private_address)
    text = message.get_content()
    assert text.startswith(
        "Amina Yusuf <AMINA@example.org> wrote to you through the Migrant-led Europe directory"
    )
    assert "your reply goes to Amina Yusuf directly" in text
    assert "because you chose to let people write to you through the directory" in text
    stop = stop_path(message)
    assert message["List-Unsubscribe"].strip() == f"<http://localhost:8000{stop}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_second_message_in_the_same_session_goes_without_asking_again(
    client, smtp_server, advocate, private_address
):
    write(client, advocate)
    run_worker()
    client.post(confirmation_path(smtp_server.to("amina@example.org")[0]))

    response = write(client, advocate, body="And one more thing.")
    assert response["Location"] == "/messages/sent/"
    run_worker()
    assert len(smtp_server.to("amina@example.org")) == 1  # no second confirmation
    assert [
        m.get_content().count("And one more thing.") for m in smtp_server.to(private_address)
    ] == [0, 1]


def test_another_session_confirms_the_same_address_again(client, smtp_server, advocate):
    write(client, advocate)
    run_worker()
    client.post(confirmation_path(smtp_server.to("amina@example.org")[0]))

    assert write(Client(), advocate)["Location"] == "/messages/check-your-mailbox/"


def test_the_private_address_is_in_no_answer_of_the_flow_nor_in_the_log(
    client, smtp_server, advocate, private_address, log_output
):
    answers_seen = [
        client.get("/advocates/reshad-jalali/"),
        client.get("/advocates/reshad-jalali/write/"),
        write(client, advocate, body=""),  # the form's refusal
        write(client, advocate),
        client.get("/messages/check-your-mailbox/"),
    ]
    run_worker()
    link = confirmation_path(smtp_server.to("amina@example.org")[0])
    answers_seen += [client.get(link), client.post(link), client.post(link)]
    run_worker()
    stop = stop_path(smtp_server.to(private_address)[0])
    answers_seen += [client.get(stop), client.post(stop), write(client, advocate)]
    for response in answers_seen:
        assert private_address not in response.content.decode()
        assert private_address not in str(response.headers)
    assert private_address not in log_output.getvalue()
    assert "(relayed) sent" in log_output.getvalue()  # the log was written, and read here


def test_the_one_click_post_withdraws_consent_and_the_form_disappears(
    client, smtp_server, advocate, private_address
):
    write(client, advocate)
    run_worker()
    client.post(confirmation_path(smtp_server.to("amina@example.org")[0]))
    run_worker()
    stop = stop_path(smtp_server.to(private_address)[0])

    # As a mail system does it (RFC 8058): a bare POST, no cookie, no CSRF token.
    response = Client(enforce_csrf_checks=True).post(stop, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "nobody can write to you through the directory any more" in response.content.decode()
    assert "personal link" in response.content.decode()
    assert not answers.accepts_messages(advocate)
    assert ListedAnswer.objects.filter(advocate=advocate, kind=AnswerKind.WITHDREW).count() == 1
    page = client.get("/advocates/reshad-jalali/").content.decode()
    assert "Write to Reshad Jalali" not in page
    assert "has not chosen to receive messages" in page


def test_opening_the_stop_link_shows_a_button_and_changes_nothing(
    client, smtp_server, advocate, private_address
):
    write(client, advocate)
    run_worker()
    client.post(confirmation_path(smtp_server.to("amina@example.org")[0]))
    run_worker()
    page = client.get(stop_path(smtp_server.to(private_address)[0])).content.decode()
    assert '<button type="submit">Stop messages</button>' in page
    assert answers.accepts_messages(advocate)


def test_a_made_up_stop_link_is_not_found(client, advocate):
    assert client.post("/messages/stop/not-a-token/").status_code == 404
    assert answers.accepts_messages(advocate)


def test_a_made_up_confirmation_link_is_not_found(client):
    response = client.post("/messages/confirm/not-a-token/")
    assert response.status_code == 404
    assert "This link is not one the directory sent" in response.content.decode()


def test_a_bot_filling_the_honeypot_is_answered_as_if_accepted_and_nothing_is_kept(
    client, advocate, settings
):
    settings.MESSAGES_PER_CLIENT_PER_HOUR = 1
    for _ in range(3):
        response = write(client, advocate, website_url="http://spam.example")
        assert response["Location"] == "/messages/check-your-mailbox/"
    assert not OutgoingMail.objects.exists()
    assert write(client, advocate).status_code == 302  # the bot's posts were never counted


def test_messages_from_one_sender_address_are_limited_per_day(client, advocate, settings):
    settings.MESSAGES_PER_SENDER_PER_DAY = 2
    assert [write(Client(REMOTE_ADDR=f"192.0.2.{n}"), advocate).status_code for n in (1, 2)] == [
        302,
        302,
    ]
    refused = write(Client(REMOTE_ADDR="192.0.2.3"), advocate)
    assert refused.status_code == 429
    assert "many messages from this address today" in refused.content.decode()
    assert write(client, advocate, sender_email="other@example.org").status_code == 302


def test_messages_from_one_client_address_are_limited_per_hour(client, advocate, settings):
    settings.MESSAGES_PER_CLIENT_PER_HOUR = 2
    statuses = [
        write(client, advocate, sender_email=f"s{n}@example.org").status_code for n in range(3)
    ]
    assert statuses == [302, 302, 429]
    refused = write(client, advocate, sender_email="s9@example.org")
    assert "from your connection in the last hour" in refused.content.decode()
    assert write(Client(REMOTE_ADDR="192.0.2.9"), advocate).status_code == 302


def confirmed_sender(n: int) -> tuple[Client, str]:
    """A visitor from their own address whose browser session already confirmed it."""
    visitor, address = Client(REMOTE_ADDR=f"192.0.2.{n}"), f"s{n}@example.org"
    session = visitor.session
    session[CONFIRMED_SENDERS] = [address]
    session.save()
    return visitor, address


def test_messages_to_one_person_are_limited_per_day(advocate, settings):
    settings.MESSAGES_PER_RECIPIENT_PER_DAY = 2
    statuses = [write(*confirmed_sender(n)[:1], advocate, sender_email=f"s{n}@example.org")
                .status_code for n in range(3)]  # fmt: skip
    assert statuses == [302, 302, 429]
    visitor, address = confirmed_sender(9)
    refused = write(visitor, advocate, sender_email=address)
    assert "Reshad Jalali has received many messages today" in refused.content.decode()
    assert OutgoingMail.objects.filter(kind=MailKind.RELAYED).count() == 2


def test_messages_never_confirmed_do_not_use_up_a_person_s_day(advocate, settings):
    settings.MESSAGES_PER_RECIPIENT_PER_DAY = 2
    for n in range(3):  # made-up senders, who never confirm
        write(Client(REMOTE_ADDR=f"192.0.2.{n}"), advocate, sender_email=f"s{n}@example.org")
    visitor, address = confirmed_sender(9)
    assert write(visitor, advocate, sender_email=address).status_code == 302
    assert OutgoingMail.objects.filter(kind=MailKind.RELAYED, status=MailStatus.QUEUED).count() == 1


def test_a_message_too_long_is_refused_with_its_length_and_nothing_is_kept(
    client, advocate, settings
):
    settings.MESSAGE_MAX_CHARS = 50
    response = write(client, advocate, body="x" * 51)
    assert response.status_code == 400
    assert "Your message is 51 characters long; it may be 50 at most." in response.content.decode()
    assert "x" * 51 in response.content.decode()  # kept in the form, to shorten
    assert not OutgoingMail.objects.exists()


def test_a_message_with_too_many_links_is_refused_and_nothing_is_kept(client, advocate):
    body = "See https://a.example, http://b.example and www.c.example"
    response = write(client, advocate, body=body)
    assert response.status_code == 400
    assert "Your message holds 3 links; it may hold 2 at most." in response.content.decode()
    assert not OutgoingMail.objects.exists()


def test_a_message_with_as_many_links_as_allowed_is_kept(client, advocate):
    response = write(client, advocate, body="See https://a.example and www.c.example")
    assert response.status_code == 302


@pytest.mark.parametrize(
    "address, error",
    [
        ("not an address", "Enter a valid email address."),
        (f"{'a' * 300}@example.org", "Ensure this value has at most 254 characters (it has 312)."),
    ],
)
def test_a_form_without_a_usable_sender_address_is_refused(client, advocate, address, error):
    response = write(client, advocate, sender_email=address)
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not OutgoingMail.objects.exists()


def test_a_person_who_did_not_consent_has_no_form_and_a_post_is_refused(client):
    advocate = Advocate.objects.get(slug="reshad-jalali")  # has an address, never consented
    page = client.get("/advocates/reshad-jalali/").content.decode()
    assert "Write to Reshad Jalali" not in page
    assert 'name="sender_email"' not in page
    response = write(client, advocate)
    assert response.status_code == 403
    assert "Reshad Jalali does not accept messages through the directory." in (
        response.content.decode()
    )
    assert not OutgoingMail.objects.exists()


def test_an_advocate_without_consent_points_to_an_organisation_with_a_website(client):
    page = client.get("/advocates/reshad-jalali/").content.decode()
    assert (
        "You can reach the organisation they work for through its website or email: "
        '<a href="/organisations/european-council-on-refugees-and-exiles/">'
        "European Council on Refugees and Exiles</a>."
    ) in page


def test_an_advocate_without_consent_or_a_reachable_organisation_offers_a_suggestion(client):
    page = client.get("/advocates/safi-arezo/").content.decode()
    assert '<a href="/advocates/safi-arezo/suggest/">Suggest a way to reach them</a>' in page


def test_a_consenting_network_can_be_written_to(client, smtp_server):
    network = Network.objects.get(slug="magnet-network")
    answers.set_consent(network, True)
    assert "Write to MAGNET Network" in client.get("/networks/magnet-network/").content.decode()
    response = client.post("/networks/magnet-network/write/", MESSAGE)
    assert response["Location"] == "/messages/check-your-mailbox/"
    run_worker()
    client.post(confirmation_path(smtp_server.to("amina@example.org")[0]))
    run_worker()
    [message] = smtp_server.to(network.personal_address.email)
    assert message["Reply-To"] == "amina@example.org"


def test_a_network_that_did_not_consent_refuses_messages(client):
    response = client.post("/networks/magnet-network/write/", MESSAGE)
    assert response.status_code == 403
    assert not OutgoingMail.objects.exists()


# The organisation's page: who can be written to, or the next best way.


def test_the_organisation_page_offers_to_write_to_an_advocate_who_works_there(client, advocate):
    page = client.get("/organisations/european-council-on-refugees-and-exiles/").content.decode()
    assert (
        '<a href="/advocates/reshad-jalali/write/">Write to Reshad Jalali</a>, who works here.'
    ) in page
    assert "Nobody at this organisation" not in page


def test_an_organisation_with_a_website_says_nobody_can_be_written_to_and_points_to_it(client):
    page = client.get("/organisations/european-council-on-refugees-and-exiles/").content.decode()
    assert (
        "Nobody at this organisation has chosen to receive messages through the directory.\n"
        "    Reach it through its public website or email, above."
    ) in page


def test_an_organisation_reachable_only_through_a_network_points_to_the_network(client):
    page = client.get("/organisations/caritasverband-fur-das-bistum-magdeburg-ev/").content.decode()
    assert "Nobody at this organisation has chosen to receive messages" in page
    assert (
        'Reach it through a network it belongs to: <a href="/networks/iq-netzwerk-sachsen-anhalt/">'
        "IQ Netzwerk Sachsen-Anhalt</a>."
    ) in page


def test_a_network_that_consented_is_a_way_to_reach_its_members(client):
    url = "/organisations/social-welfare-office-of-the-city-of-dortmund/"
    assert "Suggest a way to reach them" in client.get(url).content.decode()
    answers.set_consent(
        Network.objects.get(slug="integrationsnetzwerk-dortmund-lokal-willkommen"), True
    )
    page = client.get(url).content.decode()
    assert "Reach it through a network it belongs to: " in page
    assert "Suggest a way to reach them" not in page


@pytest.mark.parametrize(
    "slug", ["refugees-welcome", "arcisolidarieta", "afghan-womens-organisation"]
)
def test_an_organisation_with_no_way_to_reach_it_offers_a_suggestion(client, slug):
    page = client.get(f"/organisations/{slug}/").content.decode()
    assert (
        "The reports print no website or email for it, and no network it belongs to can be "
        f'reached. <a href="/organisations/{slug}/suggest/">Suggest a way to reach them</a>.'
    ) in page
    assert "advocates below" not in page


# In another language.


def test_the_form_and_the_confirmation_work_in_french(
    client, smtp_server, advocate, private_address
):
    page = client.get("/fr/advocates/reshad-jalali/").content.decode()
    assert "Écrire à Reshad Jalali" in page
    assert 'action="/fr/advocates/reshad-jalali/write/"' in page
    response = client.post("/fr/advocates/reshad-jalali/write/", MESSAGE)
    assert response["Location"] == "/fr/messages/check-your-mailbox/"
    assert "Vérifiez votre boîte" in client.get(response["Location"]).content.decode()
    run_worker()
    [check] = smtp_server.to("amina@example.org")
    assert check["Subject"].strip() == (
        "Confirmez votre adresse pour envoyer votre message par le répertoire"
    )
    link = confirmation_path(check)
    assert link.startswith("/fr/messages/confirm/")
    assert "Votre message est en route" in client.post(link).content.decode()
    run_worker()
    assert len(smtp_server.to(private_address)) == 1


def test_a_refusal_is_worded_in_french(client, advocate):
    body = "https://a.example https://b.example https://c.example"
    response = client.post("/fr/advocates/reshad-jalali/write/", {**MESSAGE, "body": body})
    assert response.status_code == 400
    assert "Votre message contient 3 liens ; il peut en contenir 2 au plus." in (
        response.content.decode()
    )


# What the pages cost.


def test_the_advocate_page_with_its_form_runs_a_fixed_number_of_queries(
    client, advocate, django_assert_num_queries
):
    # as without the form: whether the person accepts messages is read with the advocate
    with django_assert_num_queries(11):
        client.get("/advocates/reshad-jalali/")


def test_the_held_message_is_kept_without_the_private_address(client, advocate, private_address):
    write(client, advocate)
    relayed = OutgoingMail.objects.get(kind=MailKind.RELAYED)
    assert relayed.status == MailStatus.HELD
    assert private_address not in repr(OutgoingMail.objects.filter(pk=relayed.pk).values().get())
