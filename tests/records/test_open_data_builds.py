"""The open data is rebuilt by the worker after the directory changes: one build waiting at a
time, queued once the change is committed, never by an edit that is rolled back."""

import zipfile

import pytest
from django.conf import settings
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from orgs import caching
from orgs.models import Advocate, Organisation, Suggestion
from orgs.services import erasure
from orgs.services.open_data import building
from tests.worker import run_worker, time_passes

pytestmark = pytest.mark.django_db


def builds_waiting() -> int:
    return DBTaskResult.objects.filter(
        task_path=building.build_open_data.module_path, status="READY"
    ).count()


def rename(slug: str, name: str) -> None:
    organisation = Organisation.objects.get(slug=slug)
    organisation.name = name
    organisation.save()


def test_an_edit_queues_one_build_once_committed(django_capture_on_commit_callbacks):
    slug = Organisation.objects.order_by("pk").values_list("slug", flat=True).first()
    with django_capture_on_commit_callbacks(execute=True):
        rename(slug, "First new name")
        assert builds_waiting() == 0  # not before the commit
    assert builds_waiting() == 1
    with django_capture_on_commit_callbacks(execute=True):
        rename(slug, "Second new name")
    assert builds_waiting() == 1  # the waiting build will read this change too


def test_the_worker_builds_a_minute_later(django_capture_on_commit_callbacks):
    slug = Organisation.objects.order_by("pk").values_list("slug", flat=True).first()
    with django_capture_on_commit_callbacks(execute=True):
        rename(slug, "A name the open data shows")
    assert run_worker() == 0  # it waits for more edits first
    time_passes(seconds=61)
    assert run_worker() == 1
    assert building.last_build().tables["organisations"] == 235
    assert builds_waiting() == 0


def test_an_edit_rolled_back_queues_nothing(django_capture_on_commit_callbacks):
    slug = Organisation.objects.order_by("pk").values_list("slug", flat=True).first()
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                rename(slug, "Never kept")
                raise RuntimeError
        except RuntimeError:
            pass
    assert builds_waiting() == 0


def test_a_suggestion_waiting_for_review_queues_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        Suggestion.objects.create(kind="new-organisation", message="Hello", sender_email="a@b.org")
    assert builds_waiting() == 0


def test_a_listener_that_fails_leaves_the_edit_and_the_other_listeners_alone(
    django_capture_on_commit_callbacks, caplog
):
    def broken(sender, **kwargs):
        raise RuntimeError("the disk is full")

    caching.directory_changed.connect(broken, dispatch_uid="broken-listener")
    try:
        slug = Organisation.objects.order_by("pk").values_list("slug", flat=True).first()
        with django_capture_on_commit_callbacks(execute=True):
            rename(slug, "Saved all the same")
    finally:
        caching.directory_changed.disconnect(dispatch_uid="broken-listener")
    assert Organisation.objects.get(slug=slug).name == "Saved all the same"
    assert builds_waiting() == 1
    assert "the disk is full" in caplog.text


def test_an_erasure_takes_the_built_open_data_down_until_the_next_build(
    client, django_capture_on_commit_callbacks
):
    advocate = Advocate.objects.published().order_by("pk").first()
    building.build()
    with zipfile.ZipFile(settings.OPEN_DATA_DIR / building.PACKAGE) as package:
        assert advocate.name in package.read("data/advocates.csv").decode()

    with django_capture_on_commit_callbacks(execute=True):
        erasure.erase(advocate)

    assert building.last_build() is None
    assert not (settings.OPEN_DATA_DIR / building.PACKAGE).exists()
    assert client.get("/data/directory.zip").status_code == 503
    assert builds_waiting() == 1
