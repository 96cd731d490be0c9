"""Each record's page carries schema.org JSON-LD and link previews (Open Graph, Twitter card),
read as a search engine reads them (extruct), in the page's language; never a person's own
address.

The records are the reports' (fixtures/erasmi-2021.json, fixtures/epim-2019.json): New
Communities Partnership in Dublin and Cork, member of the ERASMI 2021 network of that name;
Abdul Azim Azad, whose own address EPIM 2019's Annex 2 printed.
"""

from html.parser import HTMLParser

import extruct
import pytest
from django.test import RequestFactory

from orgs.models import Membership, Network, Organisation
from orgs.pages import structured_data
from orgs.selectors import public_records

pytestmark = pytest.mark.django_db

HOST = "http://testserver"
ORGANISATION = "/organisations/new-communities-partnership/"
NETWORK = "/networks/new-communities-partnership-ncp/"
ADVOCATE = "/advocates/abdul-azim-azad/"
ADVOCATES_OWN_ADDRESS = "azimazad00@gmail.com"  # EPIM 2019, Annex 2, Belgium
ERASMI = {
    "@type": "Report",
    "name": "Network-based cooperation for migrant and refugee inclusion. International "
    "Compendium of Good Practices",
    "url": f"{HOST}/sources/erasmi-2021/",
    "sameAs": "https://www.erasmi.info",
    "datePublished": "2021",
}
NETWORK_LINK = {
    "@type": "Organization",
    "name": "New Communities Partnership (NCP)",
    "url": HOST + NETWORK,
}
SITE_NAME = "Migrant-led Europe directory"


def json_ld(response) -> dict:
    """The page's one JSON-LD object, as extruct reads it."""
    assert response.status_code == 200
    page = HOST + response.request["PATH_INFO"]
    found = extruct.extract(response.content.decode(), base_url=page, syntaxes=["json-ld"])
    found = found["json-ld"]
    assert len(found) == 1
    return found[0]


class MetaTags(HTMLParser):
    """The `<meta property|name=... content=...>` of a page, each name with its values."""

    def __init__(self):
        super().__init__()
        self.tags: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        name = attributes.get("property") or attributes.get("name")
        if tag == "meta" and name and "content" in attributes:
            self.tags.setdefault(name, []).append(attributes["content"])


def meta_tags(response) -> dict[str, list[str]]:
    parser = MetaTags()
    parser.feed(response.content.decode())
    return parser.tags


def test_an_organisation_is_an_ngo_with_its_names_places_websites_networks_and_report(client):
    data = json_ld(client.get(ORGANISATION))
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NGO"
    assert data["name"] == "New Communities Partnership"
    assert set(data["alternateName"]) == {"NCP", "New Communities Partnership (NCP)"}
    assert data["url"] == HOST + ORGANISATION
    assert data["sameAs"] == ["https://www.newcommunities.ie/"]
    assert data["email"] == "info@newcommunities.ie"  # its public address
    assert sorted(data["address"], key=lambda address: address["addressLocality"]) == [
        {"@type": "PostalAddress", "addressLocality": "Cork", "addressCountry": "IE"},
        {"@type": "PostalAddress", "addressLocality": "Dublin", "addressCountry": "IE"},
    ]
    assert data["areaServed"] == [{"@type": "Country", "name": "Ireland", "identifier": "IE"}]
    assert data["memberOf"] == [NETWORK_LINK]
    assert data["subjectOf"] == [ERASMI]
    assert data["inLanguage"] == "en"


def test_in_french_the_organisation_links_to_the_french_pages(client):
    data = json_ld(client.get("/fr" + ORGANISATION))
    assert data["inLanguage"] == "fr"
    assert data["url"] == f"{HOST}/fr{ORGANISATION}"
    assert data["areaServed"] == [{"@type": "Country", "name": "Irlande", "identifier": "IE"}]
    assert data["memberOf"][0]["url"] == f"{HOST}/fr{NETWORK}"
    assert data["subjectOf"] == [{**ERASMI, "url": f"{HOST}/fr/sources/erasmi-2021/"}]


def test_an_advocate_is_a_person_with_their_organisation_and_never_their_address(client):
    response = client.get(ADVOCATE)
    data = json_ld(response)
    assert data["@type"] == "Person"
    assert data["name"] == "Abdul Azim Azad"
    organisation = {
        "@type": "NGO",
        "name": "European Spokespersons' team of Belgium Undocumented People",
        "url": f"{HOST}/organisations/european-spokespersons-team-of-belgium-undocumented-people/",
    }
    assert data["worksFor"] == [organisation]
    assert data["affiliation"] == [organisation]
    assert data["address"] == [
        {"@type": "PostalAddress", "addressLocality": "Brussels", "addressCountry": "BE"}
    ]
    assert [report["name"] for report in data["subjectOf"]] == [
        "Migrant-led advocacy across Europe: challenges and opportunities"
    ]
    assert "email" not in data
    assert ADVOCATES_OWN_ADDRESS not in response.content.decode()


def test_in_german_the_advocate_links_to_the_german_pages(client):
    response = client.get("/de" + ADVOCATE)
    data = json_ld(response)
    assert data["inLanguage"] == "de"
    assert data["url"] == f"{HOST}/de{ADVOCATE}"
    assert data["worksFor"][0]["url"].startswith(f"{HOST}/de/organisations/")
    assert ADVOCATES_OWN_ADDRESS not in response.content.decode()


def test_an_advocates_networks_are_on_their_page_and_in_its_data(client):
    network = Network.objects.get(slug="new-communities-partnership-ncp")
    Membership.objects.create(network=network, advocate_id=advocate_id("abdul-azim-azad"))
    response = client.get(ADVOCATE)
    assert json_ld(response)["memberOf"] == [NETWORK_LINK]
    assert f'<a href="{NETWORK}">New Communities Partnership (NCP)</a> (member)' in (
        response.content.decode()
    )


def test_a_network_is_an_organisation_with_its_members_and_public_addresses(client):
    data = json_ld(client.get(NETWORK))
    assert data["@type"] == "Organization"
    assert data["name"] == "New Communities Partnership (NCP)"
    assert data["url"] == HOST + NETWORK
    assert {"@type": "NGO", "name": "New Communities Partnership", "url": HOST + ORGANISATION} in (
        data["member"]
    )
    assert data["sameAs"] == [
        "https://www.newcommunities.ie/",
        "https://twitter.com/new_communities",
        "https://www.facebook.com/newcommunities/",
        "https://www.youtube.com/channel/UC7vsyr2nKIZ9H3TP9zvqnnA",
    ]
    assert data["email"] == "info@newcommunities.ie"
    assert data["subjectOf"] == [ERASMI]


def test_a_network_whose_contact_is_a_persons_address_shows_it_nowhere(client):
    # The ERASMI profile printed a person's address as the network's contact: it is kept apart.
    response = client.get("/networks/migrantinnen-netzwerk-bayern/")
    assert "email" not in json_ld(response)
    assert "sadija.klepo@migrantinnen-bayern.de" not in response.content.decode()


def test_a_name_that_closes_the_script_stays_inside_it(client):
    name = "NCP </script><script>alert(1)</script> & <b>"
    Organisation.objects.filter(slug="new-communities-partnership").update(name=name)
    response = client.get(ORGANISATION)
    assert "<script>alert(1)" not in response.content.decode()
    assert json_ld(response)["name"] == name


def test_a_record_page_has_link_previews_with_its_name_summary_and_address(client):
    tags = meta_tags(client.get(NETWORK))
    assert tags["og:title"] == ["New Communities Partnership (NCP)"]
    assert tags["og:type"] == ["website"]
    assert tags["og:url"] == [HOST + NETWORK]
    assert tags["og:site_name"] == [SITE_NAME]
    assert tags["og:locale"] == ["en_GB"]
    assert tags["og:locale:alternate"] == ["fr_FR", "de_DE", "ar_AR"]
    assert tags["twitter:card"] == ["summary"]
    assert tags["twitter:title"] == ["New Communities Partnership (NCP)"]
    description = Network.objects.get(slug="new-communities-partnership-ncp").description
    assert tags["og:description"][0][:60] == description[:60]
    assert tags["description"] == tags["og:description"]


def test_a_record_without_a_description_is_summarised_in_the_pages_language(client):
    tags = meta_tags(client.get("/ar" + ADVOCATE))
    assert tags["og:type"] == ["profile"]
    assert tags["og:url"] == [f"{HOST}/ar{ADVOCATE}"]
    assert tags["og:locale"] == ["ar_AR"]
    assert tags["og:locale:alternate"] == ["en_GB", "fr_FR", "de_DE"]
    assert tags["og:description"][0].startswith("Abdul Azim Azad")
    assert "directory" not in tags["og:description"][0]  # translated
    assert tags["twitter:description"] == tags["og:description"]


def test_other_pages_have_the_directorys_link_preview(client):
    tags = meta_tags(client.get("/fr/organisations/", {"country": "IE"}))
    assert tags["og:title"] == ["Répertoire Migrant-led Europe"]
    assert tags["og:type"] == ["website"]
    assert tags["og:url"] == [f"{HOST}/fr/organisations/?country=IE"]
    assert tags["og:locale"] == ["fr_FR"]
    assert tags["twitter:card"] == ["summary"]
    assert "application/ld+json" not in client.get("/").content.decode()


@pytest.mark.parametrize(
    "selector, build, slug",
    [
        (public_records.organisation_detail, structured_data.organisation, ORGANISATION),
        (public_records.advocate_detail, structured_data.advocate, ADVOCATE),
        (public_records.network_detail, structured_data.network, NETWORK),
    ],
)
def test_the_structured_data_reads_nothing_the_page_has_not_read(
    selector, build, slug, django_assert_num_queries
):
    record = selector(slug.strip("/").split("/")[-1]).first()
    request = RequestFactory().get(slug)
    with django_assert_num_queries(0):
        structured_data.as_script(build(record, request))


def advocate_id(slug: str) -> int:
    return public_records.public_advocates().get(slug=slug).pk
