"""Shared list URLs carry no empty parameters; pages are numbered, with links to each end."""

import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/organisations/", "/advocates/", "/networks/"])
def test_a_plain_form_submit_with_empty_parameters_redirects_to_the_clean_list(client, url):
    response = client.get(url, {"q": "", "country": ["", "DE"], "sort": ""})
    assert response.status_code == 302
    assert response["Location"] == f"{url}?country=DE"


def test_a_list_with_only_empty_parameters_redirects_to_the_bare_list(client):
    response = client.get("/organisations/?q=&sort=")
    assert response.status_code == 302
    assert response["Location"] == "/organisations/"


def test_a_clean_url_is_answered_without_a_redirect_and_keeps_its_page(client):
    assert client.get("/organisations/", {"country": "DE", "page": "2"}).status_code == 200
    response = client.get("/organisations/", {"country": "DE", "q": "", "page": "2"})
    assert response["Location"] == "/organisations/?country=DE&page=2"


def links_as_text(content):
    nav = re.search(r'<nav class="pagination"[^>]*>(.*?)</nav>', content, re.S).group(1)
    items = re.findall(r"<li>(.*?)</li>", nav, re.S)
    return [re.sub(r"<[^>]+>", "", item).strip() for item in items]


def test_pagination_numbers_the_pages_around_the_current_one_with_gaps(client):
    # 235 organisations, 20 a page: 12 pages.
    content = client.get("/organisations/", {"page": "6"}).content.decode()
    assert links_as_text(content) == [
        "First page",
        "Previous page",
        "Page 1",
        "…",
        "Page 4",
        "Page 5",
        "Page 6",
        "Page 7",
        "Page 8",
        "…",
        "Page 12",
        "Next page",
        "Last page",
    ]
    assert '<a href="?page=6" aria-current="page">' in content
    assert '<a href="?page=5" rel="prev">' in content
    assert '<a href="?page=7" rel="next">' in content
    assert '<a href="?page=12">Last' in content


def test_the_first_page_has_no_link_back_and_the_links_keep_the_filters(client):
    content = client.get("/organisations/", {"country": "DE"}).content.decode()
    # 33 organisations in Germany: two pages.
    assert links_as_text(content) == ["Page 1", "Page 2", "Next page", "Last page"]
    assert '<a href="?country=DE&amp;page=1" aria-current="page">' in content
    assert '<a href="?country=DE&amp;page=2" rel="next">' in content


def test_a_list_of_one_page_has_no_pagination(client):
    content = client.get("/organisations/", {"country": "EE"}).content.decode()
    assert 'class="pagination"' not in content
