"""Publishing, hiding and marking records checked: an editor's decisions, each in the history."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from orgs.services.history import recorded


def set_published(records, published: bool, by, reason: str = "") -> int:
    """Publishes or hides records (not deleting them); each change is in its history."""
    default = "Published" if published else "Hidden from the public"
    count = 0
    with transaction.atomic(), recorded(by, reason or default):
        for record in records:
            record.is_published = published
            record.save(update_fields=["is_published", "updated_at"])
            count += 1
    return count


def mark_checked(records, by, on: date | None = None) -> date:
    """Notes that an editor checked the records against their sources, on a day (today)."""
    on = on or timezone.localdate()
    with transaction.atomic(), recorded(by, f"Marked checked on {on.isoformat()}"):
        for record in records:
            record.checked_on = on
            record.save(update_fields=["checked_on", "updated_at"])
    return on
