"""A person can have a copy of what the directory holds about them, and have it erased."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from orgs.models import Advocate, Affiliation, Erasure, ImportStamp, Organisation, PersonalAddress
from orgs.seeding.build import fixture_files
from orgs.services import erasure
from orgs.services.fixtures import import_fixtures
from surveys.models import Answer, PrivateAnswer, Response

pytestmark = pytest.mark.django_db

NAME = "Edwar Hanna"
EMAIL = "edwar.k.hanna@gmail.com"


def everything_naming(text: str) -> dict[str, int]:
    from django.apps import apps

    counts = {}
    for model in apps.get_models():
        if model._meta.app_label not in ("orgs", "surveys", "admin"):
            continue
        for field in model._meta.concrete_fields:
            if field.get_internal_type() in ("CharField", "TextField", "SlugField", "EmailField"):
                found = model._default_manager.filter(**{f"{field.name}__icontains": text})
                if found.exists():
                    counts[f"{model._meta.label}.{field.name}"] = found.count()
    return counts


def test_the_export_holds_everything_about_the_person(client, editor):
    edwar = Advocate.objects.get(name=NAME)
    response = client.post(
        reverse("admin:orgs_advocate_changelist"),
        {"action": "export_personal_data", "_selected_action": [edwar.pk]},
    )
    assert response["Content-Type"] == "application/json"
    (data,) = json.loads(response.content)
    assert data["advocate"]["name"] == NAME
    assert data["personal_address"]["email"] == EMAIL
    assert [item["organisation"] for item in data["organisations"]] == ["Syrbanism"]
    assert data["survey_answers"] and data["survey_answers"][0]["answers"]["name"] == NAME
    assert data["history"]


def test_erasure_leaves_nothing_of_the_person_but_keeps_their_organisation(client, editor):
    edwar = Advocate.objects.get(name=NAME)
    edwar.aliases.create(name="Edwar K. Hanna")
    edwar.roles = "Founder"
    edwar.save()  # an edit, so that history holds more than the import
    assert everything_naming(NAME)

    url = reverse("admin:orgs_advocate_changelist")
    selection = {"action": "erase_people", "_selected_action": [edwar.pk]}
    confirm = client.post(url, selection)
    assert "removes these people from the directory for good" in confirm.content.decode()
    assert Advocate.objects.filter(pk=edwar.pk).exists()
    done = client.post(url, {**selection, "confirm": "erase"}, follow=True)
    assert "Erased: Erasure of advocate #" in done.content.decode()

    assert everything_naming(NAME) == {}
    assert everything_naming(EMAIL) == {}
    assert everything_naming(edwar.slug) == {}
    assert not PersonalAddress.objects.filter(email=EMAIL).exists()
    syrbanism = Organisation.objects.get(slug="syrbanism")
    assert not Affiliation.objects.filter(organisation=syrbanism, advocate_id=edwar.pk).exists()
    response = Response.objects.get(locator__endswith="line 622")
    assert response.advocate is None and response.organisation == syrbanism
    assert not PrivateAnswer.objects.filter(response=response).exists()
    assert Answer.objects.filter(response=response, question__key="organisation").exists()
    erasure = Erasure.objects.get()
    assert erasure.erased_by == editor and erasure.removed["history entries"] > 0
    assert NAME not in json.dumps(erasure.removed) + str(erasure)
    assert client.get(f"/advocates/{edwar.slug}/").status_code == 404

    report = import_fixtures(fixture_files(Path(settings.BASE_DIR) / "fixtures"))
    # the advocate, their address, citation, affiliation and its citation
    assert (report.erased, report.created) == (5, 0)
    assert not Advocate.objects.filter(name=NAME).exists()
    assert everything_naming(edwar.slug) == {}


def test_an_erasure_interrupted_half_way_changes_nothing(monkeypatch):
    edwar = Advocate.objects.get(name=NAME)
    stamps = ImportStamp.objects.count()

    def fail(advocate):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(erasure, "stamp_naming", fail)
    with pytest.raises(RuntimeError):
        erasure.erase(edwar)
    assert Advocate.objects.filter(pk=edwar.pk).exists()
    assert PersonalAddress.objects.filter(email=EMAIL).exists()
    assert Answer.objects.filter(text=NAME).exists()
    assert ImportStamp.objects.count() == stamps and not Erasure.objects.exists()


def test_viewers_cannot_erase(client, viewer):
    page = client.get(reverse("admin:orgs_advocate_changelist")).content.decode()
    assert "erase_people" not in page
