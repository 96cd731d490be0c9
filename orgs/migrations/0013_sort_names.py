"""Organisations, advocates, networks and countries keep their name folded for sorting.

`sort_name` ignores case and accents ("Ärzte" sorts with a) the same way on SQLite and
PostgreSQL; it is filled here for the rows that exist and kept on every save (signals).
"""

from django.db import migrations, models

from orgs.models import sort_name_of

SORTED = ("organisation", "advocate", "network", "country")


def fill_sort_names(apps, schema_editor):
    for name in SORTED:
        model = apps.get_model("orgs", name)
        rows = list(model.objects.only("pk", "name"))
        for row in rows:
            row.sort_name = sort_name_of(row.name)
        model.objects.bulk_update(rows, ["sort_name"], batch_size=500)


def sort_name_field():
    return models.CharField(
        max_length=300,
        editable=False,
        db_index=True,
        default="",
        help_text="The name folded for sorting.",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0012_search"),
    ]

    operations = [
        *(
            migrations.AddField(
                model_name=name,
                name="sort_name",
                field=sort_name_field(),
                preserve_default=False,
            )
            for name in SORTED
        ),
        migrations.RunPython(fill_sort_names, migrations.RunPython.noop),
        migrations.AlterModelOptions(
            name="organisation",
            options={"ordering": ["sort_name", "name", "pk"]},
        ),
        migrations.AlterModelOptions(
            name="advocate",
            options={"ordering": ["sort_name", "name", "pk"]},
        ),
        migrations.AlterModelOptions(
            name="network",
            options={"ordering": ["sort_name", "name", "pk"]},
        ),
        migrations.AlterModelOptions(
            name="country",
            options={"ordering": ["sort_name"], "verbose_name_plural": "countries"},
        ),
    ]
