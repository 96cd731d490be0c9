"""A misspelt search word on PostgreSQL: matched through the words the records' documents hold
(kept by the search trigger, by kind of record), never by comparing it with every record."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from orgs.models import Advocate, Organisation, organisation_uuid
from orgs.selectors.search import KnownOrSimilar
from orgs.services.erasure import erase
from tests.pages.test_list_queries import ORGANISATION_LIST_QUERIES, SEARCH
from tests.pages.test_search import IN_ATHENS
from tests.responses import every_listed, listed, slugs

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="typo tolerance: PostgreSQL only"),
]


def known_words(kind: str, word: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT kind FROM orgs_search_word WHERE word = %s ORDER BY kind", [word])
        return [row[0] for row in cursor.fetchall() if row[0] == kind]


def stands_for(word: str, kind: str) -> set[str]:
    """The terms of the tsquery a search word of `kind` of record becomes."""
    with connection.cursor() as cursor:
        sql, params = KnownOrSimilar(word, kind).as_sql(None, connection)
        cursor.execute(f"SELECT {sql}::text", params)
        return set(cursor.fetchone()[0].split(" | "))


def found(client, url: str, query: str) -> list[str]:
    return slugs(every_listed(client, url, {"q": query}))


def test_a_misspelt_word_finds_the_advocates_and_networks_it_meant(client):
    assert found(client, "/advocates/", "Edwar") == ["edwar-hanna"]
    assert found(client, "/advocates/", "Edwra") == ["edwar-hanna"]
    assert "grupp-39" in found(client, "/networks/", "Gruppe 39")


def test_a_record_written_in_bulk_teaches_the_search_its_words(client):
    assert known_words("organisation", "quetzalcoatl") == []
    Organisation.objects.bulk_create(
        [
            Organisation(
                slug="quetzalcoatl-aid", name="Quetzalcoatl Aid", uuid=organisation_uuid("q")
            )
        ]
    )
    assert known_words("organisation", "quetzalcoatl") == ["organisation"]
    assert found(client, "/organisations/", "Quetzalcoatel") == ["quetzalcoatl-aid"]


def test_a_renamed_record_teaches_the_search_its_new_words(client):
    organisation = Organisation.objects.get(slug="velos-youth")
    organisation.name = "Velos Youth Xylophonists"
    organisation.save()
    assert known_words("organisation", "xylophonists") == ["organisation"]
    assert found(client, "/organisations/", "Xylophonits") == ["velos-youth"]


def test_a_word_of_advocates_only_does_not_widen_an_organisation_search():
    Advocate.objects.create(slug="zanzibarian", name="Zanzibarian Wanderer")
    assert known_words("advocate", "zanzibarian") == ["advocate"]
    assert known_words("organisation", "zanzibarian") == []
    assert stands_for("Zanzibarain", "advocate") == {"'zanzibarain':*", "'zanzibarian'"}
    assert stands_for("Zanzibarain", "organisation") == {"'zanzibarain':*"}


def test_a_word_that_begins_a_known_word_stands_only_for_itself():
    assert stands_for("Athen", "organisation") == {"'athen':*"}
    # Athens in English, German ("Athen") and French ("Athènes")
    guesses = {"'athnes':*", "'athens'", "'athen'", "'athenes'"}
    assert stands_for("Athnes", "organisation") == guesses
    assert stands_for("ÁTHNES", "organisation") == guesses  # case and accents folded


def test_a_misspelt_search_runs_as_many_queries_as_any_search(assert_cold_and_warm):
    for query in ("Athens", "Athnes", "Athnes healht refugee"):
        response = assert_cold_and_warm(
            "/organisations/", ORGANISATION_LIST_QUERIES + SEARCH, 4, {"q": query}
        )
        assert listed(response), query


def test_no_search_compares_a_word_with_the_records_themselves(client):
    with CaptureQueriesContext(connection) as captured:
        for url in ("/organisations/", "/advocates/", "/networks/", "/api/v1/advocates/"):
            assert client.get(url, {"q": "Athnes helth"}).status_code == 200
        assert client.get("/search/", {"q": "Athnes"}).status_code == 200
    statements = [query["sql"] for query in captured.captured_queries]
    assert sum("word_similarity" in sql.lower() for sql in statements) >= 5
    for sql in statements:
        assert "%>" not in sql and "<%" not in sql
        # the one similarity a search computes: of a typed word to a known word
        assert set(re.findall(r"similarity\(([^)]*)\)", sql, re.IGNORECASE)) <= {"typed, word"}


def test_a_misspelt_word_found_in_a_name_ranks_first(client):
    Organisation.objects.create(slug="athens-soup-kitchen", name="Athens Soup Kitchen")
    ranked = found(client, "/organisations/", "Athnes")
    # then the organisations in Athens: the migrant- and refugee-led ones first
    not_led_by_migrants = "migration-refugee-coordination-centre-and-observatory"
    assert ranked[0] == "athens-soup-kitchen"
    assert set(ranked[1:5]) == IN_ATHENS - {not_led_by_migrants}
    assert ranked[5:] == [not_led_by_migrants]


def test_an_erased_persons_names_leave_the_words_search_knows(editor):
    edwar = Advocate.objects.get(slug="edwar-hanna")
    Advocate.objects.create(slug="another-hanna", name="Lina Hanna")
    assert known_words("advocate", "edwar") == ["advocate"]
    erasure = erase(edwar, by=editor)
    assert known_words("advocate", "edwar") == []
    assert known_words("advocate", "hanna") == ["advocate"]  # another advocate's name
    assert erasure.removed["search words of their names"] == 1
    assert stands_for("Edwra", "advocate") == {"'edwra':*"}
