"""The words of the records' search documents, by kind of record (PostgreSQL only): what a
misspelt search word is compared with, instead of every record (see orgs/selectors/search.py).

The trigger that keeps each record's search vector (migration 0012_search) also adds the
vector's new words to `orgs_search_word`, so that rows written by bulk_create or raw SQL are
known too. The trigger never takes a word out: a stale word only lets a misspelling widen to
a word that finds nothing (an erasure takes out the person's names: `orgs.search.forget_words`).

The words already there are read from the vectors in one statement per kind of record.
"""

from django.db import migrations

KINDS = {
    "organisation": "orgs_organisation",
    "advocate": "orgs_advocate",
    "network": "orgs_network",
}

OLD_VECTOR_FUNCTION = """
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

# The kind of record is the table's name without "orgs_" (the triggers take no argument).
# On an update only the words the vector did not hold before are offered: a refresh that
# changes nothing costs no lookup.
VECTOR_FUNCTION = """
CREATE OR REPLACE FUNCTION orgs_search_vector() RETURNS trigger AS $$
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector('simple', unaccent(coalesce(NEW.search_names, ''))), 'A')
        || setweight(to_tsvector('simple', unaccent(coalesce(NEW.search_profile, ''))), 'B')
        || setweight(to_tsvector('simple', unaccent(coalesce(NEW.search_document, ''))), 'C');
    IF TG_OP = 'INSERT' THEN
        INSERT INTO orgs_search_word (kind, word)
        SELECT substr(TG_TABLE_NAME, 6), word
        FROM unnest(tsvector_to_array(NEW.search_vector)) AS word
        ON CONFLICT DO NOTHING;
    ELSIF NEW.search_vector IS DISTINCT FROM OLD.search_vector THEN
        INSERT INTO orgs_search_word (kind, word)
        SELECT substr(TG_TABLE_NAME, 6), word
        FROM unnest(tsvector_to_array(NEW.search_vector)) AS word
        WHERE NOT word = ANY (coalesce(tsvector_to_array(OLD.search_vector), '{}'))
        ON CONFLICT DO NOTHING;
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql
"""


def create_words(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # One index serves both: unique (kind, word) for the trigger's ON CONFLICT, and, with
    # text_pattern_ops, the range of words that begin with given letters (whatever the
    # database's collation).
    schema_editor.execute("CREATE TABLE orgs_search_word (kind text NOT NULL, word text NOT NULL)")
    schema_editor.execute(
        "CREATE UNIQUE INDEX orgs_search_word_kind_word "
        "ON orgs_search_word (kind text_pattern_ops, word text_pattern_ops)"
    )
    for kind, table in KINDS.items():
        schema_editor.execute(
            "INSERT INTO orgs_search_word (kind, word) "
            f"SELECT DISTINCT %s, word FROM {table}, "
            "unnest(tsvector_to_array(search_vector)) AS word",
            [kind],
        )
    schema_editor.execute("ANALYZE orgs_search_word")
    schema_editor.execute(VECTOR_FUNCTION)


def drop_words(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(OLD_VECTOR_FUNCTION)
    schema_editor.execute("DROP TABLE IF EXISTS orgs_search_word")


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0024_listed_people_answer_and_mail"),
    ]

    operations = [
        migrations.RunPython(create_words, drop_words),
    ]
