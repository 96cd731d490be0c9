"""Slugs transliterate letters instead of dropping them (Hillerød: `dk-hillerod`, not
`dk-hillerd`). Rows loaded before keep working: they are renamed, their old slugs redirect, and
the import stamps that name them follow, so that the next import finds them.
"""

import json

import django.db.models.deletion
from django.db import migrations, models

RENAMES = {
    "city": {
        "dk-hillerd": "dk-hillerod",
        "dk-viby-sjlland": "dk-viby-sjaelland",
        "tr-sanlurfa": "tr-sanliurfa",
    },
    "advocate": {"aysegul-sayn": "aysegul-sayin"},
}


def rename(apps, schema_editor):
    renamed = {}
    for model_name, slugs in RENAMES.items():
        model = apps.get_model("orgs", model_name)
        former = apps.get_model("orgs", f"former{model_name}slug")
        for old, new in slugs.items():
            row = model.objects.filter(slug=old).first()
            if row is None or model.objects.filter(slug=new).exists():
                continue
            row.slug = new
            row.save(update_fields=["slug"])
            former.objects.create(slug=old, **{model_name: row})
            renamed[old] = new
    if not renamed:
        return
    ImportStamp = apps.get_model("orgs", "ImportStamp")
    for stamp in ImportStamp.objects.all():
        key = json.loads(stamp.key)
        if any(part in renamed for part in key):
            new_key = [renamed.get(part, part) for part in key]
            stamp.key = json.dumps(new_key, ensure_ascii=False)
            stamp.save(update_fields=["key"])



class Migration(migrations.Migration):

    dependencies = [
        ('orgs', '0009_roles_cover_new_models'),
    ]

    operations = [
        migrations.CreateModel(
            name='FormerCitySlug',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('slug', models.SlugField(max_length=200, unique=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('city', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='former_slugs', to='orgs.city')),
            ],
            options={
                'ordering': ['slug'],
                'abstract': False,
            },
        ),
        migrations.RunPython(rename, migrations.RunPython.noop),
    ]
