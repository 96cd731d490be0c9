"""The listed's answers are kept with their dates, and change their records in history under
their own name."""

import pytest
from django.utils import timezone

from orgs.choices import AnswerKind
from orgs.models import Advocate, ListedAnswer, Organisation
from orgs.services import answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def advocate():
    return Advocate.objects.filter(personal_address__isnull=False).order_by("slug").first()


def test_confirming_dates_the_record_and_history_names_the_person(advocate):
    answer = answers.confirm(advocate)

    advocate.refresh_from_db()
    assert advocate.confirmed_on == timezone.localdate()
    assert (answer.kind, answer.advocate, answer.organisation) == (
        AnswerKind.CONFIRMED,
        advocate,
        None,
    )
    latest = advocate.history.latest()
    assert latest.history_change_reason == (
        f"Confirmed as it stands by {advocate.name} (the listed advocate, through their "
        "personal link)"
    )
    assert latest.history_user is None


def test_an_advocate_confirms_an_organisation_they_work_for(advocate):
    organisation = Organisation.objects.get(slug="mosaico")
    answers.confirm(advocate, organisation=organisation)
    organisation.refresh_from_db()
    assert organisation.confirmed_on == timezone.localdate()
    advocate.refresh_from_db()
    assert advocate.confirmed_on is None
    assert ListedAnswer.objects.get().organisation == organisation


def test_consent_is_kept_on_the_private_address_and_each_change_is_an_answer(advocate):
    assert not answers.accepts_messages(advocate)
    assert answers.set_consent(advocate, True).kind == AnswerKind.CONSENTED
    assert answers.set_consent(advocate, True) is None  # nothing changed, nothing recorded
    assert answers.accepts_messages(advocate)
    assert answers.set_consent(advocate, False).kind == AnswerKind.WITHDREW
    assert not answers.accepts_messages(advocate)
    assert list(ListedAnswer.objects.order_by("at").values_list("kind", flat=True)) == [
        AnswerKind.CONSENTED,
        AnswerKind.WITHDREW,
    ]


def test_a_person_without_a_private_address_cannot_consent():
    nobody = Advocate.objects.filter(personal_address__isnull=True).first()
    assert answers.set_consent(nobody, True) is None
    assert not ListedAnswer.objects.exists()
