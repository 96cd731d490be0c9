"""`backup_directory` writes the whole directory to one file; `restore_directory` restores it
into an empty database, losing nothing, or refuses and saves nothing."""

import json

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection

from orgs.models import (
    Advocate,
    City,
    Erasure,
    FieldOpenToTheListed,
    FocusArea,
    FormerAdvocateSlug,
    FormerCitySlug,
    FormerOrganisationSlug,
    Invitation,
    ListedAnswer,
    Network,
    Organisation,
    OutgoingMail,
    Source,
    Suggestion,
    TargetGroup,
    WorkLevel,
)
from orgs.seeding import backups
from tests.factories import EditorFactory

pytestmark = pytest.mark.django_db

EVERY_TABLE = [
    model
    for label in backups.APPS
    for model in apps.get_app_config(label).get_models(include_auto_created=True)
    if model._meta.label_lower not in backups.TRANSIENT
]


def canonical_dump() -> dict[str, list]:
    """Every row of every orgs and surveys table, derived columns included, by id.

    The tables Django makes for many-to-many fields are compared as their pairs: their own ids
    carry nothing.
    """
    dump = {}
    for model in EVERY_TABLE:
        columns = [field.attname for field in model._meta.concrete_fields]
        if model._meta.auto_created:
            columns.remove(model._meta.pk.attname)
        rows = model._base_manager.order_by(*columns).values_list(*columns)
        dump[model._meta.label_lower] = [[str(value) for value in row] for row in rows]
    return dump


def flush_directory():
    """Empties every orgs and surveys table, as a new database would be."""
    with connection.cursor() as cursor:
        for model in EVERY_TABLE:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")


@pytest.fixture
def every_kind_of_row():
    """What the fixtures do not hold: suggestions, erasures, former slugs, a person's other
    name, a network's levels, history made by an editor, a notice sent to a listed person
    with its mail and their answer, a field the listed may publish at once."""
    # Not signed in, and named apart from every other word in the file, to be found in it.
    editor = EditorFactory(username="backup-editor")
    organisation = Organisation.objects.get(slug="syrbanism")
    organisation._history_user = editor
    organisation.description = "Edited by an editor."
    organisation.save()
    advocate = Advocate.objects.exclude(affiliations=None).order_by("pk").first()
    advocate.aliases.create(name="Another spelling")
    FormerOrganisationSlug.objects.create(organisation=organisation, slug="syrbanism-old")
    FormerAdvocateSlug.objects.create(advocate=advocate, slug=f"{advocate.slug}-old")
    Network.objects.order_by("pk").first().levels.add(WorkLevel.objects.get(slug="local"))
    FormerCitySlug.objects.create(city=City.objects.order_by("pk").first(), slug="old-city")
    suggestion = Suggestion.objects.create(
        kind="correction",
        organisation=organisation,
        message="The website moved.",
        sender_email="sender@example.org",
        status="approved",
        reviewed_by=editor,
    )
    suggestion.levels.add(WorkLevel.objects.get(slug="local"))
    suggestion.focus_areas.add(FocusArea.objects.get(slug="housing"))
    suggestion.target_groups.add(TargetGroup.objects.get(slug="refugees"))
    # A note as `privacy.erase` leaves, without deleting rows: PostgreSQL's sequences do not
    # roll back with the test, and the restore sets them to the highest id it restored.
    Erasure.objects.create(
        record="advocate #999", erased_by=editor, removed={"advocate": 1}, import_keys=["ab12"]
    )
    notice = OutgoingMail.objects.create(
        kind="invitation", advocate=advocate, subject="Your record", body="What we hold."
    )
    invitation = Invitation.objects.create(
        advocate=advocate, sent_by=editor, mail=notice, expires_at="2027-01-06T12:00:00Z"
    )
    ListedAnswer.objects.create(kind="confirmed", advocate=advocate, invitation=invitation)
    FieldOpenToTheListed.objects.create(record="organisation", field="website")
    return editor


def test_the_round_trip_loses_nothing(tmp_path, every_kind_of_row):
    before = canonical_dump()
    empty = sorted(label for label, rows in before.items() if not rows)
    assert empty == [], "every table must hold a row, so that the round trip tests it"
    path = tmp_path / "directory.json"
    call_command("backup_directory", output=path, with_history=True, verbosity=0)

    flush_directory()
    assert backups.existing_rows() == {}
    call_command("restore_directory", path, verbosity=0)

    after = canonical_dump()
    for label in before:
        for row_after, row_before in zip(after[label], before[label], strict=True):
            assert row_after == row_before, label
    # The history names its editor again; new rows get new ids after the restored ones.
    assert Organisation.history.filter(history_user=every_kind_of_row).exists()
    assert Suggestion.objects.get().reviewed_by == every_kind_of_row
    new = Source.objects.create(key="new", title="A new report", short_title="New", year=2026)
    assert new.pk > max(Source.objects.exclude(pk=new.pk).values_list("pk", flat=True))


def test_the_file_says_what_it_holds_and_holds_no_account(tmp_path, every_kind_of_row):
    path = tmp_path / "directory.json"
    call_command("backup_directory", output=path, verbosity=0)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert (data["format"], data["version"], data["with_history"]) == (
        "migrant-directory-export",
        1,
        False,
    )
    assert data["counts"]["orgs.organisation"] == Organisation.objects.count() > 200
    assert data["counts"]["orgs.erasure"] == 1
    models = {row["model"] for row in data["data"]}
    assert not any(model.startswith(("auth.", "authtoken.")) for model in models)
    assert not any("historical" in model for model in models)
    assert "backup-editor" in path.read_text(encoding="utf-8")  # a reviewer, by username
    assert len(data["data"]) == sum(data["counts"].values())
    organisation = next(row for row in data["data"] if row["model"] == "orgs.organisation")
    assert "search_document" not in organisation["fields"]
    assert organisation["fields"]["countries"]  # many-to-many travel with their record


@pytest.fixture(scope="module")
def exported(tmp_path_factory, django_db_setup, django_db_blocker) -> str:
    """The loaded directory's export, made once for the tests that only read it."""
    path = tmp_path_factory.mktemp("export") / "directory.json"
    with django_db_blocker.unblock():
        call_command("backup_directory", output=path, verbosity=0)
    return path.read_text(encoding="utf-8")


def test_an_import_into_a_database_with_records_is_refused(tmp_path, exported):
    path = tmp_path / "directory.json"
    path.write_text(exported, encoding="utf-8")
    before = canonical_dump()
    with pytest.raises(CommandError, match="The database is not empty") as refused:
        call_command("restore_directory", path, verbosity=0)
    assert refused.value.returncode == 2
    assert canonical_dump() == before


def lines_without(text: str, model: str) -> str:
    """The export without its first row of `model` (rows are one per line)."""
    lines = text.splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if f'"model": "{model}"' in line)
    return "".join(lines[:index] + lines[index + 1 :])


BROKEN = {
    "cut short": (lambda text: text[: len(text) // 2], "not valid JSON"),
    "another format": (lambda text: text.replace("migrant-directory-export", "other"), "format"),
    "a later version": (lambda text: text.replace('"version": 1', '"version": 2'), "version 2"),
    "a row missing": (lambda text: lines_without(text, "orgs.focusarea"), "incomplete"),
    "a newer schema": (
        lambda text: text.replace('"0013_sort_names"', '"0013_sort_names", "9999_future"'),
        "newer version",
    ),
    "an account": (
        lambda text: text.replace('"model": "orgs.source"', '"model": "auth.user"', 1),
        "not a row of a directory model",
    ),
    "a wrong value": (
        lambda text: text.replace('"year": 2019', '"year": "nineteen"', 1),
        "Row",
    ),
    "a link to nothing": (
        lambda text: text.replace('"source": 1,', '"source": 999,', 1),
        "does not fit this database",
    ),
    "something after the data": (lambda text: text.rstrip()[:-1] + ', "more": 1}', "goes on"),
}


@pytest.mark.parametrize("breakage", BROKEN.values(), ids=BROKEN.keys())
def test_a_broken_or_incompatible_file_saves_nothing(tmp_path, exported, breakage):
    break_, message = breakage
    broken = break_(exported)
    assert broken != exported
    path = tmp_path / "directory.json"
    path.write_text(broken, encoding="utf-8")
    flush_directory()
    with pytest.raises(CommandError, match=message) as refused:
        call_command("restore_directory", path, verbosity=0)
    assert "Nothing was imported" in str(refused.value)
    assert backups.existing_rows() == {}


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("restore_directory", tmp_path / "nowhere.json", verbosity=0)
