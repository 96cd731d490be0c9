import uuid

from django.db import migrations, models

ORGANISATION_IDS = uuid.UUID("6f1d3c5e-9b1a-4c52-8f3e-2d7a9c0b4e61")


def give_ids(apps, schema_editor):
    Organisation = apps.get_model("orgs", "Organisation")
    for organisation in Organisation.objects.only("pk", "slug"):
        organisation.uuid = uuid.uuid5(ORGANISATION_IDS, organisation.slug)
        organisation.save(update_fields=["uuid"])


class Migration(migrations.Migration):
    dependencies = [("orgs", "0002_records_owned_by_the_database")]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="uuid",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(give_ids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="organisation",
            name="uuid",
            field=models.UUIDField(editable=False, help_text="Stable id (HSDS).", unique=True),
        ),
    ]
