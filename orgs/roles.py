"""The Editor and Viewer groups and their permissions, for the migrations that keep them current.

Editors change the directory's records, moderate suggestions and issue API tokens; viewers
read admin without changing anything. Staff in neither group see nothing in admin.
"""

from django.contrib.auth.management import create_permissions

RECORD_APPS = ("orgs", "surveys")
TOKEN_MODELS = ("token", "tokenproxy")  # DRF's admin shows tokens through the proxy
READ_ONLY_FOR_EDITORS = ("importstamp",)


def grant_roles(apps, schema_editor=None):
    """Gives the groups every permission of the directory's models, new models included."""
    # Permissions are made after migrations; make them now so the groups can be given them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    records = Permission.objects.filter(content_type__app_label__in=RECORD_APPS).exclude(
        content_type__model__in=READ_ONLY_FOR_EDITORS, codename__regex="^(add|change|delete)_"
    )
    tokens = Permission.objects.filter(
        content_type__app_label="authtoken", content_type__model__in=TOKEN_MODELS
    )
    editor, _ = Group.objects.get_or_create(name="Editor")
    editor.permissions.set([*records, *tokens])
    viewer, _ = Group.objects.get_or_create(name="Viewer")
    viewer.permissions.set(records.filter(codename__startswith="view_"))
