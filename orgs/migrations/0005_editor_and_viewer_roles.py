"""The Editor and Viewer groups.

Editors change the directory's records, moderate suggestions and issue API tokens; viewers
read admin without changing anything. Staff in neither group see nothing in admin.
"""

from django.db import migrations

from orgs.roles import grant_roles as create_roles


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Editor", "Viewer"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0004_publish_state_and_checks"),
        ("surveys", "0002_question_presentation_and_private_answers"),
        ("authtoken", "0004_alter_tokenproxy_options"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
