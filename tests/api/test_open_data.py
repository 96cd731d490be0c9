"""The open data's two zips: valid as Frictionless packages (foreign keys included), the
published records and nothing private, the HSDS tables as HSDS 3.0 names them."""

import csv
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.test import override_settings

from orgs.api.serializers import AdvocateSerializer, NetworkSerializer, OrganisationSerializer
from orgs.models import Advocate, Network, Organisation
from orgs.services.open_data import building, hsds_tables, package
from orgs.services.open_data.tables import Column, Table
from tests.outside_files import required
from tests.pages.test_anonymous_crawl import personal_addresses

pytestmark = pytest.mark.django_db

FRICTIONLESS = Path(sys.executable).parent / "frictionless"


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker, tmp_path_factory):
    """Both zips, built once from the fixtures: (their folder, the build)."""
    folder = tmp_path_factory.mktemp("open-data")
    with override_settings(OPEN_DATA_DIR=folder), django_db_blocker.unblock():
        return folder, building.build()


def validate(path: Path) -> dict:
    """`frictionless validate`, as anyone would run it on the download."""
    run = subprocess.run(
        [str(FRICTIONLESS), "validate", "--json", str(path)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    return json.loads(run.stdout)


def errors_of(report: dict) -> list[str]:
    return [
        f"{task['name']}: {error['type']}: {error['note']}"
        for task in report["tasks"]
        for error in task["errors"]
    ] + [error["note"] for error in report["errors"]]


def tables_in(path: Path) -> dict[str, list[dict]]:
    with zipfile.ZipFile(path) as archive:
        return {
            name: list(csv.DictReader(io.TextIOWrapper(archive.open(name), encoding="utf-8")))
            for name in archive.namelist()
            if name.endswith(".csv")
        }


def descriptor_in(path: Path) -> dict:
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read("datapackage.json"))


def test_frictionless_finds_the_package_valid_foreign_keys_included(built):
    folder, _ = built
    report = validate(folder / "directory.zip")
    assert errors_of(report) == []
    assert report["valid"] is True
    checked = {task["name"] for task in report["tasks"]}
    assert {"organisations", "affiliations", "survey_answers", "organisation_cities"} <= checked


def test_frictionless_finds_the_hsds_tables_valid(built):
    folder, _ = built
    report = validate(folder / "directory-hsds.zip")
    assert errors_of(report) == []
    assert report["valid"] is True


def test_frictionless_would_see_a_broken_foreign_key(built, tmp_path):
    """The check above can fail: an affiliation naming an advocate the package lacks."""
    folder, _ = built
    broken = tmp_path / "broken.zip"
    with zipfile.ZipFile(folder / "directory.zip") as source, zipfile.ZipFile(broken, "w") as out:
        for name in source.namelist():
            data = source.read(name)
            if name == "data/affiliations.csv":
                header, first, rest = data.decode().split("\n", 2)
                data = "\n".join([header, "999999" + first[first.index(",") :], rest]).encode()
            out.writestr(name, data)
    errors = errors_of(validate(broken))
    assert "affiliations: foreign-key: " in errors[0]
    assert all(": foreign-key: " in error for error in errors)  # its citations' too


def test_the_tables_hold_the_published_records(built, client):
    folder, build = built
    tables = tables_in(folder / "directory.zip")
    advocates = client.get("/api/v1/advocates/").json()["count"]
    assert len(tables["data/organisations.csv"]) == build.tables["organisations"] == 235
    assert len(tables["data/networks.csv"]) == build.tables["networks"] == 23
    assert len(tables["data/advocates.csv"]) == build.tables["advocates"] == advocates
    assert len(tables["data/sources.csv"]) == 5
    for name, rows in build.tables.items():
        assert len(tables[f"data/{name}.csv"]) == rows, name
    hsds = tables_in(folder / "directory-hsds.zip")
    assert len(hsds["organizations.csv"]) == build.hsds_tables["organization"] == 235
    assert len(hsds["taxonomies.csv"]) == 4


def test_the_package_describes_its_version_licences_and_sources(built):
    folder, build = built
    descriptor = descriptor_in(folder / "directory.zip")
    assert descriptor["version"] == build.version and len(build.version) == 16
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    licences = {source["key"]: source["licence"] for source in descriptor["sources"]}
    assert licences["erasmi-2021"] == "CC BY 4.0"
    assert licences["epim-2019"] == "The report's own terms; cited, not copied."
    assert len(licences) == 5
    organisations = next(r for r in descriptor["resources"] if r["name"] == "organisations")
    assert organisations["rows"] == 235
    assert organisations["schema"]["primaryKey"] == ["id"]
    assert descriptor_in(folder / "directory-hsds.zip")["version"] == build.version


def test_no_personal_address_is_in_any_file(built):
    folder, _ = built
    private = personal_addresses()
    assert len(private) > 100  # the fixtures' addresses: the test has something to look for
    for name in ("directory.zip", "directory-hsds.zip"):
        with zipfile.ZipFile(folder / name) as archive:
            for member in archive.namelist():
                text = archive.read(member).decode("utf-8").lower()
                assert [email for email in private if email in text] == [], member


def test_the_records_columns_are_fields_the_api_shows_anyone(rf):
    """The package shows no more of a record than the API shows an anonymous caller."""
    context = {"request": rf.get("/api/v1/organisations/")}
    serializers = {
        Organisation: OrganisationSerializer,
        Advocate: AdvocateSerializer,
        Network: NetworkSerializer,
    }
    for model, columns in package.RECORD_COLUMNS.items():
        shown = set(serializers[model](context=context).fields)
        assert {column.name for column in columns} <= shown, model
    assert "personal_email" not in shown


def test_the_hsds_tables_are_hsds_files_with_hsds_columns(built):
    folder, _ = built
    schema = json.loads(required("STANDARDS_DIR", "hsds-3.0", "organization.json").read_text())
    attribute = schema["properties"]["attributes"]["items"]
    objects = {
        "organization": schema,
        "location": schema["properties"]["locations"]["items"],
        "attribute": attribute,
        "taxonomy_term": attribute["properties"]["taxonomy_term"],
        "taxonomy": attribute["properties"]["taxonomy_term"]["properties"]["taxonomy_detail"],
        "metadata": schema["properties"]["metadata"]["items"],
    }
    for table in hsds_tables.tables():
        published = objects[table.name]
        assert table.file == published["path"]
        assert {c.name for c in table.columns} <= set(published["properties"]), table.name
        assert set(published["required"]) <= {c.name for c in table.columns}, table.name
    with zipfile.ZipFile(folder / "directory-hsds.zip") as archive:
        files = set(archive.namelist())
    assert files == {"datapackage.json", *(o["path"] for o in objects.values())}


def test_a_hidden_organisation_is_in_no_table(settings, tmp_path):
    hidden = Organisation.objects.filter(affiliations__isnull=False).first()
    hidden.is_published = False
    hidden.save()
    build = building.build()
    tables = tables_in(tmp_path / "open-data" / "directory.zip")
    assert build.tables["organisations"] == 234
    for name, rows in tables.items():
        ids = {row.get("organisation") for row in rows} | {
            row["id"] for row in rows if name == "data/organisations.csv"
        }
        assert str(hidden.pk) not in ids, name
    hsds = tables_in(tmp_path / "open-data" / "directory-hsds.zip")
    assert str(hidden.uuid) not in {row["id"] for row in hsds["organizations.csv"]}


def test_a_failed_build_leaves_the_previous_zip_whole(tmp_path):
    target = tmp_path / "directory.zip"
    target.write_bytes(b"the previous build")

    def failing():
        yield ("first",)
        raise RuntimeError("the database went away")

    table = Table("things", "Things", [Column("name")], failing, ("name",))
    with pytest.raises(RuntimeError):
        building.write_package(target, [table], lambda resources: {"resources": resources})
    assert target.read_bytes() == b"the previous build"
    assert [path.name for path in tmp_path.iterdir()] == ["directory.zip"]
