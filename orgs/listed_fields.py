"""The fields of each kind of record that the listed may correct through their personal link
(the forms of their page, `orgs.pages.listed_forms`, offer exactly these).

Their own words, links, places and focus: never what editors decide (publishing, checks, the
leadership the reports' claims give, notes) nor what the directory keeps for itself (slugs,
ids, search texts). Editors open some of them to be published at once
(`FieldOpenToTheListed`); every other correction waits in the editors' queue.
"""

from orgs.models import FieldOpenToTheListed

CORRECTABLE_FIELDS: dict[str, tuple[str, ...]] = {
    FieldOpenToTheListed.Record.ORGANISATION: (
        "description", "website", "email", "cities", "focus_areas", "target_groups",
    ),
    FieldOpenToTheListed.Record.ADVOCATE: (
        "name", "roles", "countries", "cities", "focus_areas", "target_groups",
    ),
    FieldOpenToTheListed.Record.NETWORK: ("description", "email", "websites"),
}  # fmt: skip


def correctable_fields(record: str) -> tuple[str, ...]:
    """The fields of a kind of record (`FieldOpenToTheListed.Record`) the listed may correct."""
    return CORRECTABLE_FIELDS.get(record, ())
