"""Additions to the generated OpenAPI schema: the errors every API operation can answer, the
bounds every parameter is checked against, and a link to each list as CSV."""

from urllib.parse import urlencode

from django.conf import settings

from orgs.selectors.filters import MAX_VALUES
from orgs.selectors.search import MAX_LENGTH as SEARCH_LENGTH

ERROR = {
    "type": "object",
    "description": (
        "Each wrong parameter with its reasons, or `detail` with what went wrong: "
        '`{"country": ["Select a valid choice. XX is not one of the available choices."]}`.'
    ),
    "additionalProperties": {
        "oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]
    },
    "example": {"country": ["Select a valid choice. XX is not one of the available choices."]},
}
TEXT = {"type": "string"}
ERRORS = {
    "400": "A parameter is unknown, malformed or out of range; the body names it.",
    "401": "The token is unknown or its account is inactive.",
    "404": "No such record, or no such page.",
    "414": (
        f"The address (path and query) is longer than {settings.MAX_ADDRESS_LENGTH} "
        "characters: give fewer or shorter parameters. (A request line past 8190 bytes is "
        "refused by the web server itself, with an HTML page.)"
    ),
    "429": "Too many requests: wait the seconds the Retry-After header gives.",
}


def drop_database_ranges(result, generator, request, public):
    """Integer fields of the records take their range from the database backend (a positive
    small integer reaches 32767 on PostgreSQL, 2**63-1 on SQLite): leave it out, so that one
    schema describes the API on both."""
    for component in result.get("components", {}).get("schemas", {}).values():
        for prop in component.get("properties", {}).values():
            if prop.get("type") == "integer":
                prop.pop("maximum", None)
                prop.pop("format", None)
    return result


def document_parameter_bounds(result, generator, request, public):
    """What the API checks every query parameter against, as the schema's bounds: a value is
    never empty (`base.DirectoryViewSet.initial`), a filter takes at most MAX_VALUES values
    (`filters.BoundedMultipleChoiceField`) and the search at most its length."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] != "query":
                    continue
                schema = parameter["schema"]
                if schema.get("type") == "array":
                    schema["minItems"] = 1  # `sort=`, an empty list, is an empty value
                    if parameter.get("explode", True):
                        schema["maxItems"] = MAX_VALUES
                value = schema["items"] if schema.get("type") == "array" else schema
                if value.get("type") == "string" and "enum" not in value:
                    value["minLength"] = 1
                if parameter["name"] == "q":
                    value["maxLength"] = SEARCH_LENGTH
    return result


def optional_personal_email(result, generator, request, public):
    """`personal_email` is there for token holders only (`serializers.PersonalEmailMixin`):
    documented, but not required, since anonymous callers never get the key."""
    for component in result.get("components", {}).get("schemas", {}).values():
        if "personal_email" in component.get("properties", {}):
            component["required"].remove("personal_email")
    return result


def add_error_responses(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR
    reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for status, description in ERRORS.items():
                response = {"description": description, "content": reference}
                if status == "414":
                    # Past gunicorn's longest request line (8190 bytes), the server in front
                    # answers with a page of its own: Django never sees the request.
                    response["content"] = {**reference, "text/html": {"schema": TEXT}}
                if status == "429":
                    response["headers"] = {
                        "Retry-After": {
                            "schema": {"type": "integer"},
                            "description": "Seconds to wait before the next request.",
                        }
                    }
                operation["responses"].setdefault(status, response)
    return result


CSV_LINKS = (
    "\n\n## Lists as CSV\n\n"
    "Open a list as CSV with its link, adding any filters to the address as for JSON. The file "
    "comes as the API sends it: UTF-8 with a byte-order mark, which spreadsheets need to show "
    'accented letters. (Swagger UI\'s "Download file", under a request tried out below, saves '
    "the text without that mark.)\n\n"
)


def csv_link(path: str, operation: dict) -> str | None:
    """The address of an operation's answer as CSV, or None if it has none or needs values no
    example gives (a record's slug in the path)."""
    content = operation.get("responses", {}).get("200", {}).get("content", {})
    if "text/csv" not in content or "{" in path:
        return None
    query = {}
    for parameter in operation.get("parameters", []):
        if parameter["in"] == "query" and parameter.get("required"):
            examples = list(parameter.get("examples", {}).values())
            if not examples:
                return None
            query[parameter["name"]] = examples[0]["value"]
    return f"{path}?{urlencode({**query, 'format': 'csv'})}"


def add_csv_links(result, generator, request, public):
    """Each list's description, and the API's, link to the list as CSV: Swagger UI's download
    of a response drops the byte-order mark that spreadsheets need."""
    links = []
    for path, operations in result.get("paths", {}).items():
        operation = operations.get("get")
        link = operation and csv_link(path, operation)
        if link:
            text = f"Open as CSV: [{link}]({link})"
            operation["description"] = f"{operation.get('description', '')}\n\n{text}".strip()
            links.append(f"- [{link}]({link})")
    if links:
        info = result.setdefault("info", {})
        info["description"] = info.get("description", "") + CSV_LINKS + "\n".join(links)
    return result
