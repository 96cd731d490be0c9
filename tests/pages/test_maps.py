"""The maps of the home page, the lists and the country pages: well-formed SVG whose every
country and city with records links to the list filtered to it, with the list's own count, and
a table beside it with the same numbers; plain numbers in the markup in every language."""

import html
import re
import xml.etree.ElementTree as ElementTree

import pytest

from orgs.pages.maps import class_breaks, draw_map

pytestmark = pytest.mark.django_db

SVG = re.compile(r'<svg class="map-drawing".*?</svg>', re.DOTALL)
NS = {"svg": "http://www.w3.org/2000/svg"}
HREF = "href"
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def drawing(response) -> ElementTree.Element:
    [svg] = SVG.findall(response.content.decode())
    return ElementTree.fromstring(svg)  # fails on markup that is no XML


def links(svg: ElementTree.Element) -> dict[str, str]:
    """Each link's target: its tooltip ("Greece: 7 organisations")."""
    return {
        link.get(HREF): link.find("svg:title", NS).text
        for link in svg.iter("{http://www.w3.org/2000/svg}a")
    }


def table_rows(response) -> list[tuple[str, str, str]]:
    """(link, place, count as worded) of each row of the table beside the map."""
    table = response.content.decode().split('<details class="map-table">')[1].split("</table>")[0]
    rows = re.findall(r'<a href="([^"]+)">([^<]+)</a></th><td>([^<]+)</td>', table)
    return [tuple(html.unescape(part) for part in row) for row in rows]


def test_the_home_map_links_every_country_and_city_to_its_organisations(client):
    svg = drawing(client.get("/"))
    drawn = links(svg)
    # EPIM 2019 Annex 2 and the Urban Academy 2018: 7 organisations in Greece, 5 in Athens.
    assert drawn["/organisations/?country=GR"] == "Greece: 7 organisations"
    assert drawn["/organisations/?city=gr-athens"] == "Athens: 5 organisations"
    assert drawn["/organisations/?city=gr-thessaloniki"] == "Thessaloniki: 1 organisation"
    assert drawn["/organisations/?country=DE"] == "Germany: 36 organisations"


def test_the_map_is_hidden_from_assistive_technology_and_its_links_from_the_keyboard(client):
    svg = drawing(client.get("/"))
    assert svg.get("aria-hidden") == "true"
    anchors = list(svg.iter("{http://www.w3.org/2000/svg}a"))
    assert anchors and all(anchor.get("tabindex") == "-1" for anchor in anchors)


def test_the_table_beside_the_map_holds_the_same_numbers_and_links(client):
    response = client.get("/")
    drawn = links(drawing(response))
    rows = table_rows(response)
    assert ("/organisations/?country=GR", "Greece", "7 organisations") in rows
    assert ("/organisations/?city=gr-athens", "Athens", "5 organisations") in rows
    for url, name, count in rows:
        if url in drawn:
            assert drawn[url] == f"{name}: {count}"


def test_a_country_without_an_outline_is_counted_in_the_table_alone():
    # countryinfo holds no outline of Hungary.
    drawn = draw_map(
        "Map", "organisations", [("HU", "Hungary", 3, "/organisations/?country=HU", False)], []
    )
    assert "HU" not in [area.code for area in drawn.areas]
    assert [(row.name, row.count, row.url) for row in drawn.countries] == [
        ("Hungary", 3, "/organisations/?country=HU")
    ]


def test_a_filtered_list_maps_its_own_counts_and_keeps_its_filters_in_the_links(client):
    response = client.get("/organisations/", {"focus": "health"})
    drawn = links(drawing(response))
    # The 16 organisations of EPIM 2019 Annex 2 working on health: 4 in the Netherlands, 2 in
    # Greece, both in Athens.
    assert drawn["/organisations/?focus=health&country=NL"] == "Netherlands: 4 organisations"
    assert drawn["/organisations/?focus=health&country=GR"] == "Greece: 2 organisations"
    assert drawn["/organisations/?focus=health&city=gr-athens"] == "Athens: 2 organisations"
    facets = {facet.name: facet for facet in response.context["facets"]}
    countries = {
        f"/organisations/?focus=health&country={o.value}": f"{o.label}: {o.count}"
        for o in facets["country"].options
    }
    drawn_countries = {
        url: re.sub(r" organisations?$", "", title)
        for url, title in drawn.items()
        if "country=" in url
    }
    # Every country of the list is drawn, Malta too.
    assert drawn_countries == {
        url: title for url, title in countries.items() if url in drawn_countries
    }
    assert set(countries) == set(drawn_countries)


def test_a_list_of_one_country_zooms_to_it_and_labels_its_cities(client):
    response = client.get("/organisations/", {"country": "GR"})
    svg = drawing(response)
    width = float(svg.get("viewBox").split()[2])
    assert width < 160  # of the whole map's 640
    labels = [text.text for text in svg.iter("{http://www.w3.org/2000/svg}text")]
    assert sorted(labels) == ["Athens", "Mytilini", "Plomari", "Thessaloniki"]
    assert ("/organisations/?country=GR&city=gr-athens", "Athens", "5 organisations") in (
        table_rows(response)
    )


def test_the_country_page_map_shows_the_country_and_its_cities(client):
    response = client.get("/countries/GR/")
    svg = drawing(response)
    labels = [text.text for text in svg.iter("{http://www.w3.org/2000/svg}text")]
    assert sorted(labels) == ["Athens", "Mytilini", "Plomari", "Thessaloniki"]
    assert [row for row in table_rows(response) if "country=" in row[0]] == [
        ("/organisations/?country=GR", "Greece", "7 organisations")
    ]


def test_the_advocates_list_maps_advocates(client):
    drawn = links(drawing(client.get("/advocates/", {"country": "PT"})))
    # EPIM 2019 Annex 2, Portugal: the 9 advocates of its Lisbon rows.
    assert drawn["/advocates/?country=PT&city=pt-lisbon"] == "Lisbon: 9 advocates"


@pytest.mark.parametrize("language", ["fr", "de", "ar"])
def test_every_number_in_the_map_reads_as_a_number_in_every_language(client, language):
    response = client.get(f"/{language}/organisations/", {"focus": "health"})
    svg = drawing(response)
    checked = 0
    for element in svg.iter():
        for name in ("viewBox", "cx", "cy", "r", "x", "y", "font-size", "stroke-width"):
            if element.get(name) is not None:
                [float(value) for value in element.get(name).split()]
                checked += 1
        if element.get("d"):
            path = element.get("d")
            assert "," not in path and NUMBER.findall(path)
            checked += 1
    assert checked > 50


def test_the_legend_shows_the_counts_each_shade_really_holds():
    legend = class_breaks([1, 1, 2, 3, 5, 8, 13, 21, 34, 55])
    assert [(shade.shade, shade.low, shade.high) for shade in legend] == [
        (1, 1, 1),
        (2, 2, 3),
        (3, 5, 8),
        (4, 13, 21),
        (5, 34, 55),
    ]
    # Equal counts share a shade, and a class never names a count nobody has.
    legend = class_breaks([7, 7, 7, 7, 40])
    assert [(shade.low, shade.high) for shade in legend] == [(7, 7), (40, 40)]
    assert class_breaks([]) == []


def test_a_wrong_filter_gives_no_map_but_a_clear_error(client):
    response = client.get("/organisations/", {"country": "XX"})
    assert response.status_code == 400
    assert not SVG.findall(response.content.decode())


def test_a_network_page_maps_its_member_organisations(client):
    response = client.get("/networks/caritas-diakonie-zora-netzwerk-halberstadt/")
    drawn = links(drawing(response))
    # Its three members, all in Halberstadt (Urban Academy 2018).
    network = "network=caritas-diakonie-zora-netzwerk-halberstadt"
    assert drawn == {
        f"/organisations/?{network}&country=DE": "Germany: 3 organisations",
        f"/organisations/?{network}&city=de-halberstadt": "Halberstadt: 3 organisations",
    }


def test_a_zoomed_map_draws_nothing_beyond_its_frame(client):
    svg = drawing(client.get("/organisations/", {"country": "DE"}))
    left, top, width, height = (float(value) for value in svg.get("viewBox").split())
    for path in svg.iter("{http://www.w3.org/2000/svg}path"):
        numbers = [float(value) for value in NUMBER.findall(path.get("d"))]
        assert all(left - 0.1 <= x <= left + width + 0.1 for x in numbers[::2])
        assert all(top - 0.1 <= y <= top + height + 0.1 for y in numbers[1::2])
