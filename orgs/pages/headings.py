"""A filtered list's title in words: "Refugee-led organisations in Greece working on health".

Built from the valid chosen values (`filters.active_values`), so it needs no query; what has
no phrase of its own is added in brackets ("Networks (Type of network: Informal group)").
Each phrase is one message with placeholders, so that a translation can order its words as
its language does ("Organisationen (Griechenland) mit Schwerpunkt Gesundheit").
"""

from django.utils.translation import gettext, pgettext

from orgs.models import Leadership
from orgs.wording import lower_first

# The list's noun as a heading begins.
NOUNS = {
    "organisations": lambda: pgettext("list heading", "organisations"),
    "advocates": lambda: pgettext("list heading", "advocates"),
    "networks": lambda: pgettext("list heading", "networks"),
}

# Leadership values that read as an adjective of the noun ("Refugee-led organisations").
LED = {
    Leadership.MIGRANT_LED: lambda: pgettext("list heading", "migrant-led"),
    Leadership.REFUGEE_LED: lambda: pgettext("list heading", "refugee-led"),
    Leadership.DIASPORA_LED: lambda: pgettext("list heading", "diaspora-led"),
}

# Filter name: its phrase, in the order the phrases follow the noun and the place.
PHRASES = {
    "focus": lambda values: gettext("working on %(values)s") % {"values": values},
    "target_group": lambda values: gettext("for %(values)s") % {"values": values},
    "level": lambda values: gettext("at %(values)s level") % {"values": values},
    "network": lambda values: gettext("in the network %(values)s") % {"values": values},
    "source": lambda values: gettext("named in %(values)s") % {"values": values},
}
# Whether the listed confirmed the records, as a phrase of its own (not "yes" in brackets).
CONFIRMED = {
    "true": lambda: gettext("confirmed by the listed"),
    "false": lambda: gettext("not yet confirmed by the listed"),
}
# Filters whose labels are names, kept as written ("Migrant-led advocacy across Europe").
NAMES = {"network", "source"}


def either(labels: list[str]) -> str:
    return gettext(" or ").join(labels)


def list_heading(active: list[dict], noun: str) -> str:
    """The list's title: `noun` (plural, lowercase) with what the chosen values select."""
    chosen: dict[str, list[dict]] = {}
    for value in active:
        chosen.setdefault(value["name"], []).append(value)

    heading = NOUNS[noun]()
    leadership = chosen.pop("leadership", [])
    if leadership and all(value["value"] in LED for value in leadership):
        led = either([LED[value["value"]]() for value in leadership])
        heading = gettext("%(leadership)s %(noun)s") % {"leadership": led, "noun": heading}
        leadership = []

    words = [heading]
    cities = [value["label"] for value in chosen.pop("city", [])]
    countries = [value["label"] for value in chosen.pop("country", [])]
    if cities or countries:
        places = ", ".join(filter(None, [either(cities), either(countries)]))
        words.append(gettext("in %(places)s") % {"places": places})
    for name, phrase in PHRASES.items():
        values = chosen.pop(name, [])
        if values:
            labels = [str(v["label"]) for v in values]
            words.append(phrase(either(labels if name in NAMES else map(lower_first, labels))))
    for value in chosen.pop("confirmed", []):
        words.append(CONFIRMED[value["value"]]())
    if query := chosen.pop("q", []):
        words.append(gettext("matching “%(query)s”") % {"query": query[0]["label"]})

    others = [*([leadership] if leadership else []), *chosen.values()]
    if others:
        brackets = "; ".join(
            f"{values[0]['filter']}: {either([str(v['label']) for v in values])}"
            for values in others
        )
        words.append(f"({brackets})")
    heading = " ".join(words)
    return heading[:1].upper() + heading[1:]
