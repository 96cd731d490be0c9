"""The admin action that sends the selected advocates or networks the notice with a personal
link (GDPR Art. 14), through `orgs.services.invitations`, and says who was written to and who
was skipped, and why."""

from collections import defaultdict

from django.contrib import admin, messages

from orgs.services import invitations


@admin.action(
    description="Send the notice with a personal link (GDPR Art. 14)", permissions=["change"]
)
def send_notices(model_admin, request, queryset):
    outcome = invitations.invite(list(queryset.order_by("slug")), by=request.user)
    if outcome.sent:
        names = ", ".join(record.name for record, _ in outcome.sent)
        count = len(outcome.sent)
        model_admin.message_user(
            request,
            f"Notice queued for {count} (the worker sends it): {names}.",
            messages.SUCCESS,
        )
    by_reason = defaultdict(list)
    for record, reason in outcome.skipped:
        by_reason[reason].append(record.name)
    for reason, names in sorted(by_reason.items()):
        model_admin.message_user(
            request, f"Skipped ({reason}): {', '.join(names)}.", messages.WARNING
        )
