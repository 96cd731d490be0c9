"""The fields of each kind of record that the listed may correct through their personal link.

Their own words, links, places and focus: never what editors decide (publishing, checks, the
leadership the reports' claims give, notes) nor what the directory keeps for itself (slugs,
ids, search texts). Editors open some of them to be published at once
(`FieldOpenToTheListed`); every other correction waits in the editors' queue.
"""

from orgs.models import FieldOpenToTheListed

PLACES_AND_FOCUS = ("countries", "cities", "levels", "focus_areas", "target_groups")

CORRECTABLE_FIELDS: dict[str, tuple[str, ...]] = {
    FieldOpenToTheListed.Record.ORGANISATION: (
        "name", "description", "website", "other_websites", "email", "founded",
        *PLACES_AND_FOCUS,
    ),
    FieldOpenToTheListed.Record.ADVOCATE: ("name", "roles", *PLACES_AND_FOCUS),
    FieldOpenToTheListed.Record.NETWORK: (
        "name", "description", "founded", "resources", "internal_communication",
        "external_communication", "success_factors", "challenges",
        "evaluation_sustainability", "impact", "websites", "social_media", "email",
        *PLACES_AND_FOCUS,
    ),
}  # fmt: skip


def correctable_fields(record: str) -> tuple[str, ...]:
    """The fields of a kind of record (`FieldOpenToTheListed.Record`) the listed may correct."""
    return CORRECTABLE_FIELDS.get(record, ())
