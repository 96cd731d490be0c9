"""The translations are complete, and the compiled catalogues are the committed sources."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def catalogue(language: str, suffix: str) -> Path:
    return settings.LOCALE_PATHS[0] / language / "LC_MESSAGES" / f"django.{suffix}"


def messages(entries) -> dict:
    """(context, message) to its translation(s), for the translated entries."""
    found = {}
    for entry in entries:
        translated = entry.msgstr or any(entry.msgstr_plural.values())
        if entry.obsolete or not entry.msgid or not translated or "fuzzy" in entry.flags:
            continue
        key = (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")
        found[key] = (
            tuple(entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural))
            if entry.msgid_plural
            else (entry.msgstr,)
        )
    return found


def test_every_language_but_english_has_a_catalogue():
    assert LANGUAGES == ["fr", "de", "ar"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_and_none_is_fuzzy(language):
    po = polib.pofile(catalogue(language, "po"))
    assert len(po) > 300
    assert [entry.msgid for entry in po.untranslated_entries()] == []
    assert [entry.msgid for entry in po.fuzzy_entries()] == []
    assert [entry.msgid for entry in po.obsolete_entries()] == []
    assert not po.metadata_is_fuzzy


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_committed_compiled_catalogue_is_the_source_compiled(language):
    """A .po edited without `compilemessages` would leave the site showing the old words."""
    po = messages(polib.pofile(catalogue(language, "po")))
    mo = messages(polib.mofile(catalogue(language, "mo")))
    assert set(po) - set(mo) == set(), "messages missing from the .mo: run compilemessages"
    assert set(mo) - set(po) == set(), "messages only in the .mo: run compilemessages"
    assert {key: value for key, value in po.items() if mo[key] != value} == {}


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders_of_the_english(language):
    for entry in polib.pofile(catalogue(language, "po")):
        english = set(placeholders(entry.msgid)) | set(placeholders(entry.msgid_plural or ""))
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for translation in translations:
            assert set(placeholders(translation)) <= english, (entry.msgid, translation)
            if not entry.msgid_plural:
                assert set(placeholders(translation)) == english, (entry.msgid, translation)


def placeholders(text: str) -> list[str]:
    return re.findall(r"%\((\w+)\)s", text)


@pytest.mark.skipif(not shutil.which("xgettext"), reason="GNU gettext is not installed")
def test_every_text_of_the_interface_is_in_the_catalogues(tmp_path):
    """`make messages` on a copy of the code finds no text the committed catalogues lack: a
    new or changed text fails here until it is translated, not silently shown in English."""
    base = Path(settings.BASE_DIR)
    for folder in ["directory", "orgs", "surveys", "templates"]:
        shutil.copytree(base / folder, tmp_path / folder, ignore=shutil.ignore_patterns("*.pyc"))
    shutil.copy(base / "manage.py", tmp_path)
    (tmp_path / "locale").mkdir()
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--no-location", "-l", "fr"],
        cwd=tmp_path,
        env={**os.environ, "DEBUG": "1"},
        check=True,
        capture_output=True,
    )
    found = polib.pofile(tmp_path / "locale" / "fr" / "LC_MESSAGES" / "django.po")
    wanted = {(entry.msgctxt or "", entry.msgid, entry.msgid_plural or "") for entry in found}
    for language in LANGUAGES:
        translated = set(messages(polib.pofile(catalogue(language, "po"))))
        assert sorted(wanted - translated) == [], f"untranslated in {language}: run make messages"
