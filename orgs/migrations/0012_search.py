"""Stored search documents of organisations, advocates and networks (see orgs/search.py).

On PostgreSQL: the unaccent and pg_trgm extensions, a trigger that keeps each row's weighted
tsvector in step with its search texts (whoever writes them: the ORM, bulk_create, raw SQL),
and a GIN index on it. On every database: the documents of the rows already there.
"""

import django.contrib.postgres.search
from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

import orgs.search

TABLES = ["orgs_organisation", "orgs_advocate", "orgs_network"]

VECTOR_FUNCTION = """
CREATE OR REPLACE FUNCTION orgs_search_vector() RETURNS trigger AS $$
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector('simple', unaccent(coalesce(NEW.search_names, ''))), 'A')
        || setweight(to_tsvector('simple', unaccent(coalesce(NEW.search_profile, ''))), 'B')
        || setweight(to_tsvector('simple', unaccent(coalesce(NEW.search_document, ''))), 'C');
    RETURN NEW;
END
$$ LANGUAGE plpgsql
"""


def create_vector_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(VECTOR_FUNCTION)
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_search_vector BEFORE INSERT OR UPDATE OF "
            f"search_names, search_profile, search_document ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION orgs_search_vector()"
        )
        schema_editor.execute(
            f"CREATE INDEX {table}_search_vector_gin ON {table} USING gin (search_vector)"
        )


def drop_vector_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search_vector_gin")
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_search_vector ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS orgs_search_vector()")


def fill_documents(apps, schema_editor):
    for name in ("Organisation", "Advocate", "Network"):
        orgs.search.refresh_all(apps.get_model("orgs", name))


class Migration(migrations.Migration):

    dependencies = [
        ('orgs', '0011_erasures'),
    ]

    operations = [
        UnaccentExtension(),
        TrigramExtension(),
        migrations.AddField(
            model_name='advocate',
            name='search_document',
            field=orgs.search.SearchTextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name='advocate',
            name='search_names',
            field=orgs.search.SearchTextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name='advocate',
            name='search_profile',
            field=orgs.search.SearchTextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name='advocate',
            name='search_vector',
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name='network',
            name='search_document',
            field=orgs.search.SearchTextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name='network',
            name='search_names',
            field=orgs.search.SearchTextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name='network',
            name='search_profile',
            field=orgs.search.SearchTextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name='network',
            name='search_vector',
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name='organisation',
            name='search_document',
            field=orgs.search.SearchTextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name='organisation',
            name='search_names',
            field=orgs.search.SearchTextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name='organisation',
            name='search_profile',
            field=orgs.search.SearchTextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name='organisation',
            name='search_vector',
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(create_vector_triggers, drop_vector_triggers),
        migrations.RunPython(fill_documents, migrations.RunPython.noop),
    ]
