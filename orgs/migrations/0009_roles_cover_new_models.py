"""The Editor and Viewer groups also cover the models added since they were made."""

from django.db import migrations

from orgs.roles import grant_roles


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0008_suggestions_from_the_public"),
    ]

    operations = [migrations.RunPython(grant_roles, migrations.RunPython.noop)]
