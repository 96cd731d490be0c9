"""The public privacy page: what is public, what is private, the reports' own words on
consent, and how to have one's data corrected, copied or erased."""

import pytest
from django.urls import reverse

from orgs.models import Source

pytestmark = pytest.mark.django_db

REPORTS = ("epim-2019", "churchill-2018", "urban-academy-2018", "unhcr-2020", "erasmi-2021")


def test_the_privacy_page_says_what_is_private_and_quotes_the_reports(
    client, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = client.get("/privacy/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Privacy · Migrant-led Europe directory</title>" in page
    assert "only the directory's editors see them" in page
    assert "holders of a token an editor issued" in page
    # The reports' consent statements, as printed (EPIM Annex 2, Churchill Appendix A).
    assert (
        "Migrant advocates and migrant-led organisations included in this list have agreed to "
        "share their contact details." in page
    )
    assert "as I am waiting for permissions from everyone to be able to do so." in page
    assert "This publication is licensed under CC BY 4.0." in page
    for key in REPORTS:
        assert f'href="/sources/{key}/"' in page


def test_the_privacy_page_links_every_report_that_exists():
    """Its links name the reports by key: each key is a report the directory holds."""
    keys = set(Source.objects.values_list("key", flat=True))
    assert set(REPORTS) <= keys


def test_the_privacy_page_says_how_to_correct_copy_and_erase(client):
    page = client.get(reverse("orgs:privacy")).content.decode()
    assert "Suggest a correction" in page
    assert f'href="{reverse("orgs:suggest")}"' in page
    assert "<strong>A copy</strong>" in page and "<strong>Removal</strong>" in page
    assert "naming nobody" in page


@pytest.mark.parametrize("path", ["/", "/organisations/", "/privacy/", "/no-such-page/"])
def test_every_page_links_the_privacy_page_from_its_footer(client, path):
    page = client.get(path).content.decode()
    footer = page[page.index('<footer class="site-footer">') :]
    assert 'href="/privacy/"' in footer


def test_the_privacy_page_gives_the_legal_basis_and_what_each_role_sees(client):
    page = client.get("/privacy/").content.decode()
    assert '<h2 id="basis">Why you may be listed, and your say in it</h2>' in page
    assert "(GDPR Art. 6(1)(f)). You may object at any time." in page
    assert "a personal link (GDPR Art. 14)." in page
    assert "Messages are relayed only with your consent (GDPR Art. 6(1)(a))" in page
    assert "you withdraw it at any time with one click" in page
    assert '<h2 id="roles">Who sees what</h2>' in page
    assert "Someone who writes to you never sees your address" in page
    assert '<h2 id="keeping">How long things are kept</h2>' in page


def test_the_privacy_page_gives_the_legal_basis_in_french(client):
    page = client.get("/fr/privacy/").content.decode()
    assert "Pourquoi vous pouvez figurer dans l'annuaire, et votre mot à dire" in page
    assert "(RGPD, art. 6, par. 1, point a)" in page
    assert '<h2 id="roles">Qui voit quoi</h2>' in page
