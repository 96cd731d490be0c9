"""The open data page (/data/) and its downloads: what was built, when, and how it is served."""

import io
import re
import zipfile

import pytest
from django_tasks_db.models import DBTaskResult

from orgs.services.open_data import building

pytestmark = pytest.mark.django_db

LANGUAGES = ("", "/fr", "/de", "/ar")


def builds_waiting() -> int:
    return DBTaskResult.objects.filter(task_path=building.build_open_data.module_path).count()


def test_before_the_first_build_the_page_says_so_and_asks_the_worker_once(
    client, django_assert_num_queries
):
    # The reports, whether a build waits, and queueing one.
    with django_assert_num_queries(3):
        response = client.get("/data/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "The open data has not been built yet." in page
    assert 'href="/data/directory.zip"' not in page
    with django_assert_num_queries(2):  # a build waits already
        client.get("/data/")
    assert builds_waiting() == 1


def test_a_download_before_the_first_build_asks_to_come_back(client):
    response = client.get("/data/directory.zip")
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    message = "The open data is being built. Please try again in a minute."
    assert response.content.decode() == message
    assert builds_waiting() == 1


def test_the_page_shows_the_build_its_tables_and_licences(client, django_assert_num_queries):
    built = building.build()
    with django_assert_num_queries(1):  # the reports
        response = client.get("/data/")
    page = response.content.decode()
    assert f"Version {built.version}, built on" in page
    assert f'<time datetime="{built.built_at.isoformat()}">' in page
    assert '<td><code>organisations.csv</code></td><td data-rows="235">235</td>' in page
    assert '<td><code>organization</code></td><td data-rows="235">235</td>' in page
    assert 'href="/data/directory.zip" download>directory.zip</a>' in page
    assert 'href="/data/directory-hsds.zip" download>directory-hsds.zip</a>' in page
    assert "(CC BY 4.0)" in page
    assert "(2021): CC BY 4.0</li>" in page
    assert "(2019): the report's own terms</li>" in page  # the other four reports
    assert builds_waiting() == 0


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_counts_are_written_alike_in_every_language(client, language):
    building.build()
    page = client.get(f"{language}/data/").content.decode()
    rows = re.findall(r'data-rows="([^"]*)">([^<]*)<', page)
    assert len(rows) > 40
    assert all(attribute.isdigit() and attribute == text for attribute, text in rows)
    assert 'data-rows="235">235<' in page


def test_the_download_streams_the_zip_for_a_cache_to_keep(client):
    building.build()
    response = client.get("/data/directory.zip")
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="directory.zip"'
    body = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        assert "datapackage.json" in archive.namelist()
    again = client.get("/data/directory.zip", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    hsds = client.get("/data/directory-hsds.zip")
    assert hsds["Content-Disposition"] == 'attachment; filename="directory-hsds.zip"'
    assert hsds["Last-Modified"]


@pytest.mark.parametrize("path", ["/", "/organisations/", "/data/"])
def test_every_page_links_the_open_data_from_its_footer(client, path):
    page = client.get(path).content.decode()
    footer = page[page.index('<footer class="site-footer">') :]
    assert 'href="/data/"' in footer
