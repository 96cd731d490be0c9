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
