"""What the listed ask of the editors through their personal link: corrections, and removal.

A correction names, field by field, the value as it was and as the person wrote it
(`Suggestion.changes`, `{field: [before, after]}`), in values that survive the round trip
through JSON: text as text, a list of websites as a list, and places and terms by their keys
(a country's code, a city's or a term's slug). The fields the editors opened to the listed
(`FieldOpenToTheListed`) are written at once, in history under the person's name; the rest wait
in the editors' queue as one suggestion, which `suggestions.approve` applies with the same
`write_changes`. A request for removal is a suggestion too, so that editors see it where they
see everything else; they answer it with the erasure (`erasure.erase`), not an approval.
"""

from dataclasses import dataclass, field

from django.db import transaction

from orgs.choices import AnswerKind, SuggestionKind
from orgs.listed_fields import correctable_fields
from orgs.models import (
    Advocate,
    City,
    Country,
    FieldOpenToTheListed,
    FocusArea,
    Invitation,
    Network,
    Organisation,
    Suggestion,
    TargetGroup,
)
from orgs.services import answers

Record = Organisation | Advocate | Network

# What the listed may correct, by kind of record (one list, which their forms offer too).
CORRECTABLE = {
    model: correctable_fields(model._meta.model_name) for model in (Advocate, Organisation, Network)
}
# Places and terms, by the key that names them in `changes`.
RELATED = {
    "countries": (Country, "code"),
    "cities": (City, "slug"),
    "focus_areas": (FocusArea, "slug"),
    "target_groups": (TargetGroup, "slug"),
}
# The key of `changes` that marks a request for removal rather than a correction.
REMOVAL = "removal"
REMOVAL_MESSAGE = (
    "The person asks to be removed from the directory (GDPR Art. 17). Erase them (Advocates, "
    "action “Erase the selected people”), or, for a network, hide or delete its record."
)


class NothingToCorrect(Exception):
    """The form changed no field and carried no message."""


@dataclass
class Correction:
    """What became of a correction: the fields published at once, and the suggestion (if any)
    that carries the rest, and the person's message, to the editors."""

    published: list[str] = field(default_factory=list)
    suggestion: Suggestion | None = None


def kind_of(record: Record) -> str:
    return record._meta.model_name


def stored_value(record: Record, name: str):
    """The field's value as `changes` keeps it."""
    if name in RELATED:
        _, key = RELATED[name]
        return sorted(getattr(item, key) for item in getattr(record, name).all())
    return getattr(record, name)


def as_stored(name: str, value):
    """A form's cleaned value as `changes` keeps it."""
    if name in RELATED:
        _, key = RELATED[name]
        return sorted(getattr(item, key) for item in value)
    if isinstance(value, list):
        return list(value)
    return value if value is not None else ""


def write_changes(record: Record, values: dict) -> None:
    """Writes the new values with history paused: the caller's next save of the record writes
    them to history as one entry, with its own reason and author. A value its field refuses
    raises `ValidationError`, before anything is written."""
    record.skip_history_when_saving = True
    try:
        for name, value in values.items():
            if name not in RELATED:
                # The field's own checks (length, web addresses), whoever sends the value.
                setattr(record, name, record._meta.get_field(name).clean(value, record))
        record.save()
        for name, value in values.items():
            if name in RELATED:
                model, key = RELATED[name]
                getattr(record, name).set(model.objects.filter(**{f"{key}__in": value}))
    finally:
        del record.skip_history_when_saving


def field_label(record_or_model, name: str) -> str:
    if name == REMOVAL:
        return "removal from the directory"
    return str(record_or_model._meta.get_field(name).verbose_name)


def in_form_order(record: Record, names) -> list[str]:
    return [name for name in CORRECTABLE[type(record)] if name in names]


def labels(record: Record, names) -> str:
    return ", ".join(field_label(record, name) for name in in_form_order(record, names))


def open_fields(record: Record) -> set[str]:
    return set(
        FieldOpenToTheListed.objects.filter(record=kind_of(record)).values_list("field", flat=True)
    )


def correct(
    listed: answers.Listed,
    record: Record,
    proposed: dict,
    message: str = "",
    *,
    invitation: Invitation | None = None,
) -> Correction:
    """The listed person's correction of their record (or an organisation they work for).

    `proposed` holds the form's values by field name. Fields the editors opened are written at
    once and date the record confirmed; the others, and the message, become one pending
    suggestion with its diff. Raises `NothingToCorrect` when nothing changed and nothing was said.
    """
    proposed = {name: as_stored(name, value) for name, value in proposed.items()}
    changes = {
        name: [stored_value(record, name), value]
        for name, value in proposed.items()
        if name in CORRECTABLE[type(record)] and value != stored_value(record, name)
    }
    message = message.strip()
    if not changes and not message:
        raise NothingToCorrect
    opened = open_fields(record)
    at_once = {name: after for name, (_, after) in changes.items() if name in opened}
    queued = {name: change for name, change in changes.items() if name not in opened}
    outcome = Correction(published=in_form_order(record, at_once))
    organisation = record if isinstance(record, Organisation) else None
    with transaction.atomic():
        if at_once:
            write_changes(record, at_once)
            answers.mark_confirmed(record, listed, f"Corrected ({labels(record, at_once)})")
        if queued or message:
            outcome.suggestion = to_the_editors(
                listed,
                record,
                queued,
                message or "Corrections sent through the personal link.",
                invitation,
            )
        summary = [f"published: {labels(record, at_once)}"] if at_once else []
        if queued:
            summary.append(f"for the editors: {labels(record, queued)}")
        if message:
            summary.append("with a message for the editors")
        answers.record_answer(
            listed,
            AnswerKind.CORRECTED,
            invitation=invitation,
            organisation=organisation,
            detail="; ".join(summary),
        )
    return outcome


def to_the_editors(
    listed: answers.Listed,
    record: Record,
    changes: dict,
    message: str,
    invitation: Invitation | None,
) -> Suggestion:
    suggestion = Suggestion(
        kind=SuggestionKind.CORRECTION,
        is_own=True,
        invitation=invitation,
        changes=changes,
        message=message,
        sender_name=answers.answered_by(listed)[:200],
    )
    setattr(suggestion, kind_of(record), record)
    suggestion._change_reason = f"Sent by {answers.answered_by(listed)}"
    suggestion.save()
    return suggestion


def ask_for_removal(
    listed: answers.Listed, message: str = "", *, invitation: Invitation | None = None
) -> Suggestion:
    """The person asks to be removed: recorded as their answer, and put in the editors' queue."""
    with transaction.atomic():
        answers.record_answer(listed, AnswerKind.REMOVAL, invitation=invitation)
        words = REMOVAL_MESSAGE + (f"\n\nTheir words: {message.strip()}" if message.strip() else "")
        return to_the_editors(listed, listed, {REMOVAL: ["listed", "removed"]}, words, invitation)


def is_removal(suggestion: Suggestion) -> bool:
    return REMOVAL in suggestion.changes


@dataclass
class ChangedField:
    """One line of a correction's diff, for the editors: the value when the person wrote,
    now (an editor may have changed it since), and as the person wrote it."""

    label: str
    before: str
    now: str
    after: str

    @property
    def changed_since(self) -> bool:
        return self.before != self.now


def shown(name: str, value) -> str:
    """A stored value as editors read it: places and terms by name."""
    if name in RELATED:
        model, key = RELATED[name]
        names = dict(model.objects.filter(**{f"{key}__in": value}).values_list(key, "name"))
        return ", ".join(names.get(item, f"{item} (no longer in the directory)") for item in value)
    if isinstance(value, list):
        return "\n".join(str(item) for item in value)
    return str(value)


def diff(suggestion: Suggestion) -> list[ChangedField]:
    record = suggestion.organisation or suggestion.advocate or suggestion.network
    rows = []
    for name, (before, after) in suggestion.changes.items():
        if name == REMOVAL:
            rows.append(ChangedField(field_label(record, name), before, before, after))
            continue
        now = stored_value(record, name) if record is not None else before
        rows.append(
            ChangedField(
                field_label(record, name) if record else name,
                shown(name, before),
                shown(name, now),
                shown(name, after),
            )
        )
    return rows


def apply_suggested_changes(suggestion: Suggestion, record: Record) -> list[str]:
    """Writes an approved correction's values to its record (history paused: the approval's
    save records them); returns the fields written."""
    values = {
        name: after
        for name, (_, after) in suggestion.changes.items()
        if name in CORRECTABLE[type(record)]
    }
    if values:
        write_changes(record, values)
    return in_form_order(record, values)
