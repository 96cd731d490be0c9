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


def test_slugs_transliterate_letters_instead_of_dropping_them():
    from orgs.models import Advocate, City
    from orgs.slugs import slug_for

    assert slug_for("Hillerød") == "hillerod" and slug_for("Şanlıurfa") == "sanliurfa"
    assert City.objects.filter(slug="dk-hillerod", name="Hillerød").exists()
    assert Advocate.objects.filter(slug="aysegul-sayin").exists()


def test_a_database_loaded_before_keeps_working_with_its_old_slugs(client):
    """The migration renames rows loaded with the old slugs; old addresses redirect."""
    import importlib

    from django.apps import apps

    from orgs.models import Advocate, City, FormerAdvocateSlug, FormerCitySlug, ImportStamp

    migration = importlib.import_module("orgs.migrations.0010_transliterated_slugs")
    City.objects.filter(slug="dk-hillerod").update(slug="dk-hillerd")
    Advocate.objects.filter(slug="aysegul-sayin").update(slug="aysegul-sayn")
    ImportStamp.objects.filter(model="orgs.city", key='["dk-hillerod"]').update(
        key='["dk-hillerd"]'
    )
    migration.rename(apps, None)

    assert City.objects.filter(slug="dk-hillerod").exists()
    assert FormerCitySlug.objects.filter(slug="dk-hillerd").exists()
    assert FormerAdvocateSlug.objects.filter(slug="aysegul-sayn").exists()
    assert ImportStamp.objects.filter(model="orgs.city", key='["dk-hillerod"]').exists()
    response = client.get("/advocates/aysegul-sayn/")
    assert response.status_code == 301 and response["Location"] == "/advocates/aysegul-sayin/"
    response = client.get("/organisations/", {"city": "dk-hillerd", "country": "DK"})
    assert response.status_code == 301
    assert response["Location"] == "/organisations/?city=dk-hillerod&country=DK"
    assert client.get(response["Location"]).status_code == 200


def test_a_nul_byte_is_refused_and_never_echoed_into_the_search_box(client):
    for url in ("/search/", "/organisations/", "/advocates/"):
        response = client.get(url, {"q": "Athens\x00"})
        assert response.status_code == 400
        content = response.content.decode()
        assert "Null characters are not allowed" in content
        assert "\x00" not in content
        assert 'value="Athens"' in content


def test_the_home_page_s_search_box_takes_as_many_characters_as_a_search_does(client):
    content = client.get("/").content.decode()
    assert 'id="home-search" name="q" maxlength="200"' in content
    assert 'id="header-search" name="q" maxlength="200"' in content


def test_the_summary_of_a_filter_lists_its_chosen_values_without_a_stray_comma(client):
    content = client.get("/organisations/", {"focus": "health"}).content.decode()
    assert "(Health and healthcare)</span></summary>" in content
    two = client.get("/organisations/", {"focus": ["health", "housing"]}).content.decode()
    assert "(Health and healthcare, Housing and accommodation)</span></summary>" in two


def test_a_partner_s_reasons_keep_an_acronym_s_capitals(client):
    from orgs.models import FocusArea, Organisation
    from orgs.selectors.partners import LikeMinded

    match = LikeMinded(
        organisation=Organisation.objects.first(),
        score=1.0,
        shared_focus=[FocusArea.objects.get(slug="lgbtiq"), FocusArea.objects.get(slug="health")],
        shared_target_groups=[],
        shared_levels=[],
    )
    assert match.reasons == ["Both work on LGBTIQ+ rights and safety and health and healthcare"]
