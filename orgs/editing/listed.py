"""The editors' view of the loop with the listed: invitations and answers on each record's page,
the outbox (with bounced mail), the fields the listed may publish at once, and a dashboard.

Nothing here shows a listed person's private address: a mail names its recipient by the record
(the address is read only when sending, `orgs.services.mail`), and neither the mail's body (an
invitation carries the person's personal link, a relayed message is private correspondence)
nor its headers are shown.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime

from orgs.choices import MailStatus
from orgs.listed_fields import correctable_fields
from orgs.models import (
    Advocate,
    FieldOpenToTheListed,
    Invitation,
    ListedAnswer,
    Network,
    Organisation,
    OutgoingMail,
)
from orgs.selectors import listed_counts
from orgs.services import mail as outbox


def change_link(record, text: str = "") -> str:
    """A link to a record's admin page, named by the record (never by an address)."""
    if record is None:
        return "-"
    url = reverse(admin_urlname(record._meta, "change"), args=[record.pk])
    return format_html('<a href="{}">{}</a>', url, text or str(record))


def mail_status(mail: OutgoingMail | None) -> str:
    if mail is None:
        return "-"
    return change_link(mail, mail.get_status_display())


class ReadOnlyInline(admin.TabularInline):
    """A history shown beside the record: written by the services, never edited here."""

    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class InvitationInline(ReadOnlyInline):
    """The notices sent to the listed person, with their personal link's state."""

    model = Invitation
    fields = readonly_fields = ["created_at", "sent_by", "mail_sent", "expires_at", "used_at"]
    verbose_name_plural = "Invitations (the notice with a personal link)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("sent_by", "mail")

    @admin.display(description="Mail")
    def mail_sent(self, invitation):
        return mail_status(invitation.mail)


class AnswerInline(ReadOnlyInline):
    """What the listed person did about their record, each with its date."""

    model = ListedAnswer
    fields = readonly_fields = ["kind", "at", "organisation", "detail", "through"]
    verbose_name_plural = "Answers of the listed person"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organisation", "invitation")

    @admin.display(description="Through")
    def through(self, answer):
        if answer.invitation is None:
            return "-"
        return f"their personal link (sent {localtime(answer.invitation.created_at):%Y-%m-%d})"


class AdvocateAnswerInline(AnswerInline):
    fk_name = "advocate"


class NetworkAnswerInline(AnswerInline):
    fk_name = "network"
    fields = readonly_fields = ["kind", "at", "detail", "through"]


class OrganisationAnswerInline(AnswerInline):
    """Answers of the organisation's advocates given for it ("confirmed by the organisation")."""

    fk_name = "organisation"
    fields = readonly_fields = ["kind", "at", "advocate", "detail", "through"]
    verbose_name_plural = "Answers given for it by its advocates"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("advocate")


@admin.display(description="Invitations to its advocates")
def invitations_of_its_advocates(organisation) -> str:
    """The notices sent to the people who work for the organisation: who may answer for it."""
    if organisation is None or organisation.pk is None:
        return "-"
    invitations = (
        Invitation.objects.filter(advocate__affiliations__organisation=organisation)
        .select_related("advocate", "sent_by", "mail")
        .distinct()
    )
    rows = [
        (
            change_link(invitation.advocate),
            f"{localtime(invitation.created_at):%Y-%m-%d %H:%M}",
            invitation.sent_by or "-",
            mail_status(invitation.mail),
            f"{localtime(invitation.used_at):%Y-%m-%d %H:%M}" if invitation.used_at else "not used",
            f"{localtime(invitation.expires_at):%Y-%m-%d}",
        )
        for invitation in invitations
    ]
    if not rows:
        return "None yet."
    head = "".join(
        f"<th>{name}</th>" for name in ("Advocate", "Sent", "By", "Mail", "Used", "Expires")
    )
    body = format_html_join(
        "", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", rows
    )
    return format_html("<table><thead><tr>{}</tr></thead><tbody>{}</tbody></table>", head, body)


# On each record's page (see `advocates`, `networks`, `organisations`).
ADVOCATE_INLINES = [InvitationInline, AdvocateAnswerInline]
NETWORK_INLINES = [InvitationInline, NetworkAnswerInline]
ORGANISATION_INLINES = [OrganisationAnswerInline]
LOOP_FIELDSET = ("Invitations", {"fields": [invitations_of_its_advocates]})


# Mail that may come back after it was sent: a bounce report in the sender's box.
MAY_BOUNCE = {MailStatus.SENT, MailStatus.FAILED}


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    """The outbox: what was sent, what waits, what failed or bounced; read only."""

    list_display = ["created_at", "kind", "status", "recipient", "subject", "attempts", "sent_at"]
    list_filter = ["status", "kind", "created_at"]
    date_hierarchy = "created_at"
    search_fields = ["subject"]
    list_select_related = ["advocate", "network"]
    actions = ["mark_bounced"]
    fields = readonly_fields = [
        "kind", "status", "recipient", "reply_to", "sender_name", "subject", "attempts",
        "next_attempt_at", "last_error", "created_at", "sent_at",
    ]  # fmt: skip

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="Recipient")
    def recipient(self, mail):
        """The listed record it goes to (their address is read only when sending), or the
        address of someone who is not listed (a sender confirming theirs)."""
        if mail.listed is not None:
            kind = "advocate" if mail.advocate_id else "network"
            return format_html("{} ({})", change_link(mail.listed), kind)
        return mail.to_address

    @admin.action(description="Mark bounced: it came back, the address is undeliverable",
                  permissions=["change"])  # fmt: skip
    def mark_bounced(self, request, queryset):
        marked = skipped = 0
        for mail in queryset:
            if mail.status not in MAY_BOUNCE:
                skipped += 1
                continue
            outbox.mark_bounced(mail, f"Reported bounced by {request.user.get_username()}.")
            marked += 1
        if marked:
            self.message_user(request, f"{marked} mail{'s' * (marked != 1)} marked bounced.")
        if skipped:
            self.message_user(
                request,
                f"{skipped} not marked: only mail sent (or given up) can come back.",
                messages.WARNING,
            )


def field_choices() -> list:
    """Every correctable field, grouped by kind of record, named as its model names it."""
    models = {
        FieldOpenToTheListed.Record.ORGANISATION: Organisation,
        FieldOpenToTheListed.Record.ADVOCATE: Advocate,
        FieldOpenToTheListed.Record.NETWORK: Network,
    }
    groups, seen = [], set()
    for record, model in models.items():
        options = []
        for name in correctable_fields(record):
            if name not in seen:
                seen.add(name)
                options.append((name, f"{name} ({model._meta.get_field(name).verbose_name})"))
        groups.append((record.label, options))
    return groups


class FieldOpenToTheListedForm(forms.ModelForm):
    field = forms.ChoiceField(
        choices=field_choices,
        help_text="A field the listed may correct; it must be a field of the kind of record "
        "chosen above.",
    )

    class Meta:
        model = FieldOpenToTheListed
        fields = ["record", "field"]

    def clean(self):
        cleaned = super().clean()
        record, field = cleaned.get("record"), cleaned.get("field")
        if record and field and field not in correctable_fields(record):
            label = FieldOpenToTheListed.Record(record).label.lower()
            allowed = ", ".join(correctable_fields(record))
            self.add_error(
                "field",
                f"“{field}” is not a field the listed may correct on {label}s. "
                f"They may correct: {allowed}.",
            )
        return cleaned


@admin.register(FieldOpenToTheListed)
class FieldOpenToTheListedAdmin(admin.ModelAdmin):
    """The fields the listed may publish at once, without waiting for an editor."""

    form = FieldOpenToTheListedForm
    list_display = ["record", "field"]
    list_filter = ["record"]


# The dashboard's column headings, by the counts of `listed_counts.LoopCounts`.
HEADINGS = {
    "listed": "With a private address",
    "invited": "Invited",
    "confirmed": "Confirmed",
    "corrected": "Corrected",
    "consented": "Accept messages",
    "unreachable": "Unreachable",
    "removal": "Asked for removal",
}


def dashboard(request):
    """How far the loop has come: the listed, invited and what they answered, per report and
    per country, with the queues that wait for an editor."""
    if not request.user.has_perm("orgs.view_listedanswer"):
        raise PermissionDenied
    suggestions = reverse("admin:orgs_suggestion_changelist")
    mail = reverse("admin:orgs_outgoingmail_changelist")
    context = {
        **admin.site.each_context(request),
        "title": "The listed: invitations and answers",
        "columns": [HEADINGS[name] for name in listed_counts.COUNTED],
        "tables": [
            ("In all", listed_counts.totals()),
            ("Per report", listed_counts.by_report()),
            ("Per country", listed_counts.by_country()),
        ],
        "pending_corrections": listed_counts.pending_corrections(),
        "pending_corrections_url": f"{suggestions}?sent_by=listed&status__exact=pending",
        "bounced_mail": listed_counts.bounced_mail(),
        "bounced_mail_url": f"{mail}?status__exact={MailStatus.BOUNCED}",
    }
    return TemplateResponse(request, "admin/orgs/listed_dashboard.html", context)
