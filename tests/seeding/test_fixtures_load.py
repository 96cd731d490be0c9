"""Loading the directory a second time changes nothing."""

import io

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def dump() -> str:
    out = io.StringIO()
    call_command("dumpdata", "orgs", "surveys", stdout=out, natural_foreign=True)
    return out.getvalue()


def test_loading_the_directory_again_changes_nothing():
    before = dump()
    call_command("load_fixtures", verbosity=0)
    assert dump() == before


def test_the_directory_is_loaded():
    assert '"model": "orgs.organisation"' in dump()
