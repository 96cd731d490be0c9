"""An automatic reading of a free-text survey cell that no editor's mapping table covers.

The fixture build never uses it: there every EPIM cell must have a line in its table, so that an
editor decided how it reads. The importer (`orgs.services.records_import.reading`) reads new
files whose cells no table knows; it asks the tables first and falls back to these readings,
keeping the cell's text in the record's *_raw field either way.
"""

import re
from dataclasses import dataclass, field

from django.utils.text import slugify
from django_countries import countries

from orgs.models import Leadership, LegalForm

# Words of a "Form" cell, in the order they are tried (a longer phrase before its words).
FORM_WORDS = [
    ("social enterprise", LegalForm.SOCIAL_ENTERPRISE),
    ("international organisation", LegalForm.INTERNATIONAL),
    ("international organization", LegalForm.INTERNATIONAL),
    ("public authority", LegalForm.PUBLIC_AUTHORITY),
    ("advisory", LegalForm.COUNCIL),
    ("council", LegalForm.COUNCIL),
    ("association", LegalForm.ASSOCIATION),
    ("network", LegalForm.NETWORK),
    ("community", LegalForm.COMMUNITY),
    ("initiative", LegalForm.INITIATIVE),
    ("group", LegalForm.GROUP),
    ("programme", LegalForm.PROGRAMME),
    ("program", LegalForm.PROGRAMME),
    ("media", LegalForm.MEDIA),
    ("organisation", LegalForm.ORGANISATION),
    ("organization", LegalForm.ORGANISATION),
    ("ngo", LegalForm.ORGANISATION),
    ("non-profit", LegalForm.ORGANISATION),
    ("charity", LegalForm.ORGANISATION),
    ("institution", LegalForm.ORGANISATION),
    ("foundation", LegalForm.ORGANISATION),
]
LED = re.compile(r"([\w ]+?)\s*-\s*led\b", re.IGNORECASE)
LEADERSHIP_WORDS = {
    "migrant": Leadership.MIGRANT_LED,
    "refugee": Leadership.REFUGEE_LED,
    "diaspora": Leadership.DIASPORA_LED,
}
SCOPE_WORDS = {
    "local": ["local"],
    "regional": ["local"],
    "national": ["national"],
    "eu": ["eu"],
    "european": ["eu"],
    "europe": ["eu"],
    "global": ["global"],
    "international": ["global"],
    "all": ["local", "national", "eu", "global"],
}
TOKEN_SEPARATORS = re.compile(r"[,;&]")
SMALL_WORDS = {"and", "the", "of", "in", "general", "for"}


def words(text: str) -> set[str]:
    """The words of a text, lowercase and without a plural s: "Migrant/refugee women"."""
    plain = slugify(re.sub(r"[\W_]+", " ", text)).split("-")
    return (
        {word.removesuffix("s") if len(word) > 3 else word for word in plain} - SMALL_WORDS - {""}
    )


@dataclass
class AutomaticReading:
    """Readings of unmapped cells, knowing the vocabularies and the country spellings seen so far.

    `terms` is {"focus_areas" | "target_groups": {name: slug}}; `country_names` maps spellings
    that django-countries does not know ("UK", "Danmark") to codes; `known_cells` holds what
    the editors' tables map a whole cell to ("all" target groups), to read it as a part.
    """

    terms: dict[str, dict[str, str]]
    country_names: dict[str, str] = field(default_factory=dict)
    # {vocabulary: {a cell's text, lowercase: slugs}}: what editors mapped a whole cell to.
    known_cells: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    def country(self, text: str) -> str:
        """The ISO code a country name or code names, or "" when it names none."""
        text = text.strip().rstrip(".").strip()
        if not text:
            return ""
        if text.upper() in countries and len(text) == 2:
            return text.upper()
        known = self.country_names.get(text.lower())
        if known:
            return known
        without_article = re.sub(r"^the\s+", "", text, flags=re.IGNORECASE)
        return countries.by_name(text) or countries.by_name(without_article) or ""

    def place(self, cell: str) -> tuple[str, list[str]]:
        """("AT", ["Vienna"]) from "Vienna, Austria": the last part names the country if any."""
        parts = [part.strip() for part in cell.split(",") if part.strip()]
        country = self.country(parts[-1]) if parts else ""
        if country:
            parts = parts[:-1]
        cities = [city.strip() for part in parts for city in part.split("/") if city.strip()]
        return country, cities

    def form(self, cell: str) -> tuple[str, str, str]:
        """(form, leadership, the words claiming it) from "Initiative, Migrant-led"."""
        lowered = cell.lower()
        form = LegalForm.UNKNOWN
        without_led = LED.sub(" ", lowered)
        for word, value in FORM_WORDS:
            if re.search(rf"\b{re.escape(word)}\b", without_led):
                form = value
                break
        leadership, quote = Leadership.UNKNOWN, ""
        match = LED.search(cell)
        if match:
            quote = match.group(0).strip()
            named = words(match.group(1))
            led_by = [LEADERSHIP_WORDS[word] for word in LEADERSHIP_WORDS if word in named]
            if named & {"not", "non"}:
                leadership = Leadership.NOT_MIGRANT_LED
            else:
                leadership = led_by[0] if len(led_by) == 1 else Leadership.OTHER
        return str(form), str(leadership), quote

    def levels(self, cell: str) -> list[str]:
        levels = []
        for token in re.split(r"[,;/]", cell):
            for level in SCOPE_WORDS.get(token.strip().lower(), []):
                if level not in levels:
                    levels.append(level)
        return levels

    def vocabulary_terms(self, vocabulary: str, cell: str) -> list[str]:
        """Terms whose name (or slug) a part of the cell gives: exactly, or as words of it.

        A part that shares its words with several terms matches none of them, unless one
        is named exactly: "Migrants" is the term Migrants, not "Undocumented migrants".
        """
        names = self.terms[vocabulary]
        exact = {slugify(name): slug for name, slug in names.items()}
        exact.update({slug: slug for slug in names.values()})
        known = self.known_cells.get(vocabulary, {})
        found = []
        for token in TOKEN_SEPARATORS.split(cell):
            key = slugify(token)
            if not key:
                continue
            slug = exact.get(key) or exact.get(key.removesuffix("s"))
            if slug is None and token.strip().lower() in known:
                found += [slug for slug in known[token.strip().lower()] if slug not in found]
                continue
            if slug is None:
                token_words = words(token)
                candidates = {
                    slug
                    for name, slug in names.items()
                    if token_words and token_words <= words(name) | words(slug)
                }
                slug = candidates.pop() if len(candidates) == 1 else None
            if slug and slug not in found:
                found.append(slug)
        return found
