"""No page an anonymous visitor can open shows a person's own email address."""

import re

import pytest
from django.urls import reverse

from orgs.models import Advocate, Country, FocusArea, Network, Organisation, PersonalAddress, Source
from surveys.models import Survey

pytestmark = pytest.mark.django_db


def personal_addresses() -> set[str]:
    addresses = PersonalAddress.objects.values_list("email", flat=True)
    return {address.lower() for address in addresses}


def public_urls() -> list[str]:
    urls = ["/", "/organisations/", "/advocates/", "/networks/", "/countries/", "/focus/"]
    urls += ["/sources/", "/surveys/", "/organisations/export.csv"]
    for list_url, count in (
        ("/organisations/", Organisation.objects.count()),
        ("/advocates/", Advocate.objects.count()),
    ):
        urls += [f"{list_url}?page={page}" for page in range(2, count // 20 + 2)]
    for model in (Organisation, Advocate, Network, Survey):
        urls += [record.get_absolute_url() for record in model.objects.all()]
    urls += [
        reverse("orgs:focus", args=[slug])
        for slug in FocusArea.objects.values_list("slug", flat=True)
    ]
    urls += [
        reverse("orgs:source", args=[key]) for key in Source.objects.values_list("key", flat=True)
    ]
    urls += [country.get_absolute_url() for country in Country.objects.all()]
    return urls


def test_no_public_page_shows_a_personal_email_address(client):
    addresses = personal_addresses()
    assert len(addresses) > 100
    pattern = re.compile("|".join(re.escape(address) for address in sorted(addresses)))
    urls = public_urls()
    assert len(urls) > 450
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        leaked = pattern.search(response.content.decode().lower())
        assert leaked is None, f"{url} shows {leaked.group(0)}"


def test_the_advocate_page_has_no_mailto_link(client):
    address = PersonalAddress.objects.exclude(advocate=None).select_related("advocate").first()
    content = client.get(address.advocate.get_absolute_url()).content.decode()
    assert "mailto:" not in content
    assert address.email.lower() not in content.lower()
