"""No page an anonymous visitor can open shows a person's own email address."""

import re

import pytest
from django.core import serializers
from django.urls import reverse

from orgs.models import Advocate, Country, FocusArea, Network, Organisation, PersonalAddress, Source
from orgs.selectors import public_records
from surveys.models import Answer, PrivateAnswer, Response, Survey
from tests.responses import body

pytestmark = pytest.mark.django_db


def personal_addresses() -> set[str]:
    addresses = PersonalAddress.objects.values_list("email", flat=True)
    return {address.lower() for address in addresses}


def public_urls() -> list[str]:
    urls = ["/", "/organisations/", "/advocates/", "/networks/", "/countries/", "/focus/"]
    urls += ["/sources/", "/surveys/", "/organisations/export.csv", "/advocates/export.csv"]
    urls += ["/networks/export.csv"]
    urls += [
        f"/surveys/{slug}/responses.csv" for slug in Survey.objects.values_list("slug", flat=True)
    ]
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
        leaked = pattern.search(body(response).lower())
        assert leaked is None, f"{url} shows {leaked.group(0)}"


def test_the_advocate_page_has_no_mailto_link(client):
    address = PersonalAddress.objects.exclude(advocate=None).select_related("advocate").first()
    content = client.get(address.advocate.get_absolute_url()).content.decode()
    assert "mailto:" not in content
    assert address.email.lower() not in content.lower()


PUBLIC_QUERYSETS = {
    "organisations": public_records.public_organisations,
    "advocates": public_records.public_advocates,
    "networks": public_records.public_networks,
    "organisation list": public_records.organisation_list,
    "advocate list": public_records.advocate_list,
    "network list": public_records.network_list,
    "published answers": lambda: Answer.objects.all(),
    "responses": lambda: Response.objects.all(),
}


@pytest.mark.parametrize("name", PUBLIC_QUERYSETS)
def test_no_field_of_a_public_queryset_holds_a_personal_address(name):
    """Every field, as a ModelSerializer, a CSV or an admin export of the model would read it."""
    addresses = personal_addresses()
    rows = PUBLIC_QUERYSETS[name]()
    assert rows.exists()
    text = serializers.serialize("json", rows).lower() + str(list(rows.values())).lower()
    assert not [address for address in addresses if address in text]


def test_personal_addresses_are_only_in_their_own_tables():
    public_models = [Organisation, Advocate, Network, Answer, Response]
    for model in public_models:
        names = {field.name for field in model._meta.concrete_fields}
        assert not names & {"private_email", "personal_email"}, model
    assert "email" not in {field.name for field in Advocate._meta.concrete_fields}
    assert PrivateAnswer.objects.filter(question__is_private=True).count() == 125
    assert not PrivateAnswer.objects.filter(question__is_private=False).exists()
    assert not Answer.objects.filter(question__is_private=True).exists()
