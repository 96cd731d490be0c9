"""The reconciliation service: the Reconciliation Service API 0.2, which OpenRefine speaks, so
that a funder matches a column of names to the directory's records and adds our columns.

Addresses, under `/api/reconcile/`:

| address | what it answers |
| --- | --- |
| `GET /api/reconcile/` | the service's manifest |
| `GET` or `POST` (form) `/api/reconcile/?queries={...}` | candidates for a batch of names |
| `GET` or `POST` (form) `/api/reconcile/?extend={...}` | data extension: values of records |
| `GET /api/reconcile/properties/?type=` | the properties a type's records can extend with |
| `GET /api/reconcile/suggest/{entity,type,property}/?prefix=&cursor=` | auto-completion |
| `GET /api/reconcile/preview/?id=` | a small HTML card of a record, for OpenRefine's pop-up |

- Types: `organisation`, `advocate`, `network`. A query without a type is matched against all
  three; a candidate's `type` always names its own.
- Ids are the paths of the records' pages: `organisations/<slug>`, `advocates/<slug>`,
  `networks/<slug>`, so the manifest's `view` is the site's address followed by the id. An id
  with a slug the record had before a merge or rename still resolves (preview, extension).
- Query properties (`pid`): `country` (a name in any language search knows, or the ISO code),
  `city` (a name in any language the city carries), `website`. Each that agrees raises the
  score; how the score is made is in `orgs.selectors.matching`.
- Extension properties: country, city, leadership, focus areas, website, source report and
  confirmed date. Advocates are people: their extension offers only what their public page
  shows (countries, cities, focus areas, reports, confirmed date), never an email address.
- Bounds: at most MAX_QUERIES queries and MAX_IDS ids a request, `limit` from 1 to MAX_LIMIT,
  a name of at most MAX_NAME characters, suggest's `cursor` up to MAX_CURSOR. Anything else
  (malformed JSON, wrong types, unknown types or properties) is a 400 naming the parameter.
- JSONP (`callback`) is not offered: OpenRefine posts its queries, and every answer carries
  CORS headers (`CORS_URLS_REGEX` covers `/api/`), which browsers' clients use instead.
- The service is left out of the OpenAPI schema: its contract is the reconciliation
  specification and its JSON schemas, which the tests validate every answer against.
"""

import json
import math

from csp.decorators import csp_replace
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.clickjacking import xframe_options_exempt
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view, parser_classes, renderer_classes
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from orgs.choices import Leadership
from orgs.models import (
    SEARCH_FIELDS,
    Advocate,
    AdvocateCitation,
    FormerAdvocateSlug,
    FormerOrganisationSlug,
    Network,
    NetworkCitation,
    Organisation,
    OrganisationCitation,
)
from orgs.paging import whole_number
from orgs.search import words
from orgs.selectors import matching
from orgs.selectors.public_records import PUBLIC
from orgs.selectors.search import matching as search_matching

MAX_QUERIES = 100
MAX_IDS = 100
MAX_LIMIT = 25
DEFAULT_LIMIT = 5
MAX_NAME = 300
MAX_CURSOR = 100
SUGGEST_SIZE = 10
PREVIEW_SIZE = {"width": 400, "height": 160}

# Each kind of record: its type's name and the first segment of its pages' paths.
TYPES = {
    "organisation": (_("Organisation"), "organisations"),
    "advocate": (_("Advocate"), "advocates"),
    "network": (_("Network"), "networks"),
}
KIND_OF_SEGMENT = {segment: kind for kind, (_name, segment) in TYPES.items()}
MODELS = {"organisation": Organisation, "advocate": Advocate, "network": Network}
CITATIONS = {
    "organisation": OrganisationCitation,
    "advocate": AdvocateCitation,
    "network": NetworkCitation,
}
FORMER_SLUGS = {"organisation": FormerOrganisationSlug, "advocate": FormerAdvocateSlug}

# What a query's properties may name, and what each extension property is, by kind.
QUERY_PROPERTIES = {
    "country": _("Country"),
    "city": _("City"),
    "website": _("Website"),
}
EXTENSION_PROPERTIES = {
    "country": _("Country"),
    "city": _("City"),
    "leadership": _("Leadership"),
    "focus_areas": _("Focus areas"),
    "website": _("Website"),
    "source_report": _("Report"),
    "confirmed_on": _("Confirmed by the listed"),
}
EXTENDS = {
    "organisation": list(EXTENSION_PROPERTIES),
    "advocate": ["country", "city", "focus_areas", "source_report", "confirmed_on"],
    "network": ["country", "city", "focus_areas", "website", "source_report", "confirmed_on"],
}
QUERY_KEYS = {"query", "type", "limit", "properties", "type_strict"}


def refuse(parameter: str, reason: str):
    raise ValidationError({parameter: [reason]})


def type_of(kind: str) -> dict:
    return {"id": kind, "name": str(TYPES[kind][0])}


def record_id(record) -> str:
    """A record's id: its page's path, without the language or the slashes around it."""
    return f"{TYPES[record._meta.model_name][1]}/{record.slug}"


def site(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


# The manifest, queries and data extension: one address.


@extend_schema(exclude=True)
@api_view(["GET", "POST"])
@parser_classes([FormParser, MultiPartParser])
@renderer_classes([JSONRenderer])
def service(request):
    """The manifest, or the answers to `queries` or to `extend` (as GET parameters or form
    fields)."""
    given = request.data if request.method == "POST" else request.query_params
    if "callback" in given or "callback" in request.query_params:
        refuse("callback", "JSONP is not offered: call from any origin with CORS instead.")
    if "queries" in given:
        return Response(answer_queries(one_value(given, "queries")))
    if "extend" in given:
        return Response(extend(one_value(given, "extend")))
    return Response(manifest(request))


def one_value(given, name: str) -> str:
    values = given.getlist(name)
    if len(values) != 1:
        refuse(name, "Given more than once: give one value.")
    return values[0]


def manifest(request) -> dict:
    base = site(request)
    path = reverse("reconcile")
    suggest = {
        name: {"service_url": base, "service_path": reverse(f"reconcile-suggest-{name}")}
        for name in ("entity", "type", "property")
    }
    return {
        "versions": ["0.2"],
        "name": gettext("Migrant-led Europe directory"),
        "identifierSpace": f"{base}/",
        "schemaSpace": f"{base}{path}",
        "documentation": f"{base}{reverse('api-docs')}",
        "view": {"url": f"{base}/{{{{id}}}}/"},
        "preview": {"url": f"{base}{reverse('reconcile-preview')}?id={{{{id}}}}", **PREVIEW_SIZE},
        "defaultTypes": [type_of(kind) for kind in TYPES],
        "suggest": suggest,
        "extend": {
            "propose_properties": {
                "service_url": base,
                "service_path": reverse("reconcile-properties"),
            },
            "property_settings": [],
        },
    }


def parsed_json(text: str, parameter: str):
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        refuse(parameter, "Not JSON: give a JSON object.")


def answer_queries(text: str) -> dict:
    batch = parsed_json(text, "queries")
    if not isinstance(batch, dict) or not batch:
        refuse("queries", 'Give a JSON object of queries, such as {"q0": {"query": "a name"}}.')
    if len(batch) > MAX_QUERIES:
        refuse("queries", f"At most {MAX_QUERIES} queries a request (got {len(batch)}).")
    queries = {key: parsed_query(key, query) for key, query in batch.items()}
    return {key: {"result": [candidate_json(c) for c in found(**q)]} for key, q in queries.items()}


def parsed_query(key: str, query) -> dict:
    """A query's name, kinds, limit and properties, or a 400 naming what is wrong."""
    where = f"queries.{key}"
    if not isinstance(query, dict):
        refuse(where, "Each query is a JSON object.")
    unknown = sorted(set(query) - QUERY_KEYS)
    if unknown:
        refuse(where, f"Unknown key(s): {', '.join(unknown)}. A query takes: "
               f"{', '.join(sorted(QUERY_KEYS))}.")  # fmt: skip
    name = query.get("query", "")
    if not isinstance(name, str):
        refuse(f"{where}.query", "Give the name as a string.")
    if len(name) > MAX_NAME:
        refuse(f"{where}.query", f"At most {MAX_NAME} characters (got {len(name)}).")
    return {
        "name": name,
        "kinds": parsed_types(where, query.get("type")),
        "limit": parsed_limit(where, query.get("limit", DEFAULT_LIMIT)),
        **parsed_properties(where, query.get("properties", [])),
    }


def parsed_types(where: str, value) -> list[str]:
    if value is None:
        return list(TYPES)
    types = [value] if isinstance(value, str) else value
    if not isinstance(types, list) or not all(isinstance(kind, str) for kind in types):
        refuse(f"{where}.type", "Give a type, or a list of types, as strings.")
    unknown = [kind for kind in types if kind not in TYPES]
    if unknown:
        refuse(f"{where}.type", f"Unknown type {unknown[0]!r}. Types: {', '.join(TYPES)}.")
    return list(dict.fromkeys(types)) or list(TYPES)


def parsed_limit(where: str, value) -> int:
    whole = f"Give a whole number from 1 to {MAX_LIMIT}"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        refuse(f"{where}.limit", f"{whole}.")
    if isinstance(value, float) and not (math.isfinite(value) and value.is_integer()):
        refuse(f"{where}.limit", f"{whole}.")
    if not 1 <= value <= MAX_LIMIT:
        refuse(f"{where}.limit", f"{whole} (got {value!r:.20}).")
    return int(value)


def parsed_properties(where: str, value) -> dict:
    """The places and website a query gives (the first value of each)."""
    if not isinstance(value, list):
        refuse(f"{where}.properties", "Give a list of properties, each {pid, v}.")
    given = {}
    for item in value:
        if not isinstance(item, dict) or set(item) != {"pid", "v"}:
            refuse(f"{where}.properties", "Each property is an object with `pid` and `v`.")
        pid = item["pid"]
        if not isinstance(pid, str) or pid not in QUERY_PROPERTIES:
            known = ", ".join(QUERY_PROPERTIES)
            refuse(f"{where}.properties", f"Unknown property {pid!r}. Properties: {known}.")
        text = property_text(item["v"])
        if text is None:
            refuse(f"{where}.properties", f"Give {pid}'s value as a string, or a list of them.")
        if len(text) > MAX_NAME:
            refuse(f"{where}.properties", f"At most {MAX_NAME} characters (got {len(text)}).")
        if text and pid not in given:
            given[pid] = text
    return given


def property_text(value) -> str | None:
    """A property's value as text: a string, a number, an entity's id, or a list's first."""
    if isinstance(value, list):
        texts = [property_text(item) for item in value]
        if any(text is None for text in texts):
            return None
        return next((text for text in texts if text), "")
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dict) and isinstance(value.get("id"), str):
        return value.get("id").strip()
    return None


def found(name, kinds, limit, **places) -> list[matching.Candidate]:
    """The candidates of each kind asked for, best first; among several kinds, the best is a
    match only if it leads the other kinds' best as a match leads its runner-up."""
    candidates = []
    for kind in kinds:
        candidates += matching.candidates_for(name, kind, limit=limit, **places)
    if len(kinds) > 1:
        candidates.sort(key=lambda candidate: -candidate.score)
        for candidate in candidates[1:]:
            candidate.match = False
        if len(candidates) > 1 and candidates[0].match:
            lead = candidates[0].score - candidates[1].score
            candidates[0].match = lead >= matching.MATCH_LEAD
    return candidates[:limit]


def candidate_json(candidate: matching.Candidate) -> dict:
    record = candidate.record
    return {
        "id": record_id(record),
        "name": record.name,
        "score": candidate.score,
        "match": candidate.match,
        "type": [type_of(record._meta.model_name)],
        "description": description(record),
    }


def description(record) -> str:
    """Where a record works, and (an organisation's) who leads it: to tell namesakes apart."""
    parts = [country.name for country in record.countries.all()]
    parts += [city.name for city in record.cities.all()]
    kind = record._meta.model_name
    if kind == "organisation" and record.leadership != Leadership.UNKNOWN:
        parts.append(str(record.get_leadership_display()))
    return " · ".join(parts)


# Data extension.


def extend(text: str) -> dict:
    asked = parsed_json(text, "extend")
    if not isinstance(asked, dict) or not {"ids", "properties"} <= set(asked):
        refuse("extend", 'Give a JSON object such as {"ids": [...], "properties": [...]}.')
    ids, properties = asked["ids"], asked["properties"]
    if not isinstance(ids, list) or not all(isinstance(value, str) for value in ids):
        refuse("extend.ids", "Give the ids as a list of strings.")
    if len(ids) > MAX_IDS:
        refuse("extend.ids", f"At most {MAX_IDS} ids a request (got {len(ids)}).")
    if not isinstance(properties, list) or not all(
        isinstance(item, dict) and isinstance(item.get("id"), str) for item in properties
    ):
        refuse("extend.properties", "Give the properties as a list of objects with an `id`.")
    wanted = list(dict.fromkeys(item["id"] for item in properties))
    unknown = [pid for pid in wanted if pid not in EXTENSION_PROPERTIES]
    if unknown:
        known = ", ".join(EXTENSION_PROPERTIES)
        refuse("extend.properties", f"Unknown property {unknown[0]!r}. Properties: {known}.")
    records = records_by_id(ids)
    rows = {}
    for value in ids:
        record = records.get(value)
        rows[value] = {pid: values_of(record, pid) if record else [] for pid in wanted}
    meta = [{"id": pid, "name": str(EXTENSION_PROPERTIES[pid])} for pid in wanted]
    return {"meta": meta, "rows": rows}


def kind_and_slug(value: str) -> tuple[str, str] | None:
    segment, _slash, slug = value.strip("/").partition("/")
    kind = KIND_OF_SEGMENT.get(segment)
    return (kind, slug) if kind and slug and "/" not in slug else None


def records_by_id(ids: list[str]) -> dict:
    """The public records the ids name (by their slug, or one they had before a merge or a
    rename), by id: a query a kind, and one per relation, whatever the number of ids."""
    slugs = {}
    for value in ids:
        parsed = kind_and_slug(value)
        if parsed:
            slugs.setdefault(parsed[0], {})[parsed[1]] = value
    found_records = {}
    for kind, wanted in slugs.items():
        for record in extension_records(kind, list(wanted)):
            former = [former.slug for former in getattr(record, "asked_former_slugs", [])]
            for slug in [record.slug, *former]:
                if slug in wanted:
                    found_records[wanted[slug]] = record
    return found_records


def extension_records(kind: str, slugs: list[str]):
    """The public records of `kind` with these slugs now or before, with what they extend."""
    model = MODELS[kind]
    condition = Q(slug__in=slugs)
    relations = [
        "countries",
        "cities",
        "focus_areas",
        Prefetch("citations", CITATIONS[kind].objects.select_related("source")),
    ]
    if kind in FORMER_SLUGS:
        condition |= Q(former_slugs__slug__in=slugs)
        former = FORMER_SLUGS[kind].objects.filter(slug__in=slugs)
        relations.append(Prefetch("former_slugs", former, to_attr="asked_former_slugs"))
    records = PUBLIC[model]().defer(*SEARCH_FIELDS).filter(condition).distinct()
    return records.prefetch_related(*relations)


def values_of(record, pid: str) -> list[dict]:
    kind = record._meta.model_name
    if pid not in EXTENDS[kind]:
        return []
    if pid == "country":
        return [{"str": country.name} for country in record.countries.all()]
    if pid == "city":
        return [{"str": city.name} for city in record.cities.all()]
    if pid == "focus_areas":
        return [{"str": area.name} for area in record.focus_areas.all()]
    if pid == "leadership":
        if record.leadership == Leadership.UNKNOWN:
            return []
        return [{"str": str(record.get_leadership_display())}]
    if pid == "website":
        sites = matching.websites_of(record)
        return [{"str": address} for address in sites if address]
    if pid == "source_report":
        sources = dict.fromkeys(str(citation.source) for citation in record.citations.all())
        return [{"str": source} for source in sources]
    if pid == "confirmed_on":
        if not record.confirmed_on:
            return []
        return [{"date": f"{record.confirmed_on.isoformat()}T00:00:00Z"}]
    return []


# Proposed properties and suggest.


def kind_parameter(request, name: str = "type", default: str | None = None) -> str | None:
    value = request.query_params.get(name, "")
    if not value:
        return default
    if value not in TYPES:
        refuse(name, f"Unknown type {value!r}. Types: {', '.join(TYPES)}.")
    return value


def number_parameter(request, name: str, default: int, smallest: int, largest: int) -> int:
    value = request.query_params.get(name)
    if value is None or value == "":
        return default
    number = whole_number(value)
    if number is None or not smallest <= number <= largest:
        refuse(name, f"Give a whole number from {smallest} to {largest} (got {value!r}).")
    return number


@extend_schema(exclude=True)
@api_view(["GET"])
@renderer_classes([JSONRenderer])
def properties(request):
    """The properties the records of a type can add to a sheet (`type`, default organisation)."""
    kind = kind_parameter(request, default="organisation")
    limit = number_parameter(request, "limit", len(EXTENSION_PROPERTIES), 1, MAX_LIMIT)
    proposed = [property_json(pid) for pid in EXTENDS[kind]][:limit]
    return Response({"type": kind, "limit": limit, "properties": proposed})


def property_json(pid: str) -> dict:
    return {"id": pid, "name": str(EXTENSION_PROPERTIES.get(pid) or QUERY_PROPERTIES[pid])}


def prefix_parameter(request) -> str:
    prefix = request.query_params.get("prefix", "").strip()
    if not prefix:
        refuse("prefix", "Give the beginning of a name.")
    if len(prefix) > MAX_NAME:
        refuse("prefix", f"At most {MAX_NAME} characters (got {len(prefix)}).")
    return prefix


def starts(prefix: str, *texts: str) -> bool:
    folded = " ".join(words(prefix))
    return any(" ".join(words(str(text))).startswith(folded) for text in texts)


@extend_schema(exclude=True)
@api_view(["GET"])
@renderer_classes([JSONRenderer])
def suggest_entity(request):
    """Records whose names begin with the prefix's words, organisations first (or of `type`),
    SUGGEST_SIZE from `cursor`."""
    prefix = prefix_parameter(request)
    cursor = number_parameter(request, "cursor", 0, 0, MAX_CURSOR)
    kind = kind_parameter(request)
    kinds = [kind] if kind else list(TYPES)
    records = []
    for each in kinds:
        listed = PUBLIC[MODELS[each]]().defer(*SEARCH_FIELDS).prefetch_related("countries")
        records += list(search_matching(listed, prefix)[: cursor + SUGGEST_SIZE])
    result = [
        {
            "id": record_id(record),
            "name": record.name,
            "description": ", ".join(country.name for country in record.countries.all()),
            "notable": [type_of(record._meta.model_name)],
        }
        for record in records[cursor : cursor + SUGGEST_SIZE]
    ]
    return Response({"result": result})


@extend_schema(exclude=True)
@api_view(["GET"])
@renderer_classes([JSONRenderer])
def suggest_type(request):
    prefix = prefix_parameter(request)
    cursor = number_parameter(request, "cursor", 0, 0, MAX_CURSOR)
    result = [type_of(kind) for kind in TYPES if starts(prefix, kind, TYPES[kind][0])]
    return Response({"result": result[cursor : cursor + SUGGEST_SIZE]})


@extend_schema(exclude=True)
@api_view(["GET"])
@renderer_classes([JSONRenderer])
def suggest_property(request):
    """Properties a query may give or a sheet may add, whose id or name begins so."""
    prefix = prefix_parameter(request)
    cursor = number_parameter(request, "cursor", 0, 0, MAX_CURSOR)
    kind = kind_parameter(request)
    pids = dict.fromkeys([*QUERY_PROPERTIES, *(EXTENDS[kind] if kind else EXTENSION_PROPERTIES)])
    result = [
        property_json(pid)
        for pid in pids
        if starts(prefix, pid, EXTENSION_PROPERTIES.get(pid) or QUERY_PROPERTIES[pid])
    ]
    return Response({"result": result[cursor : cursor + SUGGEST_SIZE]})


# Preview.


@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})
def preview(request):
    """A record's card for OpenRefine's pop-up, which shows it in a frame of its own page: so
    any page may frame it (it holds public text and no form)."""
    value = request.GET.get("id", "")
    parsed = kind_and_slug(value) if len(value) <= MAX_NAME else None
    record = records_by_id([value]).get(value) if parsed else None
    if record is None:
        raise Http404("No such record.")
    context = {
        "record": record,
        "type_name": TYPES[record._meta.model_name][0],
        "description": description(record),
        "focus_areas": [area.name for area in record.focus_areas.all()],
    }
    return render(request, "api/reconcile_preview.html", context)
