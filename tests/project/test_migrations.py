"""The migrations describe the models exactly: a model changed without its migration fails here."""

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_is_missing_its_migration(capsys):
    # With changes not yet migrated, `--check` exits (SystemExit), which fails the test.
    call_command("makemigrations", "--check", "--dry-run", verbosity=1)
    assert "No changes detected" in capsys.readouterr().out
