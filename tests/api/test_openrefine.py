"""Issue 28's test with the real client: OpenRefine, used as a funder would, reconciles a column
of ten names against the running directory and adds our leadership and country columns.

The directory is the browser tests' server (runserver on its own SQLite file, loaded with the
fixtures); OpenRefine (Debian's package, headless, `tests/openrefine.py`) calls its
`/api/reconcile/` from its own JVM over loopback. The names carry spelling variants (accents
kept or stripped, a misspelling, an alias), cities in German in the properties column, and an
organisation the directory does not hold, which must stay unmatched.
"""

import csv
import io

import pytest

from tests.browser.conftest import site_environment, site_url  # noqa: F401 (the server)
from tests.openrefine import add_column, extend, openrefine, reconcile, skip_without_openrefine

pytestmark = skip_without_openrefine()

# Name, city (as a funder's sheet writes it), and what the directory answers: the slug of the
# record's page (`organisations/<slug>` is its id), its leadership and its country.
LIST = [
    ("Kölner Flüchtlingsrat", "Köln", "koelner-fluechtlingsrat", "", "Germany"),
    ("Reseau des Exiles en Franse", "", "reseau-des-exiles-en-france", "Refugee-led", "France"),
    ("BOOST Amsterdam", "", "boost-transvaal-amsterdam", "Refugee-led", "Netherlands"),
    ("Forum Refugio Portugal", "Lissabon", "forum-refugio-portugal", "", "Portugal"),
    ("Demande Asile", "Paris", "demande-asile", "", "France"),
    ("Integrationsrat Köln", "", "integrationsrat-stadt-koeln", "Migrant-led", "Germany"),
    ("Refugee Radio Network", "Hamburg", "refugee-radio-network", "Migrant-led", "Germany"),
    ("Greek Forum of Refugees", "Athen", "greek-forum-of-refugees", "Refugee-led", "Greece"),
    ("Asociación MUN2", "Madrid", "asociacion-mun2", "Migrant-led", "Spain"),
    ("Refugee Council of Nowhere", "Wien", "", "", ""),
]
# OpenRefine's export writes a matched cell as the name of the record it is matched to.
MATCHED_NAMES = {
    "koelner-fluechtlingsrat": "Kölner Flüchtlingsrat",
    "reseau-des-exiles-en-france": "Réseau des Exilés en France",
    "boost-transvaal-amsterdam": "BOOST Transvaal Amsterdam",
    "forum-refugio-portugal": "FÓRUM REFÚGIO PORTUGAL",
    "demande-asile": "Demande Asile طلب لجوء بالعربي",
    "integrationsrat-stadt-koeln": "Integrationsrat, Stadt Köln",
    "refugee-radio-network": "Refugee Radio Network",
    "greek-forum-of-refugees": "Greek Forum of Refugees",
    "asociacion-mun2": "Asociación MUN2",
}
ORGANISATION = {"id": "organisation", "name": "Organisation"}
MATCHED_ID = 'if(cell.recon.judgment == "matched", cell.recon.match.id, "")'


@pytest.fixture(scope="module")
def refine(tmp_path_factory):
    with openrefine(tmp_path_factory.mktemp("openrefine")) as refine:
        yield refine


def sheet() -> str:
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow(["Name", "City"])
    writer.writerows([name, city] for name, city, *_ in LIST)
    return output.getvalue()


def test_openrefine_reconciles_a_list_and_adds_leadership_and_country(refine, site_url):  # noqa: F811
    service = f"{site_url}/api/reconcile/"
    project = refine.create_project("funders-list", sheet())

    refine.apply(project, [reconcile("Name", service, ORGANISATION, {"City": "city"})])
    refine.apply(project, [add_column("Name", MATCHED_ID, "Id", 0)])
    refine.apply(
        project, [extend("Name", service, {"leadership": "Leadership", "country": "Country"}, 1)]
    )

    rows = refine.rows(project)
    assert [
        (row["Name"], row["City"], row["Id"], row["Leadership"], row["Country"]) for row in rows
    ] == [
        (MATCHED_NAMES.get(slug, name), city, f"organisations/{slug}" if slug else "")
        + (leadership, country)
        for name, city, slug, leadership, country in LIST
    ]
