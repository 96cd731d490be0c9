"""Links built from records only ever use http or https, however the address got in."""

import re

import pytest
from django.core.exceptions import ValidationError

from orgs.models import Network, Organisation, OrganisationCitation, Source
from orgs.services.records_import.preview import preview_import
from tests.editing.test_importing import SHORT_HEADER, csv_file

pytestmark = pytest.mark.django_db

HOSTILE = ["javascript:alert(1)", " JavaScript:alert(2)", "data:text/html,<b>x</b>", "ftp://x.org/"]
NON_WEB_HREF = re.compile(r"""href=["']\s*(?!https?://|/|\?|#|mailto:)""", re.IGNORECASE)


def non_web_links(page: str) -> list[str]:
    return [page[match.start() : match.start() + 40] for match in NON_WEB_HREF.finditer(page)]


def test_a_hostile_website_in_the_database_is_shown_but_never_linked(
    client, django_assert_num_queries
):
    organisation = Organisation.objects.get(slug="european-council-on-refugees-and-exiles")
    Organisation.objects.filter(pk=organisation.pk).update(
        website=HOSTILE[0], other_websites=[*HOSTILE[1:], "https://fine.example.org/"]
    )
    with django_assert_num_queries(25):  # the page on an empty cache, as test_organisation_pages
        page = client.get(organisation.get_absolute_url()).content.decode()
    assert non_web_links(page) == []
    assert "javascript:alert(1)" in page  # as text, for an editor to notice
    assert 'href="https://fine.example.org/"' in page


def test_a_hostile_report_address_is_never_linked_from_its_page_or_its_citations(client):
    citation = OrganisationCitation.objects.filter(organisation__is_published=True).first()
    source = citation.source
    Source.objects.filter(pk=source.pk).update(url="javascript:alert(document.cookie)")
    for url in [f"/sources/{source.key}/", citation.organisation.get_absolute_url()]:
        page = client.get(url).content.decode()
        assert non_web_links(page) == [], url
        assert 'href="javascript' not in page.lower()


def test_a_hostile_network_website_is_never_linked(client):
    network = Network.objects.published().first()
    Network.objects.filter(pk=network.pk).update(
        websites=["javascript:alert(1)", "www.fine.example.org"], social_media=["data:,x"]
    )
    page = client.get(network.get_absolute_url()).content.decode()
    assert non_web_links(page) == []
    assert 'href="http://www.fine.example.org"' in page


@pytest.mark.parametrize("address", HOSTILE)
def test_a_record_refuses_a_website_of_another_scheme(address):
    organisation = Organisation.objects.published().first()
    organisation.website = address
    with pytest.raises(ValidationError, match="starts with http:// or https://"):
        organisation.full_clean()


def test_a_record_refuses_another_scheme_in_its_lists_of_addresses():
    organisation = Organisation.objects.published().first()
    organisation.other_websites = ["https://fine.example.org", "javascript:alert(1)"]
    with pytest.raises(ValidationError, match="javascript:alert.1. is not a web address"):
        organisation.full_clean()
    network = Network.objects.published().first()
    network.websites = ["www.fine.example.org", "https://also.example.org"]
    network.full_clean()  # as reports print them
    network.social_media = ["vbscript:msgbox"]
    with pytest.raises(ValidationError):
        network.full_clean()


def test_a_report_address_of_another_scheme_is_refused():
    source = Source.objects.first()
    source.url = "file:///etc/passwd"
    with pytest.raises(ValidationError, match="starts with http:// or https://"):
        source.full_clean()


@pytest.mark.parametrize(
    "website, reason",
    [
        ("javascript:alert(1)", "Enter a valid URL."),
        ("ftp://files.example.org/", "Enter a valid URL."),
    ],
)
def test_a_suggestion_with_a_hostile_website_is_refused_with_the_reason(client, website, reason):
    response = client.post(
        "/suggest/",
        {
            "name": "Hostile Aid",
            "country": "BE",
            "website": website,
            "message": "We help.",
            "sender_email": "someone@example.org",
        },
    )
    assert response.status_code == 400  # the form again, not a redirect to "thanks"
    assert reason in response.content.decode()


def test_an_import_row_with_a_hostile_address_is_rejected_with_the_reason():
    row = ["", "javascript:alert(1)", "Hostile Aid", "", "Ghent, Belgium", "", "", "", "BE"]
    preview = preview_import(csv_file([row], header=SHORT_HEADER), "csv")
    assert [entry.row for entry in preview.rejected] == [2]
    assert "javascript:alert(1) is not an http:// or https:// address" in (
        preview.rejected[0].reason
    )
