"""What users notice: branded error pages, a favicon, canonical country addresses."""

import pytest
from django.test import RequestFactory
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db


def test_a_missing_page_is_branded_and_helpful(client, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page not found" in page and 'href="/organisations/"' in page
    assert "Migrant-led Europe" in page  # the site's own header


def test_a_server_error_page_is_branded():
    response = server_error(RequestFactory().get("/"))
    page = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong on our side" in page and "Migrant-led Europe" in page


def test_a_country_code_in_lower_case_redirects_to_the_canonical_address(client):
    response = client.get("/countries/gr/")
    assert response.status_code == 301 and response["Location"] == "/countries/GR/"
    assert client.get("/countries/GR/").status_code == 200
    assert client.get("/countries/zz/").status_code == 404


def test_every_page_has_a_favicon(client):
    assert 'rel="icon"' in client.get("/").content.decode()
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith(".svg")
