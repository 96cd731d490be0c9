"""The whole directory is loaded once per test session, through the same command `make run` uses."""

import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_directory", verbosity=0)
