"""schema.org JSON-LD for a record's page, built from what the page's view already read.

Search engines and link previews read a record from it: an organisation as an `NGO` (the
reports list non-governmental associations, initiatives and their networks; `NGO` is a kind of
`Organization`, so readers that know only the latter still understand it), an advocate as a
`Person`, a network as an `Organization` with its members. Each says which reports cite it
(`subjectOf`), in the page's language (`inLanguage`, addresses of that language).

Only what the page shows goes in: the public address of an organisation or a network, never a
person's own address (kept apart, in `PersonalAddress`, which these records' querysets do not
read). Every relation used here is prefetched by the page's selector
(`selectors.public_records`), so building it costs no query.
"""

import json

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from orgs.links import is_web_url
from orgs.models import Advocate, Network, Organisation

CONTEXT = "https://schema.org"

# A record's summary for link previews when it has no description of its own, by its type.
FALLBACK_SUMMARY = {
    "NGO": _(
        "%(name)s: an organisation in the directory of migrant-led and refugee-led "
        "organisations in Europe, with the reports that cite it."
    ),
    "Person": _(
        "%(name)s: an advocate in the directory of migrant-led and refugee-led organisations "
        "in Europe, with the reports that cite them."
    ),
    "Organization": _(
        "%(name)s: a network in the directory of migrant-led and refugee-led organisations in "
        "Europe, with the reports that cite it."
    ),
}

# As Django's `json_script`: a name or description holding "</script>" cannot end the block.
SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def as_script(data: dict) -> SafeString:
    """The JSON-LD in a `<script type="application/ld+json">`: data, not code, which the
    content security policy leaves alone (no script runs from it)."""
    text = json.dumps(data, ensure_ascii=False).translate(SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


def page_context(data: dict) -> dict:
    """What a record's template needs for search engines and link previews: the JSON-LD
    block, the page's own address, and a summary (the record's description or roles, else a
    sentence saying what it is)."""
    kind = data["@type"]
    summary = data.get("description") or data.get("jobTitle")
    return {
        "json_ld": as_script(data),
        "page_url": data["url"],
        "summary": summary or FALLBACK_SUMMARY[kind] % {"name": data["name"]},
        "preview_kind": "profile" if kind == "Person" else "website",
    }


def organisation(record: Organisation, request) -> dict:
    data = described(record, "NGO", request)
    websites = [record.website, *record.other_websites] if record.website else []
    data.update(
        {
            "sameAs": web_addresses(websites),
            "email": record.email,
            "foundingDate": str(record.founded) if record.founded else None,
            "member": [
                linked("Person", affiliation.advocate, request)
                for affiliation in record.affiliations.all()
                if affiliation.is_current
            ],
            "memberOf": [
                linked("Organization", membership.network, request)
                for membership in record.memberships.all()
            ],
        }
    )
    return without_empty(data)


def advocate(record: Advocate, request) -> dict:
    """A person: their name, organisations and networks, never an email address (their own
    address is personal, and the organisations' are on the organisations' pages)."""
    data = described(record, "Person", request)
    affiliations = record.affiliations.all()
    data.update(
        {
            "jobTitle": record.roles,
            "worksFor": [
                linked("NGO", affiliation.organisation, request)
                for affiliation in affiliations
                if affiliation.is_current
            ],
            "affiliation": [
                linked("NGO", affiliation.organisation, request) for affiliation in affiliations
            ],
            "memberOf": [
                linked("Organization", membership.network, request)
                for membership in record.memberships.all()
            ],
        }
    )
    return without_empty(data)


def network(record: Network, request) -> dict:
    data = described(record, "Organization", request)
    data.update(
        {
            "sameAs": web_addresses([*record.websites, *record.social_media]),
            "email": record.email,  # the profile's published address (a person's is kept apart)
            "foundingDate": str(record.founded) if record.founded else None,
            "member": [
                linked("NGO" if membership.organisation else "Person", membership.member, request)
                for membership in record.memberships.all()
            ],
        }
    )
    return without_empty(data)


def described(record, kind: str, request) -> dict:
    """What every record says: its names, page, places, focus and the reports that cite it."""
    return {
        "@context": CONTEXT,
        "@type": kind,
        "@id": absolute(record.get_absolute_url(), request),
        "name": record.name,
        "alternateName": [alias.name for alias in record.aliases.all()],
        "url": absolute(record.get_absolute_url(), request),
        "description": getattr(record, "description", ""),
        "inLanguage": get_language(),
        "address": addresses(record),
        "areaServed": [
            {"@type": "Country", "name": country.translated_name, "identifier": country.code}
            for country in record.countries.all()
        ],
        "knowsAbout": [focus.translated_name for focus in record.focus_areas.all()],
        "subjectOf": reports(record, request),
    }


def addresses(record) -> list[dict]:
    """A postal address per city (its country's ISO code with it); per country for a record
    the reports place in a country only."""
    cities = list(record.cities.all())
    found = [
        {
            "@type": "PostalAddress",
            "addressLocality": city.name,
            "addressCountry": city.country.code,
        }
        for city in cities
    ]
    placed = {city.country.code for city in cities}
    found += [
        {"@type": "PostalAddress", "addressCountry": country.code}
        for country in record.countries.all()
        if country.code not in placed
    ]
    return found


def reports(record, request) -> list[dict]:
    """The reports that cite the record, each once, as our page of the report."""
    found = {}
    for citation in record.citations.all():
        source = citation.source
        found.setdefault(
            source.key,
            without_empty(
                {
                    "@type": "Report",
                    "name": source.title,
                    "url": absolute(reverse("orgs:source", args=[source.key]), request),
                    "sameAs": source.url if is_web_url(source.url) else "",
                    "datePublished": str(source.year),
                }
            ),
        )
    return list(found.values())


def linked(kind: str, record, request) -> dict:
    return {"@type": kind, "name": record.name, "url": absolute(record.get_absolute_url(), request)}


def web_addresses(addresses: list[str]) -> list[str]:
    return [address.strip() for address in addresses if address and is_web_url(address)]


def absolute(path: str, request) -> str:
    return request.build_absolute_uri(path)


def without_empty(data: dict) -> dict:
    return {key: value for key, value in data.items() if value not in ("", None, [])}
