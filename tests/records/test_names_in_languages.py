"""Our own terms have a name in every language of the interface, and every city of the
directory has its entry in the gazetteer of `fixtures/source/city-names.yaml`."""

import json
from pathlib import Path

import yaml
from django.conf import settings

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
OTHER_LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
TRANSLATED_TERMS = ("orgs.focusarea", "orgs.targetgroup", "orgs.worklevel")


def vocabulary(model: str) -> list[dict]:
    objects = json.loads((FIXTURES / "vocabularies.json").read_text(encoding="utf-8"))
    return [item["fields"] for item in objects if item["model"] == model]


def test_every_focus_area_target_group_and_level_is_named_in_every_interface_language():
    assert OTHER_LANGUAGES == ["fr", "de", "ar"]
    for model in TRANSLATED_TERMS:
        terms = vocabulary(model)
        assert terms, model
        for term in terms:
            missing = [code for code in OTHER_LANGUAGES if not term["names"].get(code)]
            assert not missing, f"{model} {term['slug']} has no name in {missing}"


def test_every_city_has_its_entry_in_the_gazetteer():
    gazetteer = yaml.safe_load((FIXTURES / "source" / "city-names.yaml").read_text("utf-8"))
    cities = vocabulary("orgs.city")
    assert len(cities) == 101
    assert {city["slug"] for city in cities} <= set(gazetteer)
    for city in cities:
        assert city["names"] == gazetteer[city["slug"]]["names"]
        assert all(len(code) == 2 for code in city["names"]), city["slug"]


def test_a_city_is_named_in_the_interface_s_languages_and_its_own():
    athens = next(city for city in vocabulary("orgs.city") if city["slug"] == "gr-athens")
    assert athens["names"] == {"fr": "Athènes", "de": "Athen", "ar": "أثينا", "el": "Αθήνα"}
