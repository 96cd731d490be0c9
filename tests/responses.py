"""Reading responses the way a client does, streamed or not."""

import csv
import html
import io
import re
from html.parser import HTMLParser


def body(response) -> str:
    """The whole text of a response; a CSV's byte-order mark is dropped."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8-sig")


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(body(response))))


def result_count(response) -> int:
    """The number a list page says it found, as in "<strong>9</strong> advocates found"."""
    found = re.search(r'id="result-count">\s*<strong>(\d+)</strong>', body(response))
    assert found, "the page states no number of results"
    return int(found[1])


class CardLinks(HTMLParser):
    """The link in the heading of each card (`<li class="card">`): its address and its text."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.names: list[str] = []
        self.in_card = self.in_heading = self.in_link = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "li" and "card" in (attrs.get("class") or "").split():
            self.in_card, self.in_heading = True, False
        elif self.in_card and tag in ("h2", "h3"):
            self.in_heading = True
        elif self.in_card and self.in_heading and tag == "a":
            self.links.append(attrs["href"])
            self.names.append("")
            self.in_card = self.in_heading = False
            self.in_link = True

    def handle_data(self, data):
        if self.in_link:
            self.names[-1] += data

    def handle_endtag(self, tag):
        if tag == "a":
            self.in_link = False


def cards(response) -> CardLinks:
    parser = CardLinks()
    parser.feed(body(response))
    return parser


def listed(response) -> list[str]:
    """The address each card of the page links its heading to, in the page's order: the records
    (or reports) the page lists."""
    return cards(response).links


def listed_names(response) -> list[str]:
    """The name each card of the page shows in its heading, in the page's order."""
    return [name.strip() for name in cards(response).names]


def every_listed(client, url: str, params=None) -> list[str]:
    """What `listed` gives on each page of a list in turn, following its "Next page" links."""
    response = client.get(url, params or {})
    assert response.status_code == 200, body(response)[:500]
    links = listed(response)
    while following := re.search(r'<a href="(\?[^"]*)" rel="next">', body(response)):
        response = client.get(url + html.unescape(following[1]))
        assert response.status_code == 200
        links += listed(response)
    return links


def slugs(links: list[str]) -> list[str]:
    """The last part of each address: "/fr/organisations/velos-youth/" gives "velos-youth"."""
    return [link.rstrip("/").rsplit("/", 1)[-1] for link in links]


def facet(response, name: str) -> dict[str, int]:
    """A list's filter options for `name`, in the page's order, with the count each shows:
    `facet(response, "leadership")["refugee-led"]`."""
    option = rf'name="{name}" value="([^"]*)"[^>]*>[^<]*<span class="count">\((\d+)\)</span>'
    return {value: int(count) for value, count in re.findall(option, body(response))}
