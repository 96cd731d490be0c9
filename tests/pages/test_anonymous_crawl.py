"""An anonymous visitor who follows every link of every page and every URL of every API answer
finds no person's own email address, and no server error.

The crawl starts at the home page and the API's roots, follows same-site links in HTML
(`href`) and URLs in JSON (`next`, `url`, ...), pagination included, and reads the CSV
downloads the pages link to. It stays bounded: filtered lists are capped per path and set of
parameters (each filter combination is the same page type), sort orders count as one URL,
admin and static files are left out. Every record's page and every page of every unfiltered
list is visited in English; the same pages in French, German and Arabic (the same templates and
records in other words) are visited up to a cap per language.
"""

import json
import re
from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import pytest
from django.conf import settings

from orgs.models import (
    Advocate,
    AdvocateCitation,
    Network,
    Organisation,
    PersonalAddress,
    Source,
    Suggestion,
)
from orgs.seeding.epim import read_tsv
from surveys.models import PrivateAnswer
from tests.responses import body

pytestmark = pytest.mark.django_db

START = ["/", "/api/v1/", "/api/hsds/organizations/"]
SKIPPED = ("/admin/", "/static/")
IGNORED_PARAMETERS = {"sort", "ordering"}  # another order of the same rows
FILTERED_PAGES_PER_KIND = 5  # a path with a set of filter parameters
PAGES_PER_LANGUAGE = 40  # /fr/..., /de/..., /ar/...
LANGUAGE_PREFIX = re.compile(r"^/(fr|de|ar)/")
LANGUAGE_HOMES = {"/fr/", "/de/", "/ar/"}
HOST = "http://testserver"


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "href" and value:
                self.found.append(value)


def html_links(text: str) -> list[str]:
    parser = Links()
    parser.feed(text)
    return parser.found


def hsds_urls(url: str, page) -> list[str]:
    """An HSDS page names no URL: its next page by number, its organisations by id."""
    if not (isinstance(page, dict) and {"page_number", "total_pages"} <= page.keys()):
        return []
    path = urlsplit(url).path
    urls = [f"{path}{item['id']}/" for item in page.get("contents", [])]
    if page["page_number"] < page["total_pages"]:
        urls.append(f"{path}?page={page['page_number'] + 1}")
    return urls


def json_urls(value) -> list[str]:
    """Every string in a JSON answer that is an address of this site."""
    if isinstance(value, dict):
        return [url for item in value.values() for url in json_urls(item)]
    if isinstance(value, list):
        return [url for item in value for url in json_urls(item)]
    if isinstance(value, str) and (value.startswith(HOST + "/") or value.startswith("/api/")):
        return [value]
    return []


def same_site(url: str) -> str | None:
    """The path and query of a link to this site worth following, or None."""
    if url.startswith(HOST):
        url = url[len(HOST) :]
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None  # another site, mailto:, a fragment
    if parts.path.startswith(SKIPPED):
        return None
    query = sorted(
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if name not in IGNORED_PARAMETERS
    )
    return parts.path + (f"?{urlencode(query)}" if query else "")


def kind_of(url: str) -> tuple[str, frozenset] | None:
    """What a filtered list is a page of, for the cap; None for a page never capped (a record,
    an unfiltered list and its pages, a CSV download)."""
    parts = urlsplit(url)
    language = LANGUAGE_PREFIX.match(parts.path)
    if language:
        return (language[0], frozenset())
    filters = frozenset(name for name, _ in parse_qsl(parts.query) if name != "page")
    return (parts.path, filters) if filters else None


def crawl(client, start=START) -> dict[str, tuple[int, str]]:
    """Every reachable URL with its status and body."""
    seen = {same_site(url) for url in start}
    queue = deque(seen)
    kinds = Counter()
    visited = {}
    while queue:
        url = queue.popleft()
        response = client.get(url)
        text = body(response)
        visited[url] = (response.status_code, text)
        links = []
        if response.status_code in (301, 302):
            links = [response["Location"]]
        elif response["Content-Type"].startswith("text/html"):
            links = html_links(text)
        elif response["Content-Type"].startswith("application/json"):
            answer = json.loads(text)
            links = json_urls(answer) + hsds_urls(url, answer)
        for link in links:
            found = same_site(urljoin(url, link))
            if found is None or found in seen:
                continue
            seen.add(found)
            kind = kind_of(found)
            if kind is not None:
                kinds[kind] += 1
                cap = PAGES_PER_LANGUAGE if kind[0] in LANGUAGE_HOMES else FILTERED_PAGES_PER_KIND
                if kinds[kind] > cap:
                    continue
            queue.append(found)
    return visited


@pytest.fixture
def more_personal_addresses():
    """People whose own addresses the crawl must not find, beside those the reports gave:
    one who works for an organisation and sits in a network, and one a suggestion is about
    (its sender's address is private too)."""
    source = Source.objects.get(key="epim-2019")
    organisation = Organisation.objects.filter(is_published=True).order_by("pk").first()
    network = Network.objects.filter(is_published=True).order_by("pk").first()
    people = []
    for number, email in enumerate(["amal.crawl@example.org", "Samir.Crawl@Example.net"]):
        advocate = Advocate.objects.create(
            name=f"Crawl Test Person {number}", slug=f"crawl-test-person-{number}"
        )
        AdvocateCitation.objects.create(advocate=advocate, source=source, locator="Annex 2")
        PersonalAddress.objects.create(
            advocate=advocate, email=email, source=source, locator="Annex 2"
        )
        people.append(advocate)
    people[0].affiliations.create(organisation=organisation, role="Founder")
    network.memberships.create(advocate=people[0])
    Suggestion.objects.create(
        kind="correction",
        advocate=people[1],
        message="Please add my other organisation.",
        sender_name="Crawl Test Person 1",
        sender_email="sender.crawl@example.org",
        status="approved",
    )
    return people


def personal_addresses() -> set[str]:
    """People's own addresses: advocates', those in private survey answers, and those of
    people who sent suggestions."""
    addresses = set(PersonalAddress.objects.values_list("email", flat=True))
    answers = PrivateAnswer.objects.filter(text__contains="@")
    addresses |= set(answers.values_list("text", flat=True))
    addresses |= set(Suggestion.objects.values_list("sender_email", flat=True))
    # A person's row may give their organisation's own mailbox, which is public: its answer is
    # private as every answer to that question is, but the address is no person's.
    mailboxes = read_tsv(settings.BASE_DIR / "fixtures/source/epim-2019/organisation-addresses.tsv")
    public = {row["address"].lower() for row in mailboxes}
    assert public
    return {address.strip().lower() for address in addresses} - public


def test_an_anonymous_crawl_finds_no_personal_address_and_no_error(client, more_personal_addresses):
    addresses = personal_addresses()
    assert len(addresses) > 100
    assert {"samir.crawl@example.net", "sender.crawl@example.org"} <= addresses
    pattern = re.compile("|".join(re.escape(address) for address in sorted(addresses)))

    visited = crawl(client)

    errors = {url: status for url, (status, _) in visited.items() if status >= 400}
    # The API's root names the statistics endpoint, which needs a `group_by`: its answer is a
    # 400 naming the parameter. Anything else is a broken link or a server error.
    assert errors == {"/api/v1/stats/organisations/": 400}
    leaks = {}
    for url, (_, text) in visited.items():
        found = pattern.search(text.lower())
        if found:
            leaks[url] = found.group(0)
    assert leaks == {}
    paths = {urlsplit(url).path for url in visited}
    published_organisations = Organisation.objects.filter(is_published=True)
    published = [
        record.get_absolute_url()
        for model in (Organisation, Advocate, Network)
        for record in model.objects.filter(is_published=True)
    ]
    assert set(published) <= paths  # every record's page, the test's people included
    for advocate in more_personal_addresses:
        assert f"/api/v1/advocates/{advocate.slug}/" in paths
    list_pages = {url for url in visited if re.fullmatch(r"/organisations/\?page=\d+", url)}
    last_page = (len(published_organisations) - 1) // 20 + 1
    assert {f"/organisations/?page={page}" for page in range(2, last_page + 1)} <= list_pages
    assert any(url.endswith(".csv") or "format=csv" in url for url in visited)
    hsds = {url for url in visited if re.fullmatch(r"/api/hsds/organizations/[0-9a-f-]{36}/", url)}
    assert len(hsds) == len(published_organisations)
    assert {f"/api/hsds/organizations/?page={page}" for page in range(2, last_page + 1)} <= set(
        visited
    )
    assert len(visited) > 1200, f"only {len(visited)} URLs visited"
    print(f"{len(visited)} URLs visited")


def test_a_token_holder_does_get_the_addresses_the_crawl_did_not_find(
    client, more_personal_addresses, token
):
    """The addresses exist and the API shows them to a token holder, so the crawl above could
    have found them."""
    advocate = more_personal_addresses[1]
    url = f"/api/v1/advocates/{advocate.slug}/"
    anonymous = client.get(url).json()
    assert "personal_email" not in anonymous
    with_token = client.get(url, HTTP_AUTHORIZATION=f"Token {token.key}").json()
    assert with_token["personal_email"] == "Samir.Crawl@Example.net"
    listed = client.get("/api/v1/advocates/?page_size=100", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert any(item.get("personal_email") for item in listed.json()["results"])
