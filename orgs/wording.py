"""Words about records that pages and partner reasons share."""

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
