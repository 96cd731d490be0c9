"""The admin action that sends the selected advocates or networks the notice with a personal
link (GDPR Art. 14), through `orgs.services.invitations`. It first shows who would be written to
and who skipped, and why (a dry run), and sends only once the editor confirms; then it says who
was written to and who was skipped."""

from collections import defaultdict

from django.conf import settings
from django.contrib import admin, messages
from django.template.response import TemplateResponse

from orgs.services import invitations


@admin.action(
    description="Send the notice with a personal link (GDPR Art. 14)", permissions=["change"]
)
def send_notices(model_admin, request, queryset):
    records = list(queryset.order_by("slug"))
    if request.POST.get("confirm") != "send":
        preview = invitations.invite(records, dry_run=True)
        context = {
            **model_admin.admin_site.each_context(request),
            "title": "Send the notice with a personal link",
            "opts": model_admin.opts,
            "records": records,
            "to_write": [record for record, _ in preview.sent],
            "skipped": preview.skipped,
            "days": settings.INVITATION_DAYS,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/orgs/send_notices.html", context)
    outcome = invitations.invite(records, by=request.user)
    if outcome.sent:
        names = ", ".join(record.name for record, _ in outcome.sent)
        model_admin.message_user(
            request,
            f"Notice queued for {len(outcome.sent)} (the worker sends it): {names}.",
            messages.SUCCESS,
        )
    by_reason = defaultdict(list)
    for record, reason in outcome.skipped:
        by_reason[reason].append(record.name)
    for reason, names in sorted(by_reason.items()):
        model_admin.message_user(
            request, f"Skipped ({reason}): {', '.join(names)}.", messages.WARNING
        )
    return None
