"""The Editor and Viewer groups.

Editors change the directory's records, moderate suggestions and issue API tokens; viewers
read admin without changing anything. Staff in neither group see nothing in admin.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

RECORD_APPS = ("orgs", "surveys")
TOKEN_MODELS = ("token", "tokenproxy")  # DRF's admin shows tokens through the proxy


def create_roles(apps, schema_editor):
    # Permissions are made after migrations; make them now so the groups can be given them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    records = Permission.objects.filter(content_type__app_label__in=RECORD_APPS).exclude(
        content_type__model="importstamp", codename__regex="^(add|change|delete)_"
    )
    tokens = Permission.objects.filter(
        content_type__app_label="authtoken", content_type__model__in=TOKEN_MODELS
    )
    editor, _ = Group.objects.get_or_create(name="Editor")
    editor.permissions.set([*records, *tokens])
    viewer, _ = Group.objects.get_or_create(name="Viewer")
    viewer.permissions.set(records.filter(codename__startswith="view_"))


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
