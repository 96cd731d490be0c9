"""The moderation queue of suggestions sent by the public, in admin.

An editor may correct a suggestion and write a note before deciding; approving publishes it
and rejecting closes it, both through `orgs.services.suggestions`, which refuses what cannot be
approved (the refusal is shown, the suggestion stays in the queue).
"""

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.template.loader import render_to_string

from orgs.editing.base import RecordedAdmin
from orgs.models import Suggestion
from orgs.services import corrections, suggestions


class SentByTheListedFilter(admin.SimpleListFilter):
    """Corrections the listed sent through their personal link, apart from the public's."""

    title = "sent by"
    parameter_name = "sent_by"

    def lookups(self, request, model_admin):
        return [("listed", "The listed, through their link"), ("public", "The public")]

    def queryset(self, request, queryset):
        if self.value() == "listed":
            return queryset.filter(invitation__isnull=False)
        if self.value() == "public":
            return queryset.filter(invitation__isnull=True)
        return queryset


@admin.register(Suggestion)
class SuggestionAdmin(RecordedAdmin):
    """The moderation queue: edit a suggestion if needed, write a note, then approve or reject
    it from its own page (or several at once from the list)."""

    list_display = ["created_at", "kind", "subject", "country", "is_own", "status", "note"]
    list_filter = ["status", SentByTheListedFilter, "kind", "is_own"]
    search_fields = ["name", "message", "sender_name", "sender_email", "organisation__name"]
    autocomplete_fields = ["organisation", "advocate", "network"]
    readonly_fields = [
        "kind", "created_at", "status", "reviewed_at", "reviewed_by", "invitation", "changes_diff",
    ]  # fmt: skip
    actions = ["approve", "reject"]
    fieldsets = [
        (None, {"fields": ["kind", "status", "organisation", "advocate", "network", "message"]}),
        (
            "Sent by the listed person through their personal link",
            {"fields": ["invitation", "changes_diff"]},
        ),
        (
            "What to publish",
            {
                "fields": [
                    "name",
                    "country",
                    "city",
                    "levels",
                    "focus_areas",
                    "target_groups",
                    "website",
                    "public_email",
                    "leadership",
                    "leadership_basis",
                ]
            },
        ),  # fmt: skip
        ("Sender (never published)", {"fields": ["is_own", "sender_name", "sender_email"]}),
        ("Review", {"fields": ["editor_note", "created_at", "reviewed_at", "reviewed_by"]}),
    ]
    filter_horizontal = ["levels", "focus_areas", "target_groups"]

    def get_readonly_fields(self, request, obj=None):
        # What the listed person sent is theirs: the editor approves or rejects it as it is.
        if obj is not None and obj.invitation_id:
            return [*self.readonly_fields, "organisation", "advocate", "network", "is_own",
                    "sender_name", "sender_email"]  # fmt: skip
        return self.readonly_fields

    @admin.display(description="What they changed")
    def changes_diff(self, suggestion):
        if not suggestion.changes:
            return "-"
        rows = corrections.diff(suggestion)
        return render_to_string("admin/orgs/suggestion_diff.html", {"rows": rows})

    @admin.display(description="Editor note")
    def note(self, suggestion):
        return suggestion.editor_note[:80]

    def response_change(self, request, obj):
        """The change page's "Approve and publish" and "Reject" buttons, after saving edits."""
        for button, decide, done in (
            ("_approve", suggestions.approve, "approved"),
            ("_reject", suggestions.reject, "rejected"),
        ):
            if button in request.POST:
                try:
                    decide(obj, by=request.user, note=obj.editor_note)
                except suggestions.ApprovalRefused as refusal:
                    self.message_user(request, f"Not {done}: {refusal}", messages.ERROR)
                else:
                    self.message_user(request, f"{obj} {done}.", messages.SUCCESS)
                return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    @admin.action(description="Approve: publish the selected suggestions", permissions=["change"])
    def approve(self, request, queryset):
        self.review(request, queryset, suggestions.approve, "approved")

    @admin.action(description="Reject the selected suggestions", permissions=["change"])
    def reject(self, request, queryset):
        self.review(request, queryset, suggestions.reject, "rejected")

    def review(self, request, queryset, decide, done: str):
        count = 0
        for suggestion in queryset.select_related("organisation", "advocate", "network"):
            try:
                decide(suggestion, by=request.user)
                count += 1
            except suggestions.ApprovalRefused as refusal:
                self.message_user(request, f"{suggestion}: {refusal}", messages.ERROR)
        if count:
            self.message_user(request, f"{count} suggestion{'s' * (count != 1)} {done}.")
