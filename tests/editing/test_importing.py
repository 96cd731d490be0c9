"""Editors import organisations and advocates from CSV, XLSX or an EPIM-like table."""

import csv
import io
import json
import re
from pathlib import Path

import pytest
import tablib
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from orgs.editing.records_export import export_rows, write_file
from orgs.models import (
    Advocate,
    AdvocateAlias,
    AdvocateCitation,
    Affiliation,
    AffiliationCitation,
    LeadershipClaim,
    Organisation,
    OrganisationAlias,
    OrganisationCitation,
    PersonalAddress,
    Source,
)
from orgs.seeding.epim import read_tsv
from orgs.services.records_import.commit import ImportRejected, commit_import
from orgs.services.records_import.preview import preview_import
from orgs.services.records_import.reading import (
    COLUMNS,
    TITLES,
    annex_readings,
    format_for,
    read_epim_layout,
    read_rows,
)
from tests.factories import UserFactory
from tests.outside_files import required

pytestmark = pytest.mark.django_db

BASE = Path(settings.BASE_DIR)
EPIM_SEED = "000_59c085eb7f66f59a.txt"
ANNEX_FIRST_LINE = 615
EPIM_FIXTURE = BASE / "fixtures" / "epim-2019.json"
SHORT_HEADER = COLUMNS + ["country"]


def annex_table() -> bytes:
    """EPIM 2019 Annex 2 as the report prints it: from its title line to the end."""
    lines = required("REPORTS_DIR", EPIM_SEED).read_text(encoding="utf-8").split("\n")
    return "\n".join(lines[ANNEX_FIRST_LINE - 1 :]).encode("utf-8")


def csv_file(rows: list[list[str]], header=SHORT_HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def a_source(key="city-survey-2026") -> Source:
    return Source.objects.create(
        key=key, title="A survey of a city's organisations", short_title="City survey", year=2026
    )


def line_numbers(locator: str) -> list[int]:
    """The first and last line of "line 622" or "lines 685-687"."""
    return [
        int(number) for number in re.search(r"lines? (\d+)(?:-(\d+))?$", locator).groups() if number
    ]


def line_number(locator: str) -> int:
    """The line an annex row starts on: "line 622", "lines 685-687"."""
    return int(re.search(r"lines? (\d+)(?:-\d+)?$", locator).group(1))


# The EPIM annex, read back from the report's own text.


def fixture_objects(model: str) -> list[dict]:
    objects = json.loads(EPIM_FIXTURE.read_text(encoding="utf-8"))
    return [item["fields"] for item in objects if item["model"] == model]


def annex_lines_by_name(model: str, owner: str, names: dict[str, str]) -> dict[str, set[int]]:
    """{record name: the annex lines citing it} from the EPIM fixture."""
    found: dict[str, set[int]] = {}
    for fields in fixture_objects(model):
        if fields["source"] == ["epim-2019"] and fields["locator"].startswith("Annex 2"):
            name = names[fields[owner][0]]
            found.setdefault(name, set()).add(line_number(fields["locator"]))
    return found


def remove_epim_annex():
    """The database as if EPIM's annex had never been loaded: records only it names go, and
    records other reports name too lose what the annex gave them."""
    epim = Source.objects.get(key="epim-2019")
    for model in (Organisation, Advocate):
        model.objects.exclude(citations__source__in=Source.objects.exclude(pk=epim.pk)).delete()
    for model in (OrganisationCitation, AdvocateCitation, LeadershipClaim, AffiliationCitation):
        model.objects.filter(source=epim).delete()
    OrganisationAlias.objects.filter(source=epim).delete()
    PersonalAddress.objects.filter(source=epim).delete()
    Affiliation.objects.filter(citations=None).delete()


def test_the_epim_layout_reads_the_annex_rows_as_extracted():
    rows = read_epim_layout(annex_table(), first_line=ANNEX_FIRST_LINE)
    extracted = read_tsv(BASE / "fixtures" / "source" / "epim-2019" / "annex2.tsv")
    expected = []
    for line in extracted:
        number, country, last = line.pop("line"), line.pop("country"), line.pop("last_line")
        expected.append((int(number), {**line, "country": country}, int(last or number)))
    assert [(row.number, row.cells, line_numbers(row.locator)[-1]) for row in rows] == expected
    assert rows[0].locator == "Austria, line 622"
    # A row whose target groups continue two lines below is cited on all its lines.
    assert [row.locator for row in rows if row.number == 685] == ["Germany, lines 685-687"]


def test_importing_the_epim_annex_gives_the_records_of_the_epim_fixture():
    organisation_names = {f["slug"]: f["name"] for f in fixture_objects("orgs.organisation")}
    advocate_names = {f["slug"]: f["name"] for f in fixture_objects("orgs.advocate")}
    expected_organisations = annex_lines_by_name(
        "orgs.organisationcitation", "organisation", organisation_names
    )
    expected_advocates = annex_lines_by_name("orgs.advocatecitation", "advocate", advocate_names)
    expected_affiliations = {
        (
            advocate_names[f["advocate"][0]],
            organisation_names[f["organisation"][0]],
            f["is_current"],
        )
        for f in fixture_objects("orgs.affiliation")
    }
    expected_claims = {
        (organisation_names[f["organisation"][0]], f["leadership"], line_number(f["locator"]))
        for f in fixture_objects("orgs.leadershipclaim")
        if f["source"] == ["epim-2019"] and f["locator"].startswith("Annex 2")
    }
    remove_epim_annex()
    # Records other reports name as well, which the import must find rather than duplicate.
    kept = set(
        Organisation.objects.filter(name__in=expected_organisations).values_list("name", flat=True)
    )
    assert kept == {"European Council on Refugees and Exiles"}
    organisations_before = Organisation.objects.count()

    preview = preview_import(annex_table(), "epim", first_line=ANNEX_FIRST_LINE)
    assert preview.counts["reject"] == 0
    assert preview.rows == 125
    merged_into_existing = {
        entry.record
        for entry in preview.entries
        if entry.kind == "organisation" and entry.reason.startswith("matches")
    }
    assert merged_into_existing == kept
    # Several rows name one organisation: the later ones merge into the first's record.
    assert any(entry.reason.startswith("also named on row") for entry in preview.entries)

    epim = Source.objects.get(key="epim-2019")
    commit_import(annex_table(), "epim", epim, first_line=ANNEX_FIRST_LINE)

    imported_organisations = {}
    for citation in OrganisationCitation.objects.filter(source=epim).select_related("organisation"):
        lines = imported_organisations.setdefault(citation.organisation.name, set())
        lines.add(line_number(citation.locator))
    assert imported_organisations == expected_organisations
    imported_advocates = {}
    for citation in AdvocateCitation.objects.filter(source=epim).select_related("advocate"):
        imported_advocates.setdefault(citation.advocate.name, set()).add(
            line_number(citation.locator)
        )
    assert imported_advocates == expected_advocates
    affiliations = {
        (a.advocate.name, a.organisation.name, a.is_current)
        for a in Affiliation.objects.filter(citations__source=epim).select_related(
            "advocate", "organisation"
        )
    }
    assert affiliations == expected_affiliations
    claims = {
        (claim.organisation.name, claim.leadership, line_number(claim.locator))
        for claim in LeadershipClaim.objects.filter(source=epim).select_related("organisation")
    }
    assert claims == expected_claims
    created = len(expected_organisations) - len(kept)
    assert Organisation.objects.count() == organisations_before + created
    # The mailbox rule reads the same: UREP's "Geral@" (line 761) is its public address.
    assert Organisation.objects.get(name="Uniao de Refugiados em Portugal").email == "Geral@urep.pt"
    assert not PersonalAddress.objects.filter(email__iexact="Geral@urep.pt").exists()


# CSV: a list in which two rows name organisations the directory holds.

TEN_ROWS = [
    ["", "https://atelier.example.org info@atelier.example.org", "Atelier Nomade",
     "Association, Refugee-led", "Ghent, Belgium", "Local", "Culture", "Refugees", "BE"],
    ["", "", "Kolner Fluchtlingsrat", "", "Köln, Germany", "Local", "", "", "Germany"],
    ["", "", "Dutch Refugee Council", "", "Amsterdam, The Netherlands", "National", "", "", "NL"],
    ["", "", "Voix des Femmes Migrantes", "Network, Migrant-led", "Liège", "EU", "Gender equality",
     "Migrant/refugee women", "BE"],
    ["", "", "Sahel Diaspora Council", "Council, Diaspora-led", "Lyon, France", "National", "",
     "Diaspora", "FR"],
    ["", "", "Nordic Newcomers", "Initiative", "Malmö, Sweden", "Local", "Housing", "", "SE"],
    ["", "", "Rifugiati in Rete", "Network, Refugee-led", "Torino, Italy", "", "", "", "IT"],
    ["", "", "Casa Comunitaria", "Community", "Madrid, Spain", "Local", "", "", "ES"],
    ["", "", "Athens Newcomers Forum", "Group, Migrant-led", "Athens, Greece", "", "", "", "GR"],
    ["", "", "Warsaw Migrant Voices", "Organisation, Migrant-led", "Warsaw, Poland", "", "",
     "", "PL"],
]  # fmt: skip


def record_counts() -> dict[str, int]:
    models = (
        Organisation, Advocate, OrganisationAlias, OrganisationCitation, AdvocateCitation,
        LeadershipClaim, Affiliation, AffiliationCitation, PersonalAddress,
    )  # fmt: skip
    return {model.__name__: model.objects.count() for model in models}


def test_a_ten_row_csv_previews_eight_creations_and_two_merges():
    preview = preview_import(csv_file(TEN_ROWS), "csv")
    assert preview.counts == {"create": 8, "merge": 2, "reject": 0}
    merges = [(e.row, e.record) for e in preview.entries if e.action == "merge"]
    assert merges == [(3, "Kölner Flüchtlingsrat"), (4, "VluchtelingenWerk Nederland")]


def test_committing_the_csv_cites_the_chosen_source_and_keeps_the_new_spelling():
    source = a_source()
    before = record_counts()
    result = commit_import(csv_file(TEN_ROWS), "csv", source, file_name="ten.csv")
    assert result.preview.counts["create"] == 8
    assert Organisation.objects.count() == before["Organisation"] + 8

    cologne = Organisation.objects.get(slug="koelner-fluechtlingsrat")
    assert {c.source.key for c in cologne.citations.all()} == {"churchill-2018", source.key}
    assert cologne.citations.get(source=source).locator == "Row 3"
    alias = cologne.aliases.get(name="Kolner Fluchtlingsrat")
    assert alias.source == source
    dutch = Organisation.objects.get(name="VluchtelingenWerk Nederland")
    assert {c.source.key for c in dutch.citations.all()} == {"churchill-2018", source.key}
    assert "Dutch Refugee Council" in {alias.name for alias in dutch.aliases.all()}

    atelier = Organisation.objects.get(name="Atelier Nomade")
    assert (atelier.form, atelier.leadership, atelier.leadership_evidence) == (
        "association",
        "refugee-led",
        "self-described",
    )
    assert atelier.website == "https://atelier.example.org"
    assert atelier.email == "info@atelier.example.org"
    assert [c.code for c in atelier.countries.all()] == ["BE"]
    assert [c.name for c in atelier.cities.all()] == ["Ghent"]
    assert [t.slug for t in atelier.focus_areas.all()] == ["culture"]
    assert atelier.focus_raw == "Culture"
    voix = Organisation.objects.get(name="Voix des Femmes Migrantes")
    assert [c.name for c in voix.cities.all()] == ["Liège"]
    assert [t.slug for t in voix.target_groups.all()] == ["women"]
    assert voix.leadership == "migrant-led"


def test_an_advocate_row_affiliates_and_keeps_the_address_private():
    source = a_source()
    rows = [
        ["Amina Yusuf", "amina.yusuf@example.org", "Atelier Nomade", "Association, Refugee-led",
         "Ghent, Belgium", "Local, National", "Culture", "Refugees", "Belgium"],
        ["Amina Yusuf", "", "Kölner Flüchtlingsrat", "", "Cologne, Germany", "", "", "", "DE"],
    ]  # fmt: skip
    preview = preview_import(csv_file(rows), "csv")
    assert [(e.action, e.kind, e.record) for e in preview.entries] == [
        ("create", "organisation", "Atelier Nomade"),
        ("create", "advocate", "Amina Yusuf"),
        ("merge", "organisation", "Kölner Flüchtlingsrat"),
        ("merge", "advocate", "Amina Yusuf"),
    ]
    commit_import(csv_file(rows), "csv", source)
    amina = Advocate.objects.get(name="Amina Yusuf")
    assert amina.personal_address.email == "amina.yusuf@example.org"
    assert {o.name for o in amina.organisations.all()} == {
        "Atelier Nomade",
        "Kölner Flüchtlingsrat",
    }
    assert {c.code for c in amina.countries.all()} == {"BE", "DE"}
    assert {level.slug for level in amina.levels.all()} == {"local", "national"}
    atelier = Organisation.objects.get(name="Atelier Nomade")
    assert atelier.email == ""  # a person's row: the address is hers, not the organisation's
    affiliation = Affiliation.objects.get(advocate=amina, organisation=atelier)
    assert [c.locator for c in affiliation.citations.all()] == ["Row 2"]


def test_an_advocate_is_matched_by_an_alias_and_a_new_spelling_is_kept():
    larry = Advocate.objects.get(slug="larry-macaulay")
    country = larry.countries.first()
    AdvocateAlias.objects.create(advocate=larry, name="Lawrence Macaulay")
    rows = [["Lawrence Macaulay", "", "", "", "", "", "", "", country.code]]
    preview = preview_import(csv_file(rows), "csv")
    assert [(e.action, e.record) for e in preview.entries] == [("merge", larry.name)]
    rows = [["LARRY MACAULAY", "", "", "", "", "", "", "", country.code]]
    commit_import(csv_file(rows), "csv", a_source())
    assert larry.aliases.filter(name="LARRY MACAULAY").exists()
    assert Advocate.objects.filter(name__iexact="larry macaulay").count() == 1


# Rejections: one broken row and nothing is saved.


@pytest.mark.parametrize(
    ("broken", "reason"),
    [
        (["", "", "Atlantis Aid", "", "Atlantis City", "", "", "", "Atlantis"],
         "unknown country 'Atlantis'"),
        (["", "", "Too Short", "", "Ghent, Belgium", "", "", ""],
         "the row has 8 cells, the header 9"),
        (["", "not-an-address@", "Bad Mail", "", "Ghent, Belgium", "", "", "", "BE"],
         "invalid email 'not-an-address@'"),
        (["-", "", "-", "Network", "Ghent, Belgium", "", "", "", "BE"],
         "no name and no organisation"),
        (["", "", "Long Aid " * 40, "", "Ghent, Belgium", "", "", "", ""],
         "a name longer than 300 characters"),
        (["", "", "Mixed Aid", "", "Ghent, Belgium", "", "", "", "France"],
         "the location is in BE, the country column says FR"),
    ],
)  # fmt: skip
def test_a_file_with_a_broken_row_is_rejected_and_saves_nothing(broken, reason):
    rows = TEN_ROWS[:4] + [broken] + TEN_ROWS[4:]
    before = record_counts()
    preview = preview_import(csv_file(rows), "csv")
    assert [(e.row, e.where) for e in preview.rejected] == [(6, "Row 6")]
    assert reason in preview.rejected[0].reason
    with pytest.raises(ImportRejected):
        commit_import(csv_file(rows), "csv", a_source())
    assert record_counts() == before


@pytest.mark.parametrize(
    "data, format, reason",
    [
        ("name;country\nZoë;BE\n".encode("latin-1"), "csv", "not UTF-8 text"),
        (b'name,country\n"' + b"x" * 200_000 + b'",BE\n', "csv", "not a readable CSV file"),
        (b"PK\x03\x04 not a workbook", "xlsx", "not an XLSX file"),
        ("Name\tEmail\n\xe9".encode("latin-1"), "epim", "not UTF-8 text"),
    ],
)
def test_a_file_that_cannot_be_read_is_rejected_with_the_reason(data, format, reason):
    before = record_counts()
    preview = preview_import(data, format)
    assert preview.rejected and reason in preview.rejected[0].reason
    with pytest.raises(ImportRejected):
        commit_import(data, format, a_source())
    assert record_counts() == before


def test_a_header_with_an_unknown_column_rejects_the_file():
    header = [*SHORT_HEADER[:-1], "colour"]
    preview = preview_import(csv_file(TEN_ROWS, header=header), "csv")
    assert [(e.row, e.action) for e in preview.entries] == [(1, "reject")]
    assert "unknown columns ['colour']" in preview.entries[0].reason


def test_a_line_of_the_wrong_width_in_the_epim_layout_is_rejected_with_its_line():
    lines = annex_table().decode("utf-8").split("\n")
    lines[8] = lines[8] + "\tone cell too many"  # line 623: Abdulhamid Kwieder
    preview = preview_import("\n".join(lines).encode("utf-8"), "epim", first_line=ANNEX_FIRST_LINE)
    assert [(e.where, e.reason) for e in preview.rejected] == [
        ("Austria, line 623", "the line has 9 cells, the table 8")
    ]


# XLSX, and the EPIM titles in a header row.


def xlsx_file(rows, header=SHORT_HEADER) -> bytes:
    dataset = tablib.Dataset(*rows, headers=header)
    return dataset.export("xlsx")


def test_an_xlsx_file_with_the_epim_titles_reads_like_the_csv():
    titles = [TITLES[column] for column in SHORT_HEADER]
    preview = preview_import(xlsx_file(TEN_ROWS, header=titles), "xlsx")
    assert preview.counts == {"create": 8, "merge": 2, "reject": 0}
    assert [e.where for e in preview.entries][:2] == ["Row 2", "Row 3"]


def test_the_format_follows_the_extension():
    assert [format_for(name) for name in ["a.CSV", "b.xlsx", "annex.tsv", "c.pdf"]] == [
        "csv",
        "xlsx",
        "epim",
        "",
    ]


# The management command.


def test_the_command_previews_without_saving(tmp_path):
    path = tmp_path / "ten.csv"
    path.write_bytes(csv_file(TEN_ROWS))
    a_source()
    before = record_counts()
    out = io.StringIO()
    call_command("import_table", str(path), "--source", "city-survey-2026", stdout=out)
    assert "Row 3: merge organisation 'Kölner Flüchtlingsrat'" in out.getvalue()
    assert "10 rows: 8 to create, 2 to merge, 0 rejected." in out.getvalue()
    assert record_counts() == before


def test_the_command_commits(tmp_path):
    path = tmp_path / "ten.csv"
    path.write_bytes(csv_file(TEN_ROWS))
    a_source()
    out = io.StringIO()
    call_command("import_table", str(path), "--source", "city-survey-2026", "--commit", stdout=out)
    assert "10 rows, 8 records created, 2 merged" in out.getvalue()
    assert Organisation.objects.filter(citations__source__key="city-survey-2026").count() == 10


def test_the_command_refuses_a_file_with_a_rejected_row(tmp_path):
    path = tmp_path / "broken.txt"
    broken = ["", "", "Atlantis Aid", "", "Atlantis City", "", "", "", "Atlantis"]
    path.write_bytes(csv_file([*TEN_ROWS, broken]))
    a_source()
    before = record_counts()
    out = io.StringIO()
    with pytest.raises(CommandError, match="Nothing saved: 1 rejected rows"):
        call_command(
            "import_table",
            str(path),
            "--source=city-survey-2026",
            "--format=csv",
            "--commit",
            stdout=out,
        )
    assert "Row 12: reject 'Atlantis Aid' (unknown country 'Atlantis')" in out.getvalue()
    assert record_counts() == before


def test_the_command_needs_a_known_source(tmp_path):
    path = tmp_path / "ten.csv"
    path.write_bytes(csv_file(TEN_ROWS))
    with pytest.raises(CommandError, match="No source with the key 'nope'"):
        call_command("import_table", str(path), "--source", "nope")


# The automatic reading of cells that no EPIM table maps.


def test_an_unmapped_cell_is_read_automatically():
    readings = annex_readings()
    where = "Row 2"
    assert readings.form("Initiative, Migrant-led ", where) == (
        "initiative",
        "migrant-led",
        "Migrant-led",
    )
    assert readings.form("Self-help group, Student-led", where) == ("group", "other", "Student-led")
    assert readings.form("Charity, not migrant-led", where)[1] == "not-migrant-led"
    assert readings.place("Vienna, Austria ", where) == ("AT", ["Vienna"])
    assert readings.place("Leeds/Bradford, UK.", where) == ("GB", ["Leeds", "Bradford"])
    assert readings.levels("Local; European", where) == ["local", "eu"]
    assert readings.focus_areas("Housing, LGBTIQ+ rights and safety, knitting", where) == [
        "housing",
        "lgbtiq",
    ]
    assert readings.target_groups("Refugees, Migrant/refugee children", where) == [
        "refugees",
        "children",
    ]
    named, former = readings.named_organisations("Atelier Nomade", where)
    assert [(entry.key, entry.name, entry.mapped) for entry in named] == [
        ("atelier-nomade", "Atelier Nomade", False)
    ]
    assert not former


# Export, and the export read back.


def greek_records():
    organisations = Organisation.objects.filter(countries__code="GR").distinct()
    advocates = Advocate.objects.filter(countries__code="GR").distinct()
    return organisations, advocates


def snapshot(organisations, advocates) -> dict:
    def terms(record):
        return tuple(
            sorted(
                str(t.pk) if name == "countries" else t.slug for t in getattr(record, name).all()
            )
            for name in ("countries", "levels", "focus_areas", "target_groups")
        ) + (tuple(sorted(city.name for city in record.cities.all())),)

    return {
        "organisations": {
            o.name: (
                terms(o),
                o.form if o.form != "other" else "unknown",
                o.leadership if o.leadership_evidence == "self-described" else "",
                o.website,
                o.email,
            )
            for o in Organisation.objects.filter(pk__in=organisations)
        },
        "advocates": {
            a.name: (terms(a), tuple(sorted(o.name for o in a.organisations.all())))
            for a in Advocate.objects.filter(pk__in=advocates)
        },
    }


@pytest.mark.parametrize("format", ["csv", "xlsx", "epim"])
def test_exported_records_read_back_as_merges_into_themselves(format):
    organisations, advocates = greek_records()
    rows = export_rows(organisations) + export_rows(advocates)
    assert len(rows) >= organisations.count() + advocates.count()
    preview = preview_import(write_file(rows, format), format)
    assert preview.counts["create"] == preview.counts["reject"] == 0
    assert {e.record for e in preview.entries if e.kind == "organisation"} >= set(
        organisations.values_list("name", flat=True)
    )


@pytest.mark.parametrize("format", ["csv", "xlsx", "epim"])
def test_exported_records_deleted_and_imported_again_come_back(format):
    organisations, advocates = greek_records()
    assert organisations.count() >= 5 and advocates.count() >= 5
    before = snapshot(organisations, advocates)
    rows = export_rows(organisations) + export_rows(advocates)
    data = write_file(rows, format)
    Advocate.objects.filter(pk__in=list(advocates.values_list("pk", flat=True))).delete()
    Organisation.objects.filter(pk__in=list(organisations.values_list("pk", flat=True))).delete()
    assert not Organisation.objects.filter(name__in=before["organisations"]).exists()

    commit_import(data, format, a_source())
    organisations, advocates = greek_records()
    assert snapshot(organisations, advocates) == before
    assert PersonalAddress.objects.filter(advocate__in=advocates).count() == 0


# The admin's Import page and export actions.


def import_url(model, action="import") -> str:
    return reverse(f"admin:orgs_{model._meta.model_name}_{action}")


def upload(client, model, data: bytes, name: str, source: Source, **fields):
    file = SimpleUploadedFile(name, data)
    return client.post(import_url(model), {"file": file, "source": source.pk, **fields})


@pytest.mark.parametrize("user", ["superuser", "editor"])
def test_an_editor_uploads_previews_and_confirms_an_import(client, user, request):
    if user == "superuser":
        # A superuser is in no group: the import must not depend on the Editor group's rights.
        client.force_login(UserFactory(username="chief", superuser=True))
    else:
        request.getfixturevalue("editor")
    source = a_source()
    changelist = client.get(reverse("admin:orgs_organisation_changelist"))
    assert import_url(Organisation).encode() in changelist.content
    assert client.get(import_url(Organisation)).status_code == 200

    page = upload(client, Organisation, csv_file(TEN_ROWS), "ten.csv", source)
    assert page.status_code == 200
    text = page.content.decode()
    assert "10 rows: 8 to create, 2 to merge, 0 rejected." in text
    assert text.count('<tr class="import-create">') == 8
    assert text.count('<tr class="import-merge">') == 2
    assert "Kölner Flüchtlingsrat" in text and "Confirm import" in text
    assert not Organisation.objects.filter(name="Atelier Nomade").exists()

    done = client.post(import_url(Organisation, "import_confirm"), follow=True)
    assert done.redirect_chain[-1][0] == reverse("admin:orgs_organisation_changelist")
    assert "Imported ten.csv: 10 rows, 8 records created, 2 merged." in done.content.decode()
    atelier = Organisation.objects.get(name="Atelier Nomade")
    assert atelier.citations.get().source == source
    run = LogEntry.objects.get(object_id=str(source.pk))
    assert "10 rows, 8 records created" in run.get_change_message()
    # The file is gone once imported: confirming again imports nothing twice.
    again = client.post(import_url(Organisation, "import_confirm"), follow=True)
    assert "no previewed file" in again.content.decode()
    assert Organisation.objects.filter(name="Atelier Nomade").count() == 1


def test_a_preview_with_a_rejected_row_offers_no_confirmation(client, editor):
    broken = ["", "", "Atlantis Aid", "", "Atlantis City", "", "", "", "Atlantis"]
    page = upload(client, Advocate, csv_file([*TEN_ROWS, broken]), "list.csv", a_source())
    text = page.content.decode()
    assert "unknown country &#x27;Atlantis&#x27;" in text
    assert "Confirm import" not in text
    before = record_counts()
    client.post(import_url(Advocate, "import_confirm"))
    assert record_counts() == before


def test_the_epim_layout_imports_from_the_advocate_changelist(client, editor):
    rows = export_rows(Advocate.objects.filter(name="Edwar Hanna"))
    data = write_file(rows, "epim")
    page = upload(client, Advocate, data, "annex.tsv", a_source())
    assert "Austria, line 3" in page.content.decode()
    client.post(import_url(Advocate, "import_confirm"))
    edwar = Advocate.objects.get(name="Edwar Hanna")
    assert "city-survey-2026" in {c.source.key for c in edwar.citations.all()}


def test_staff_without_add_permission_cannot_import(client, viewer):
    changelist = client.get(reverse("admin:orgs_organisation_changelist"))
    assert changelist.status_code == 200
    assert import_url(Organisation).encode() not in changelist.content
    assert client.get(import_url(Organisation)).status_code == 403
    assert client.post(import_url(Advocate, "import_confirm")).status_code == 403


@pytest.mark.parametrize(
    ("format", "start"), [("csv", b"name,"), ("xlsx", b"PK"), ("epim", b"Name\t")]
)
def test_the_export_action_writes_the_selected_records(client, viewer, format, start):
    syrbanism = Organisation.objects.get(slug="syrbanism")
    response = client.post(
        reverse("admin:orgs_organisation_changelist"),
        {"action": f"export_{format}", "_selected_action": [syrbanism.pk]},
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="organisations.')
    assert response.content.startswith(start)
    rows = read_rows(response.content, format)
    assert [row.cells["organisation"] for row in rows] == ["Syrbanism"]
    assert rows[0].cells["country"] in ("AT", "Austria")
