"""How a name reads inside a sentence, in the active language.

The pages' headings, the like-minded partners' reasons and the empty lists' suggestions all
put a term's name or a filter's label inside a sentence ("Both work on health and
healthcare"); each language decides whether it keeps its capital there.
"""

from django.utils.translation import get_language

# Languages that write a term's name in lower case within a sentence (German keeps its
# nouns' capitals; Arabic has none).
LOWER_CASE_WITHIN_SENTENCES = {"en", "fr"}


def lower_first(label: str) -> str:
    """A term's name within a sentence: "Health and healthcare" reads "health and healthcare";
    "EU" and "LGBTIQ+" stay, and so does every name on a German page."""
    if get_language() not in LOWER_CASE_WITHIN_SENTENCES or (len(label) > 1 and label[1].isupper()):
        return label
    return label[:1].lower() + label[1:]


def common_noun(label) -> str:
    """A filter's label inside a sentence: lowercase, but in German, which capitalises nouns."""
    return str(label) if get_language() == "de" else str(label).lower()
