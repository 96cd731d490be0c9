"""The database owns the records: re-importing the reports never undoes an editor's change."""

import json
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from orgs.models import FocusArea, ImportStamp, Organisation, OrganisationAlias
from orgs.seeding.build import fixture_files
from orgs.services.fixtures import (
    ImportReport,
    content_hash,
    current_fields,
    import_fixtures,
    key_text,
    natural_key_of,
)
from tests.seeding.sources import built_with

pytestmark = pytest.mark.django_db

FIXTURES = fixture_files(Path(settings.BASE_DIR) / "fixtures")
FIXTURE_OBJECTS = sum(len(json.loads(path.read_text(encoding="utf-8"))) for path in FIXTURES)
SLUG = "koelner-fluechtlingsrat"


def reload(**options):
    call_command("load_fixtures", verbosity=0, **options)


def an_hour_ago():
    return timezone.now() - timedelta(hours=1)


def edit(slug=SLUG, description="Edited by an editor."):
    organisation = Organisation.objects.get(slug=slug)
    organisation.description = description
    organisation.save()
    organisation.focus_areas.add(FocusArea.objects.get(slug="housing"))
    return organisation


def test_an_editors_change_survives_a_reload():
    edit()
    edited_at = Organisation.objects.get(slug=SLUG).updated_at
    reload()
    after = Organisation.objects.get(slug=SLUG)
    assert after.description == "Edited by an editor."
    assert "housing" in {term.slug for term in after.focus_areas.all()}
    assert after.updated_at == edited_at


def test_force_reverts_an_edit():
    original = Organisation.objects.get(slug=SLUG).description
    edit()
    reload(force=True)
    organisation = Organisation.objects.get(slug=SLUG)
    assert organisation.description == original
    assert "housing" not in {term.slug for term in organisation.focus_areas.all()}


def test_a_reload_of_unchanged_sources_writes_nothing():
    report = import_fixtures(FIXTURES)
    assert (report.created, report.updated, report.unchanged) == (0, 0, FIXTURE_OBJECTS)
    assert not (report.kept_edited or report.kept_deleted or report.no_longer_listed)


def test_every_imported_row_reads_back_as_its_fixture():
    """So that an unedited row is always recognised as unedited when its source changes."""
    for path in FIXTURES:
        for item in json.loads(path.read_text(encoding="utf-8")):
            stamp_digest = content_hash(item["fields"])
            model = apps.get_model(item["model"])
            key = natural_key_of(model, item["fields"])
            row = model.objects.get_by_natural_key(*key)
            assert content_hash(current_fields(row, item["fields"])) == stamp_digest, (
                item["model"],
                key_text(key),
            )


def change_churchill(source: Path, update=None, drop=None):
    records = source / "churchill-2018" / "records.yaml"
    document = yaml.safe_load(records.read_text(encoding="utf-8"))
    for organisation in document["organisations"]:
        if organisation["key"] == SLUG and update:
            organisation.update(update)
    if drop:
        document["organisations"] = [o for o in document["organisations"] if o["key"] != drop]
    records.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")


def test_a_changed_source_updates_a_record_nobody_edited(tmp_path):
    fixtures = built_with(tmp_path, lambda s: change_churchill(s, {"description": "New text."}))
    Organisation.objects.filter(slug=SLUG).update(updated_at=an_hour_ago())
    report = import_fixtures(fixtures)
    assert (report.updated, report.kept_edited) == (1, [])
    organisation = Organisation.objects.get(slug=SLUG)
    assert organisation.description == "New text."
    assert organisation.updated_at > an_hour_ago()


def test_a_changed_source_leaves_an_edited_record_and_says_so(tmp_path):
    fixtures = built_with(tmp_path, lambda s: change_churchill(s, {"description": "New text."}))
    edit()
    report = import_fixtures(fixtures)
    assert report.updated == 0
    assert report.kept_edited == [f'orgs.organisation ["{SLUG}"]']
    assert Organisation.objects.get(slug=SLUG).description == "Edited by an editor."
    assert "kept as edited" in report.lines()[0]


def test_a_record_its_source_no_longer_lists_is_reported_not_deleted(tmp_path):
    fixtures = built_with(tmp_path, lambda s: change_churchill(s, drop=SLUG))
    report = import_fixtures(fixtures)
    assert f'orgs.organisation ["{SLUG}"]' in report.no_longer_listed
    assert Organisation.objects.filter(slug=SLUG).exists()


def test_a_row_an_editor_deleted_stays_deleted_unless_forced():
    alias = OrganisationAlias.objects.filter(organisation__slug=SLUG).first()
    alias.delete()
    reload()
    assert not OrganisationAlias.objects.filter(pk=alias.pk).exists()
    assert not OrganisationAlias.objects.filter(organisation__slug=SLUG, name=alias.name).exists()
    reload(force=True)
    assert OrganisationAlias.objects.filter(organisation__slug=SLUG, name=alias.name).exists()


def test_a_fresh_database_is_seeded_and_stamped():
    assert ImportStamp.objects.count() == FIXTURE_OBJECTS
    # Annex 2 105, Appendix A 20, Urban Academy 36, UNHCR 21, ERASMI 48: each a fixture object
    assert Organisation.objects.count() == 235


@pytest.mark.parametrize(
    "change",
    [
        lambda o: o.aliases.create(name="Another name"),
        lambda o: o.focus_areas.add(FocusArea.objects.get(slug="housing")),
        lambda o: o.focus_areas.clear(),
        lambda o: o.citations.first().delete(),
        lambda o: FocusArea.objects.get(slug="housing").organisations.add(o),
    ],
    ids=["alias added", "term added", "terms cleared", "citation deleted", "term's side"],
)
def test_a_change_to_an_aliases_terms_or_citations_moves_updated_at(change):
    Organisation.objects.filter(slug=SLUG).update(updated_at=an_hour_ago())
    change(Organisation.objects.get(slug=SLUG))
    assert Organisation.objects.get(slug=SLUG).updated_at > an_hour_ago()


def test_modified_after_finds_an_edit(client):
    Organisation.objects.update(updated_at=an_hour_ago())
    since = (timezone.now() - timedelta(minutes=1)).isoformat()
    edit()
    response = client.get("/organisations/", {"modified_after": since})
    assert [o.slug for o in response.context["page"].object_list] == [SLUG]


def test_a_database_loaded_before_imports_were_stamped_is_brought_up_to_date():
    original = Organisation.objects.get(slug=SLUG).description
    ImportStamp.objects.all().delete()
    Organisation.objects.filter(slug=SLUG).update(description="As an old loader left it.")
    report = import_fixtures(FIXTURES)
    assert (report.updated, report.kept_edited) == (1, [])
    assert Organisation.objects.get(slug=SLUG).description == original
    assert ImportStamp.objects.count() == FIXTURE_OBJECTS


def test_a_row_someone_made_before_its_report_was_imported_is_kept():
    ImportStamp.objects.filter(key=f'["{SLUG}"]').delete()
    Organisation.objects.filter(slug=SLUG).update(description="Made by an editor.")
    report = import_fixtures(FIXTURES)
    assert report.kept_edited == [f'orgs.organisation ["{SLUG}"]']
    assert Organisation.objects.get(slug=SLUG).description == "Made by an editor."


def stamp_as_before_names(slug: str, **before) -> FocusArea:
    """The focus area as an import before terms had names in other languages left it: no
    names, and a stamp of the fields that import wrote (`before`: what its source said then)."""
    term = FocusArea.objects.get(slug=slug)
    FocusArea.objects.filter(pk=term.pk).update(names={}, **before)
    term.refresh_from_db()
    written = current_fields(term, ["slug", "name", "description"])
    ImportStamp.objects.filter(model="orgs.focusarea", key=key_text([slug])).update(
        content_hash=content_hash(written)
    )
    return term


def test_a_field_the_model_gained_since_the_last_import_is_filled_by_the_next():
    stamp_as_before_names("health")
    report = import_fixtures(FIXTURES)
    assert report.kept_edited == []
    assert (
        FocusArea.objects.get(slug="health").names["de"] == "Gesundheit und Gesundheitsversorgung"
    )


def test_a_row_edited_since_the_last_import_keeps_its_edit_though_its_model_gained_a_field():
    term = stamp_as_before_names("housing")
    term.name = "Housing, shelter and accommodation"
    term.save()
    report = import_fixtures(FIXTURES)
    assert report.kept_edited == ["orgs.focusarea " + key_text(["housing"])]
    term.refresh_from_db()
    assert (term.name, term.names) == ("Housing, shelter and accommodation", {})


def test_a_source_change_and_a_field_the_model_gained_both_reach_a_row_nobody_edited():
    stamp_as_before_names("health", description="")  # the source gave no description then
    report = import_fixtures(FIXTURES)
    assert (report.updated, report.kept_edited) == (1, [])
    term = FocusArea.objects.get(slug="health")
    assert term.description == (
        "Access to healthcare, physical, sexual and mental health, psychological support."
    )
    assert term.names["de"] == "Gesundheit und Gesundheitsversorgung"


def test_a_row_whose_record_is_missing_is_reported_and_not_imported(tmp_path):
    fixture = tmp_path / "extra.json"
    alias = {"organisation": ["no-such-organisation"], "name": "Nobody", "source": None}
    fixture.write_text(json.dumps([{"model": "orgs.organisationalias", "fields": alias}]))
    report = import_fixtures([fixture])
    assert report.lines() == [
        "0 created, 0 updated, 0 unchanged, 0 kept as edited, 0 kept deleted, "
        "0 no longer listed by their source.",
        "Not imported, because a record it belongs to is missing:",
        '  orgs.organisationalias ["no-such-organisation", "Nobody"]: '
        'no orgs.organisation ["no-such-organisation"]',
    ]
    assert not OrganisationAlias.objects.filter(name="Nobody").exists()


def test_the_import_report_gives_the_counts_then_each_list_under_its_title():
    report = ImportReport(
        created=1, updated=2, unchanged=3, kept_edited=["a", "b"], kept_deleted=["c"],
        not_imported=["d"], no_longer_listed=["e"], erased=4,
    )  # fmt: skip
    assert report.lines() == [
        "1 created, 2 updated, 3 unchanged, 2 kept as edited, 1 kept deleted, "
        "1 no longer listed by their source. 4 rows of erased people left out.",
        "Edited since the last import, so the source's change was not applied:",
        "  a",
        "  b",
        "Deleted since the last import, so not re-created:",
        "  c",
        "Not imported, because a record it belongs to is missing:",
        "  d",
        "No longer listed by their source, and left in the database:",
        "  e",
    ]
    assert ImportReport(unchanged=5).lines() == [
        "0 created, 0 updated, 5 unchanged, 0 kept as edited, 0 kept deleted, "
        "0 no longer listed by their source."
    ]


def test_a_row_already_as_its_source_says_counts_unchanged_and_is_stamped(tmp_path):
    """A row someone made just as the source has it: nothing to write but its stamp."""
    (health,) = [
        item
        for item in json.loads(
            (Path(settings.BASE_DIR) / "fixtures" / "vocabularies.json").read_text()
        )
        if item["model"] == "orgs.focusarea" and item["fields"]["slug"] == "health"
    ]
    stamp = ImportStamp.objects.filter(model="orgs.focusarea", key='["health"]')
    stamp.delete()
    fixture = tmp_path / "terms.json"
    fixture.write_text(json.dumps([health]))
    report = import_fixtures([fixture])
    assert (report.created, report.updated, report.unchanged, report.kept_edited) == (0, 0, 1, [])
    assert stamp.get().report == "terms"


def test_a_row_the_import_creates_says_so_in_its_history(tmp_path):
    fixture = tmp_path / "extra.json"
    alias = {"organisation": [SLUG], "name": "KFR", "source": None}
    fixture.write_text(json.dumps([{"model": "orgs.organisationalias", "fields": alias}]))
    report = import_fixtures([fixture])
    assert report.created == 1
    entry = OrganisationAlias.objects.get(name="KFR").history.get()
    assert (entry.history_type, entry.history_change_reason) == ("+", "Imported from extra")


def probe_fixture(tmp_path, description, claim=None) -> list[Path]:
    """A report's fixture of one organisation (with a leadership claim, if given)."""
    fields = {"slug": "probe", "name": "Probe", "description": description, "countries": [["AT"]]}
    items = [{"model": "orgs.organisation", "fields": fields}]
    if claim:
        items.append({"model": "orgs.leadershipclaim", "fields": {
            "organisation": ["probe"], "source": ["churchill-2018"], "locator": "p. 1",
            "quote": "", **claim,
        }})  # fmt: skip
    fixture = tmp_path / "probe.json"
    fixture.write_text(json.dumps(items))
    return [fixture]


def test_a_source_that_changes_twice_updates_a_row_nobody_edited_twice(tmp_path):
    reports = [
        import_fixtures(probe_fixture(tmp_path, text)) for text in ("First.", "Second.", "Third.")
    ]
    assert [(r.created, r.updated, r.unchanged, r.kept_edited) for r in reports] == [
        (1, 0, 0, []),
        (0, 1, 0, []),
        (0, 1, 0, []),
    ]
    organisation = Organisation.objects.get(slug="probe")
    assert organisation.description == "Third."
    # one entry for each write, its countries included
    assert [entry.history_change_reason for entry in organisation.history.all()] == [
        "Imported from probe"
    ] * 3
    again = import_fixtures(probe_fixture(tmp_path, "Third."))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)


def test_a_row_deleted_since_its_import_is_reported_kept_deleted(tmp_path):
    import_fixtures(probe_fixture(tmp_path, "First."))
    Organisation.objects.get(slug="probe").delete()
    report = import_fixtures(probe_fixture(tmp_path, "Second."))
    assert (report.created, report.kept_deleted) == (0, ['orgs.organisation ["probe"]'])
    assert not Organisation.objects.filter(slug="probe").exists()


def test_an_imported_leadership_claim_sums_up_in_its_organisations_leadership(tmp_path):
    claim = {"leadership": "refugee-led", "evidence": "self-described"}
    import_fixtures(probe_fixture(tmp_path, "First.", claim=claim))
    organisation = Organisation.objects.get(slug="probe")
    assert (organisation.leadership, organisation.leadership_evidence) == (
        "refugee-led",
        "self-described",
    )
