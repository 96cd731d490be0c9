"""Additions to the generated OpenAPI schema: the errors every API operation can answer."""

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
ERRORS = {
    "400": "A parameter is unknown, malformed or out of range; the body names it.",
    "401": "The token is unknown or its account is inactive.",
    "404": "No such record, or no such page.",
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


def add_error_responses(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR
    reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for status, description in ERRORS.items():
                response = {"description": description, "content": reference}
                if status == "429":
                    response["headers"] = {
                        "Retry-After": {
                            "schema": {"type": "integer"},
                            "description": "Seconds to wait before the next request.",
                        }
                    }
                operation["responses"].setdefault(status, response)
    return result
