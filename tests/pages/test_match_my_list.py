""" "Match my list": a CSV or XLSX of names, each row's best match and its runners-up, and the
same sheet back with the directory's columns; bad files are refused with a clear message, and
nothing uploaded is kept."""

import csv
import io
import re

import openpyxl
import pytest
import tablib
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from orgs.pages import sheets

pytestmark = pytest.mark.django_db

URL = "/match-my-list/"
HEADER = ["Organisation", "Country", "Our notes"]
ROWS = [
    ["Integrationsrat Köln", "Germany", '=HYPERLINK("http://example.com")'],
    ["Reseau des Exiles en Franse", "France", "met in 2023"],
    ["Refugee Council of Nowhere", "", "not listed"],
]


def csv_upload(header=HEADER, rows=ROWS, name="funders.csv") -> SimpleUploadedFile:
    output = io.StringIO()
    csv.writer(output).writerows([header, *rows])
    return SimpleUploadedFile(name, output.getvalue().encode(), content_type="text/csv")


def xlsx_upload(header=HEADER, rows=ROWS, name="funders.xlsx") -> SimpleUploadedFile:
    data = tablib.Dataset(*rows, headers=header).export("xlsx")
    return SimpleUploadedFile(name, data)


def hidden_sheet(response) -> str:
    return re.search(r'name="sheet" value="([^"]+)"', response.content.decode()).group(1)


def checked(response) -> dict[str, str]:
    """The radio button checked in each row's group."""
    found = re.findall(
        r'<input type="radio" name="(choice-\d+)" value="([^"]*)" checked>',
        response.content.decode(),
    )
    return dict(found)


def offered(response, field: str) -> list[str]:
    return re.findall(
        rf'<input type="radio" name="{field}" value="([^"]*)"', response.content.decode()
    )


def download(client, response, choices: dict, **columns):
    data = {
        "sheet": hidden_sheet(response),
        "name_column": columns.get("name_column", 0),
        "country_column": columns.get("country_column", 1),
        "action": "download",
        **choices,
    }
    return client.post(URL, data)


def downloaded_csv(response) -> list[list[str]]:
    text = response.content.decode()
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


# The matches.


def test_each_row_shows_its_best_match_and_a_clear_one_is_chosen(client):
    response = client.post(URL, {"file": csv_upload()})

    assert response.status_code == 200
    text = response.content.decode()
    assert "Row 2: Integrationsrat Köln" in text
    assert checked(response) == {
        "choice-0": "integrationsrat-stadt-koeln",
        "choice-1": "reseau-des-exiles-en-france",
        "choice-2": "",
    }


def test_a_name_nobody_bears_is_offered_no_match_chosen(client):
    response = client.post(URL, {"file": csv_upload()})

    assert checked(response)["choice-2"] == ""
    assert offered(response, "choice-2")[-1] == ""


def test_runners_up_are_offered_beside_the_best(client):
    rows = [["Caritasverband", "Germany", ""]]
    response = client.post(URL, {"file": csv_upload(rows=rows)})

    choices = offered(response, "choice-0")
    assert choices[-1] == ""
    assert {
        "caritasverband-fur-das-bistum-magdeburg-ev",
        "caritasverband-fur-das-dekanat-halberstadt",
    } <= set(choices)


def test_the_name_and_country_columns_are_found_by_their_titles(client):
    header = ["Notes", "Land", "Name der Organisation"]
    rows = [["x", "Deutschland", "Kölner Flüchtlingsrat"]]
    response = client.post(URL, {"file": csv_upload(header=header, rows=rows)})

    text = response.content.decode()
    assert re.search(r'<option value="2" selected>Name der Organisation</option>', text)
    assert re.search(r'<option value="1" selected>Land</option>', text)
    assert checked(response) == {"choice-0": "koelner-fluechtlingsrat"}


def test_matching_again_with_another_column_keeps_the_sheet(client):
    header = ["Notes", "Organisation"]
    rows = [["Kölner Flüchtlingsrat", "unknown people"]]
    first = client.post(URL, {"file": csv_upload(header=header, rows=rows)})
    assert checked(first) == {"choice-0": ""}

    again = client.post(
        URL, {"sheet": hidden_sheet(first), "name_column": 0, "country_column": "", "action": ""}
    )

    assert again.status_code == 200
    assert checked(again) == {"choice-0": "koelner-fluechtlingsrat"}


def test_matching_costs_the_same_queries_for_every_row(client, django_assert_num_queries):
    one = [ROWS[0]]
    with django_assert_num_queries(4):
        client.post(URL, {"file": csv_upload(rows=one)})
    with django_assert_num_queries(12):
        client.post(URL, {"file": csv_upload(rows=one * 3)})


# The download.


def test_the_download_adds_the_directorys_columns_to_the_same_csv(client):
    page = client.post(URL, {"file": csv_upload()})

    response = download(client, page, checked(page))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="funders-matched.csv"'
    assert response["Cache-Control"] == "no-store"
    assert downloaded_csv(response) == [
        HEADER + ["Directory id", "Directory page", "Leadership", "Focus areas", "Country"],
        [
            "Integrationsrat Köln",
            "Germany",
            '\'=HYPERLINK("http://example.com")',
            "integrationsrat-stadt-koeln",
            "http://testserver/organisations/integrationsrat-stadt-koeln/",
            "Migrant-led",
            "Empowerment and community organising; Political participation and representation",
            "Germany",
        ],
        [
            "Reseau des Exiles en Franse",
            "France",
            "met in 2023",
            "reseau-des-exiles-en-france",
            "http://testserver/organisations/reseau-des-exiles-en-france/",
            "Refugee-led",
            "Asylum and legal protection; Integration and inclusion in general; "
            "Social inclusion and welfare",
            "France",
        ],
        ["Refugee Council of Nowhere", "", "not listed", "", "", "", "", ""],
    ]


def test_a_runner_up_chosen_is_the_one_downloaded(client):
    rows = [["Caritasverband", "Germany", ""]]
    page = client.post(URL, {"file": csv_upload(rows=rows)})

    response = download(client, page, {"choice-0": "caritasverband-fur-das-dekanat-halberstadt"})

    row = downloaded_csv(response)[1]
    assert row[3:5] == [
        "caritasverband-fur-das-dekanat-halberstadt",
        "http://testserver/organisations/caritasverband-fur-das-dekanat-halberstadt/",
    ]


def test_none_of_these_leaves_the_row_without_the_directorys_cells(client):
    page = client.post(URL, {"file": csv_upload()})

    response = download(client, page, {"choice-0": "", "choice-1": "", "choice-2": ""})

    assert [row[3:] for row in downloaded_csv(response)[1:]] == [[""] * 5] * 3


def test_an_xlsx_list_comes_back_as_xlsx_with_the_columns(client):
    # A text cell that a spreadsheet would run as a formula (the workbook's own formulas are
    # read as their values).
    rows = [[*ROWS[0][:2], "+49 221 1234"], *ROWS[1:]]
    page = client.post(URL, {"file": xlsx_upload(rows=rows)})
    assert checked(page)["choice-0"] == "integrationsrat-stadt-koeln"

    response = download(client, page, checked(page))

    assert response["Content-Disposition"] == 'attachment; filename="funders-matched.xlsx"'
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    assert rows[0][3:] == ["Directory id", "Directory page", "Leadership", "Focus areas", "Country"]
    assert rows[1][2] == "'+49 221 1234"
    assert rows[1][3:5] == [
        "integrationsrat-stadt-koeln",
        "http://testserver/organisations/integrationsrat-stadt-koeln/",
    ]
    assert rows[3][3] is None


def test_the_download_reads_the_chosen_organisations_at_once(client, django_assert_num_queries):
    page = client.post(URL, {"file": csv_upload()})
    with django_assert_num_queries(3):
        download(client, page, checked(page))


def test_the_download_speaks_the_pages_language(client):
    page = client.post("/fr" + URL, {"file": csv_upload()})

    response = client.post(
        "/fr" + URL,
        {"sheet": hidden_sheet(page), "name_column": 0, "country_column": 1}
        | {"action": "download", "choice-0": "koelner-fluechtlingsrat"},
    )

    rows = downloaded_csv(response)
    assert rows[0][3:] == [
        "Identifiant dans l'annuaire",
        "Page dans l'annuaire",
        "Direction",
        "Domaines d'action",
        "Pays",
    ]
    assert rows[1][4] == "http://testserver/organisations/koelner-fluechtlingsrat/"
    assert rows[1][7] == "Allemagne"


# Nothing kept.


def test_nothing_uploaded_is_written_to_the_database_the_cache_or_a_file(
    client, settings, tmp_path
):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        page = client.post(URL, {"file": csv_upload()})
        download(client, page, checked(page))

    writes = [
        query["sql"]
        for query in queries.captured_queries
        if not query["sql"].lstrip().upper().startswith(("SELECT", "SAVEPOINT", "RELEASE"))
    ]
    assert writes == []
    assert list(tmp_path.iterdir()) == []
    assert "Refugee Council of Nowhere" not in str(cache._cache)  # locmem's own store
    assert "sessionid" not in client.cookies


# Bad files and bad forms.


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("list.txt", b"name\nA"), "Upload a CSV file (.csv) or an Excel"),
        (SimpleUploadedFile("list.xlsx", b"not a zip"), "not an Excel workbook that can be read"),
        (SimpleUploadedFile("list.csv", "name\nKöln".encode("latin-1")), "not UTF-8 text"),
        (SimpleUploadedFile("list.csv", b""), "The submitted file is empty."),
        (SimpleUploadedFile("list.csv", b"\n\n,,\n"), "The file is empty."),
        (SimpleUploadedFile("list.csv", b"name,country\n"), "a header row and nothing under it"),
        (SimpleUploadedFile("list.csv", b"name\n" + b"x" * 140_000), "not a CSV file that"),
    ],
    ids=["other-format", "broken-xlsx", "latin-1", "no-bytes", "blank", "header-only", "bad-csv"],
)
def test_a_file_that_cannot_be_read_is_refused_with_a_clear_message(client, upload, message):
    response = client.post(URL, {"file": upload})

    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_list_longer_than_the_limit_is_refused(client):
    rows = [[f"Name {number}", "", ""] for number in range(sheets.MAX_ROWS + 1)]
    response = client.post(URL, {"file": csv_upload(rows=rows)})

    assert response.status_code == 400
    assert "The list has more than 100 rows: split it." in response.content.decode()


def test_an_xlsx_list_longer_than_the_limit_is_refused(client, monkeypatch):
    monkeypatch.setattr(sheets, "MAX_ROWS", 2)
    response = client.post(URL, {"file": xlsx_upload()})

    assert response.status_code == 400
    assert "The list has more than 2 rows: split it." in response.content.decode()


def forged_xlsx(cells: dict) -> SimpleUploadedFile:
    """A workbook with the header and a row, and `cells` ({(row, column): value}) far away:
    its stated size is then the whole sheet."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(ROWS[0])
    for (row, column), value in cells.items():
        sheet.cell(row=row, column=column, value=value)
    data = io.BytesIO()
    workbook.save(data)
    return SimpleUploadedFile("forged.xlsx", data.getvalue())


def test_an_xlsx_whose_last_row_is_a_million_rows_down_is_refused(client):
    """Blank rows count towards a limit of their own: the file's stated size never decides how
    long reading takes."""
    response = client.post(URL, {"file": forged_xlsx({(1_048_576, 1): "Far below"})})

    assert response.status_code == 400
    assert "The list has more than 100 rows: split it." in response.content.decode()


def test_an_xlsx_wider_than_the_limit_is_refused(client):
    response = client.post(URL, {"file": forged_xlsx({(3, sheets.MAX_COLUMNS + 1): "Too far"})})

    assert response.status_code == 400
    assert "The list has more than 50 columns" in response.content.decode()


def test_a_list_of_the_limits_length_is_read(client, monkeypatch):
    monkeypatch.setattr(sheets, "MAX_ROWS", 3)
    response = client.post(URL, {"file": csv_upload()})
    assert response.status_code == 200


def test_a_file_larger_than_the_limit_is_refused(client):
    rows = [["x" * 1000, "", ""]] * 210
    response = client.post(URL, {"file": csv_upload(rows=rows)})

    assert response.status_code == 400
    assert "The file is larger than 200 KB" in response.content.decode()


def test_a_sheet_changed_in_the_page_is_refused(client):
    page = client.post(URL, {"file": csv_upload()})
    sheet = hidden_sheet(page)

    response = client.post(
        URL, {"sheet": sheet[:-3] + "abc", "name_column": 0, "action": "download"}
    )

    assert response.status_code == 400
    assert "Your list was not sent back intact" in response.content.decode()


def test_a_column_not_in_the_sheet_is_refused(client):
    page = client.post(URL, {"file": csv_upload()})

    response = client.post(URL, {"sheet": hidden_sheet(page), "name_column": 9})

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_a_post_without_the_csrf_token_is_refused():
    client = Client(enforce_csrf_checks=True)
    response = client.post(URL, {"file": csv_upload()})
    assert response.status_code == 403


def test_the_upload_page_is_linked_from_every_pages_footer(client):
    response = client.get("/privacy/")
    assert '<a href="/match-my-list/">Match my list</a>' in response.content.decode()


def test_the_upload_page_says_its_limits_in_the_pages_language(client):
    response = client.get("/de" + URL)
    assert "höchstens 100 Zeilen und 200 KB" in response.content.decode()


def test_the_upload_page_comes_in_four_languages(client):
    for prefix, heading in [
        ("", "Match my list"),
        ("/fr", "Rapprocher ma liste"),
        ("/de", "Meine Liste abgleichen"),
        ("/ar", "طابق قائمتي"),
    ]:
        response = client.get(prefix + URL)
        assert response.status_code == 200
        assert f"<h1>{heading}</h1>" in response.content.decode()
