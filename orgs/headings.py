"""A filtered list's title in words: "Refugee-led organisations in Greece working on health".

Built from the valid chosen values (`filters.active_values`), so it needs no query; what has
no phrase of its own is added in brackets ("Networks (Type of network: Informal group)").
"""

from .models import Leadership

# Leadership values that read as an adjective before the noun ("Refugee-led organisations").
LED = {Leadership.MIGRANT_LED, Leadership.REFUGEE_LED, Leadership.DIASPORA_LED}

# Filter name: the words before its values, in the order the phrases follow the noun and the
# place ("in Athens, Greece").
PHRASES = {
    "focus": "working on",
    "target_group": "for",
    "level": "at",
    "network": "in the network",
    "source": "named in",
    "q": "matching",
}


def lower_first(label: str) -> str:
    """ "Health and healthcare" reads "health and healthcare"; "EU" and "LGBTIQ+" stay."""
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]


def either(labels: list[str]) -> str:
    return " or ".join(labels)


def list_heading(active: list[dict], noun: str) -> str:
    """The list's title: `noun` (plural, lowercase) with what the chosen values select."""
    chosen: dict[str, list[dict]] = {}
    for value in active:
        chosen.setdefault(value["name"], []).append(value)

    words = [noun]
    leadership = chosen.pop("leadership", [])
    if leadership and all(value["value"] in LED for value in leadership):
        words.insert(0, either([lower_first(value["label"]) for value in leadership]))
        leadership = []

    cities = [value["label"] for value in chosen.pop("city", [])]
    countries = [value["label"] for value in chosen.pop("country", [])]
    if cities or countries:
        words.append("in " + ", ".join(filter(None, [either(cities), either(countries)])))
    for name, before in PHRASES.items():
        values = chosen.pop(name, [])
        if not values:
            continue
        if name == "q":
            words.append(f"{before} “{values[0]['label']}”")
        elif name == "level":
            words.append(f"{before} {either([lower_first(v['label']) for v in values])} level")
        elif name == "network" or name == "source":
            words.append(f"{before} {either([v['label'] for v in values])}")
        else:
            words.append(f"{before} {either([lower_first(v['label']) for v in values])}")

    others = [*([leadership] if leadership else []), *chosen.values()]
    if others:
        brackets = "; ".join(
            f"{values[0]['filter']}: {either([v['label'] for v in values])}" for values in others
        )
        words.append(f"({brackets})")
    heading = " ".join(words)
    return heading[:1].upper() + heading[1:]
