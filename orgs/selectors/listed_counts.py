"""What the editors' dashboard of the listed counts: of the people the directory can write to
(advocates, and networks whose profile printed a person's address), how many were invited, and
what they did, per report and per country.

A person counts once in each report that names them and once in each country they work in (so
the rows of a table may add up to more than its total). Each table is one grouped query per
kind of record: the counts are conditional aggregates over the people, never a query per row.
"""

from dataclasses import dataclass, fields

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from orgs.choices import AnswerKind, MailStatus, SuggestionStatus
from orgs.models import Advocate, Invitation, ListedAnswer, Network, OutgoingMail, Suggestion


@dataclass
class LoopCounts:
    """One row of the dashboard: a report, a country or a total."""

    label: str
    listed: int = 0  # with a private address: the directory can write to them
    invited: int = 0  # sent the notice at least once
    confirmed: int = 0
    corrected: int = 0
    consented: int = 0  # accept messages now (consent withdrawn is not counted)
    unreachable: int = 0  # a notice bounced, or the address is undeliverable
    removal: int = 0  # asked to be removed

    def add(self, counts: dict) -> None:
        for name in COUNTED:
            setattr(self, name, getattr(self, name) + counts[name])

    @property
    def values(self) -> list[int]:
        return [getattr(self, name) for name in COUNTED]


COUNTED = tuple(field.name for field in fields(LoopCounts) if field.name != "label")

# Each kind of listed record, with the foreign key that names it on invitations and answers.
LISTED = {Advocate: "advocate", Network: "network"}


def steps(owner: str) -> dict:
    """The aggregates of one row: distinct people, each step a condition on them."""

    def answered(kind: str):
        return Exists(ListedAnswer.objects.filter(**{owner: OuterRef("pk")}, kind=kind))

    def people(condition=None):
        return Count("pk", distinct=True, filter=condition)

    return {
        "listed": people(),
        "invited": people(Exists(Invitation.objects.filter(**{owner: OuterRef("pk")}))),
        "confirmed": people(answered(AnswerKind.CONFIRMED)),
        "corrected": people(answered(AnswerKind.CORRECTED)),
        "consented": people(Q(personal_address__accepts_messages=True)),
        "unreachable": people(answered(AnswerKind.UNDELIVERABLE)),
        "removal": people(answered(AnswerKind.REMOVAL)),
    }


def reachable(model) -> QuerySet:
    """The people of a kind the directory holds a private address of, published or not."""
    return model.objects.filter(personal_address__isnull=False).order_by()


def grouped(key: str, label: str, missing: str) -> list[LoopCounts]:
    """Rows by the value at `key` (labelled by `label`), both kinds summed; one query a kind."""
    rows: dict[str, LoopCounts] = {}
    for model, owner in LISTED.items():
        counts = reachable(model).values(key, label).annotate(**steps(owner))
        for counted in counts:
            group = counted[key]
            row = rows.setdefault(group, LoopCounts(counted[label] or missing))
            row.add(counted)
    return sorted(rows.values(), key=lambda row: (row.label == missing, row.label.casefold()))


def by_report() -> list[LoopCounts]:
    return grouped("citations__source__key", "citations__source__short_title", "No report")


def by_country() -> list[LoopCounts]:
    return grouped("countries__code", "countries__name", "No country")


def totals() -> list[LoopCounts]:
    """Advocates, networks, and both."""
    both = LoopCounts("All")
    rows = []
    for model, owner in LISTED.items():
        row = LoopCounts(str(model._meta.verbose_name_plural).capitalize())
        row.add(reachable(model).aggregate(**steps(owner)))
        both.add(vars(row))
        rows.append(row)
    return [*rows, both]


def pending_corrections() -> int:
    """Corrections the listed sent through their link, waiting for an editor."""
    waiting = Suggestion.objects.filter(invitation__isnull=False, status=SuggestionStatus.PENDING)
    return waiting.count()


def bounced_mail() -> int:
    return OutgoingMail.objects.filter(status=MailStatus.BOUNCED).count()
