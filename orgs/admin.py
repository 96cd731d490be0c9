"""Where editors keep the records right: every model, with search, filters and autocompletes.

Lists and JSON fields are edited as lines of text; an organisation's leadership is the summary
of its claims, so it is read-only here and recomputed when the claims change.
"""

import json

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from orgs.editing.records_import import ImportExportMixin
from orgs.models import (
    Advocate,
    AdvocateAlias,
    AdvocateCitation,
    Affiliation,
    AffiliationCitation,
    City,
    Country,
    Erasure,
    FocusArea,
    LeadershipClaim,
    Membership,
    MembershipCitation,
    Network,
    NetworkAlias,
    NetworkCitation,
    NetworkType,
    Organisation,
    OrganisationAlias,
    OrganisationCitation,
    PersonalAddress,
    Source,
    Suggestion,
    TargetGroup,
    WorkLevel,
)
from orgs.pages.forms import IdentifiersField, LinesField
from orgs.services import erasure, history, leadership, merging, publishing, suggestions

PROFILE_AUTOCOMPLETE = ["countries", "cities", "levels", "focus_areas", "target_groups"]
PROFILE_FIELDSET = (
    "Where and what",
    {
        "fields": [
            "countries", "cities", "location_raw", "levels", "levels_raw", "focus_areas",
            "focus_raw", "target_groups", "target_groups_raw",
        ]
    },
)  # fmt: skip
STATE_FIELDSET = ("State", {"fields": ["is_published", "checked_on", "created_at", "updated_at"]})


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["key", "short_title", "year", "publisher"]
    search_fields = ["key", "title", "short_title"]


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "slug"]
    list_filter = ["country"]
    search_fields = ["name", "slug"]


class TermAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}


for term_model in (WorkLevel, FocusArea, TargetGroup, NetworkType):
    admin.site.register(term_model, TermAdmin)


class RecordedAdmin(SimpleHistoryAdmin):
    """Every change made through these pages is in history with the editor and a reason."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        reason = "Edited in admin" if object_id else "Added in admin"
        with history.recorded(request.user, reason):
            return super().changeform_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        # The list's editable columns; actions name their own reasons.
        with history.recorded(request.user, "Edited in the admin list"):
            return super().changelist_view(request, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        with history.recorded(request.user, "Deleted in admin"):
            return super().delete_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        request.history_reason = "Reverted to an earlier version"
        with history.recorded(request.user, request.history_reason):
            return super().history_form_view(request, object_id, version_id, extra_context)

    def save_model(self, request, obj, form, change):
        reason = getattr(request, "history_reason", "Edited in admin")
        if change and form.changed_data:
            labels = [str(form.fields[name].label or name).lower() for name in form.changed_data]
            obj._change_reason = f"{reason}: {', '.join(labels)}"
        super().save_model(request, obj, form, change)


class RecordAdmin(RecordedAdmin):
    """What organisations, advocates and networks share in admin (with history and revert)."""

    autocomplete_fields = PROFILE_AUTOCOMPLETE
    readonly_fields = ["created_at", "updated_at", "public_page"]
    list_filter = ["is_published", "countries", "focus_areas", "citations__source"]
    list_editable = ["is_published"]
    actions = ["publish", "hide", "mark_checked_today"]
    save_on_top = True

    object_history_template = "admin/orgs/record_history.html"
    # Rows edited inline, whose history shows on the record's history page: (model, the field
    # naming the record, the fields that describe a row).
    related_history: list[tuple[type, str, tuple[str, ...]]] = []
    RELATED_HISTORY_SIZE = 200

    def history_view(self, request, object_id, extra_context=None):
        changes = []
        for model, owner, fields in self.related_history:
            relations = [name for name in fields if model._meta.get_field(name).is_relation]
            entries = model.history.filter(**{f"{owner}_id": object_id}).select_related(
                "history_user", *relations
            )[: self.RELATED_HISTORY_SIZE]
            for entry in entries:
                entry.kind = model._meta.verbose_name.capitalize()
                values = [getattr(entry, name) for name in fields]
                entry.label = ", ".join(str(value) for value in values if value not in ("", None))
                changes.append(entry)
        changes.sort(key=lambda entry: entry.history_date, reverse=True)
        context = {
            "related_changes": changes[: self.RELATED_HISTORY_SIZE],
            "related_changes_cut": len(changes) > self.RELATED_HISTORY_SIZE,
            **(extra_context or {}),
        }
        return super().history_view(request, object_id, extra_context=context)

    @admin.display(description="Public page")
    def public_page(self, record):
        if not record.pk:
            return "-"
        return format_html('<a href="{}">{}</a>', record.get_absolute_url(), "View on site")

    @admin.display(description="Countries")
    def country_codes(self, record):
        return ", ".join(country.code for country in record.countries.all())

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("countries")

    @admin.action(description="Publish the selected records")
    def publish(self, request, queryset):
        self.set_published(request, queryset, True)

    @admin.action(description="Hide the selected records from the public")
    def hide(self, request, queryset):
        self.set_published(request, queryset, False)

    def set_published(self, request, queryset, published: bool):
        count = publishing.set_published(queryset, published, by=request.user)
        state = "published" if published else "hidden"
        self.message_user(request, f"{count} record{'s' * (count != 1)} {state}.")

    @admin.action(description="Mark the selected records checked today")
    def mark_checked_today(self, request, queryset):
        on = publishing.mark_checked(queryset, by=request.user)
        self.message_user(request, f"Marked checked on {on:%d %B %Y}.", messages.SUCCESS)


@admin.action(description="Merge the selected duplicates into one", permissions=["delete"])
def merge_selected(model_admin, request, queryset):
    """Shows the records side by side; the editor chooses the record to keep and, field by
    field, whose value it keeps; then merges the others into it (`merging.merge`)."""
    records = merging.records_to_merge(queryset.model, queryset.values("pk"))
    if len(records) < 2:
        model_admin.message_user(request, "Select at least two records to merge.", messages.ERROR)
        return None
    if "keep" not in request.POST:
        context = {
            **model_admin.admin_site.each_context(request),
            "title": f"Merge {len(records)} {model_admin.opts.verbose_name_plural}",
            "opts": model_admin.opts,
            "records": records,
            "rows": merging.side_by_side(records),
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/orgs/merge.html", context)
    by_pk = {str(record.pk): record for record in records}
    keep = by_pk.get(request.POST["keep"])
    if keep is None:
        model_admin.message_user(request, "Choose the record to keep.", messages.ERROR)
        return None
    kind = merging.KINDS[queryset.model]
    choices = {
        name: by_pk.get(request.POST[f"choose-{name}"], request.POST[f"choose-{name}"])
        for name in kind.chosen
        if f"choose-{name}" in request.POST
    }
    duplicates = [record for record in records if record != keep]
    try:
        reason = request.POST.get("reason", "").strip()
        merging.merge(keep, duplicates, by=request.user, choices=choices, reason=reason)
    except merging.MergeRefused as refusal:
        model_admin.message_user(request, f"Nothing was merged: {refusal}", messages.ERROR)
        return None
    names = ", ".join(record.name for record in duplicates)
    model_admin.message_user(request, f"Merged {names} into {keep.name}.", messages.SUCCESS)
    return HttpResponseRedirect(reverse(admin_urlname(model_admin.opts, "change"), args=[keep.pk]))


class CitationInline(admin.TabularInline):
    extra = 0
    autocomplete_fields = ["source"]
    fields = ["source", "locator", "quote"]


class OrganisationAliasInline(admin.TabularInline):
    model = OrganisationAlias
    extra = 0
    autocomplete_fields = ["source"]


class OrganisationCitationInline(CitationInline):
    model = OrganisationCitation


class LeadershipClaimInline(CitationInline):
    model = LeadershipClaim
    fields = ["leadership", "evidence", "source", "locator", "quote"]


class OrganisationAffiliationInline(admin.TabularInline):
    model = Affiliation
    extra = 0
    autocomplete_fields = ["advocate"]
    fields = ["advocate", "role", "is_current"]


class OrganisationMembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "organisation"
    extra = 0
    autocomplete_fields = ["network"]
    fields = ["network", "role"]


class OrganisationForm(forms.ModelForm):
    other_websites = LinesField(required=False, help_text="One address per line.")
    external_ids = IdentifiersField(
        required=False, help_text="One per line, as PREFIX: identifier (org-id.guide prefixes)."
    )

    class Meta:
        model = Organisation
        fields = ["other_websites", "external_ids"]  # the admin adds its fieldsets' fields


@admin.register(Organisation)
class OrganisationAdmin(ImportExportMixin, RecordAdmin):
    related_history = [
        (OrganisationAlias, "organisation", ("name",)),
        (OrganisationCitation, "organisation", ("source", "locator")),
        (LeadershipClaim, "organisation", ("leadership", "evidence", "source", "locator")),
        (Affiliation, "organisation", ("advocate", "role")),
        (Membership, "organisation", ("network", "role")),
    ]
    form = OrganisationForm
    list_display = [
        "name", "form", "leadership", "country_codes", "is_published", "checked_on", "updated_at",
    ]  # fmt: skip
    list_filter = ["is_published", "leadership", "form", *RecordAdmin.list_filter]
    search_fields = ["name", "slug", "aliases__name"]
    prepopulated_fields = {"slug": ["name"]}
    actions = [*RecordAdmin.actions, merge_selected]
    readonly_fields = [*RecordAdmin.readonly_fields, "uuid", "leadership", "leadership_evidence"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "uuid", "public_page", "description", "note"]}),
        (
            "Form and leadership",
            {
                "fields": ["form", "form_raw", "leadership", "leadership_evidence"],
                "description": "Leadership is the summary of the claims below.",
            },
        ),
        PROFILE_FIELDSET,
        ("Contact", {"fields": ["website", "other_websites", "email", "founded", "external_ids"]}),
        STATE_FIELDSET,
    ]
    inlines = [
        OrganisationAliasInline,
        LeadershipClaimInline,
        OrganisationCitationInline,
        OrganisationAffiliationInline,
        OrganisationMembershipInline,
    ]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        leadership.refresh_leadership(form.instance)


class PersonalAddressInline(admin.StackedInline):
    model = PersonalAddress
    extra = 0
    max_num = 1
    autocomplete_fields = ["source"]
    verbose_name_plural = "Personal address (editors only; never public)"


class AdvocateAliasInline(admin.TabularInline):
    model = AdvocateAlias
    extra = 0
    autocomplete_fields = ["source"]


class AdvocateCitationInline(CitationInline):
    model = AdvocateCitation


class AdvocateAffiliationInline(admin.TabularInline):
    model = Affiliation
    extra = 0
    autocomplete_fields = ["organisation"]
    fields = ["organisation", "role", "is_current"]


@admin.register(Advocate)
class AdvocateAdmin(ImportExportMixin, RecordAdmin):
    related_history = [
        (AdvocateAlias, "advocate", ("name",)),
        (AdvocateCitation, "advocate", ("source", "locator")),
        (Affiliation, "advocate", ("organisation", "role")),
        (Membership, "advocate", ("network", "role")),
    ]
    list_display = ["name", "roles", "country_codes", "is_published", "checked_on", "updated_at"]
    search_fields = ["name", "slug", "aliases__name", "roles", "personal_address__email"]
    prepopulated_fields = {"slug": ["name"]}
    actions = [*RecordAdmin.actions, merge_selected, "export_personal_data", "erase_people"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "public_page", "roles", "note"]}),
        PROFILE_FIELDSET,
        STATE_FIELDSET,
    ]

    @admin.action(description="Export everything held about the selected people (JSON)")
    def export_personal_data(self, request, queryset):
        data = [erasure.personal_data(advocate) for advocate in queryset]
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
        )
        response["Content-Disposition"] = 'attachment; filename="personal-data.json"'
        return response

    @admin.action(description="Erase the selected people (their data, history included)",
                  permissions=["delete"])  # fmt: skip
    def erase_people(self, request, queryset):
        people = list(queryset)
        if request.POST.get("confirm") != "erase":
            context = {
                **self.admin_site.each_context(request),
                "title": "Erase personal data",
                "opts": self.opts,
                "people": people,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(request, "admin/orgs/erase.html", context)
        for person in people:
            erased = erasure.erase(person, by=request.user)
            self.message_user(request, f"Erased: {erased}.", messages.SUCCESS)
        return None

    inlines = [
        AdvocateAliasInline,
        PersonalAddressInline,
        AdvocateAffiliationInline,
        AdvocateCitationInline,
    ]


class NetworkAliasInline(admin.TabularInline):
    model = NetworkAlias
    extra = 0
    autocomplete_fields = ["source"]


class NetworkCitationInline(CitationInline):
    model = NetworkCitation


class NetworkMembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "network"
    extra = 0
    autocomplete_fields = ["organisation", "advocate"]
    fields = ["organisation", "advocate", "role"]


class NetworkForm(forms.ModelForm):
    websites = LinesField(required=False, help_text="One address per line.")
    social_media = LinesField(required=False, help_text="One address per line.")
    unreadable_fields = LinesField(
        required=False, help_text="Fields the source's extraction garbled, one per line."
    )

    class Meta:
        model = Network
        fields = ["websites", "social_media", "unreadable_fields"]  # and the fieldsets' fields


@admin.register(Network)
class NetworkAdmin(RecordAdmin):
    related_history = [
        (NetworkAlias, "network", ("name",)),
        (NetworkCitation, "network", ("source", "locator")),
        (Membership, "network", ("organisation", "advocate", "role")),
    ]
    form = NetworkForm
    list_display = [
        "name", "network_type", "formalisation", "country_codes", "is_published", "updated_at",
    ]  # fmt: skip
    list_filter = ["is_published", "network_type", "formalisation", *RecordAdmin.list_filter]
    search_fields = ["name", "slug", "aliases__name", "personal_address__email"]
    autocomplete_fields = [*PROFILE_AUTOCOMPLETE, "network_type"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "slug", "public_page", "heading", "description", "notes"]}),
        (
            "Profile",
            {
                "fields": [
                    "network_type",
                    "type_raw",
                    "formalisation",
                    "formalisation_raw",
                    "founded",
                    "coordinator_raw",
                    "members_raw",
                    "resources",
                    "internal_communication",
                    "external_communication",
                    "success_factors",
                    "challenges",
                    "evaluation_sustainability",
                    "impact",
                ]
            },
        ),  # fmt: skip
        PROFILE_FIELDSET,
        (
            "Contact",
            {"fields": ["websites", "social_media", "email", "status_date", "unreadable_fields"]},
        ),
        STATE_FIELDSET,
    ]
    inlines = [
        NetworkAliasInline,
        NetworkMembershipInline,
        NetworkCitationInline,
        PersonalAddressInline,
    ]


class AffiliationCitationInline(CitationInline):
    model = AffiliationCitation


@admin.register(Affiliation)
class AffiliationAdmin(RecordedAdmin):
    list_display = ["advocate", "organisation", "role", "is_current"]
    list_filter = ["is_current"]
    search_fields = ["advocate__name", "organisation__name", "role"]
    autocomplete_fields = ["advocate", "organisation"]
    inlines = [AffiliationCitationInline]


class MembershipCitationInline(CitationInline):
    model = MembershipCitation


@admin.register(Membership)
class MembershipAdmin(RecordedAdmin):
    list_display = ["network", "organisation", "advocate", "role"]
    list_filter = ["role", "network"]
    search_fields = ["network__name", "organisation__name", "advocate__name"]
    autocomplete_fields = ["network", "organisation", "advocate"]
    inlines = [MembershipCitationInline]


@admin.register(Suggestion)
class SuggestionAdmin(RecordedAdmin):
    """The moderation queue: edit a suggestion if needed, write a note, then approve or reject
    it from its own page (or several at once from the list)."""

    list_display = ["created_at", "kind", "subject", "country", "is_own", "status", "note"]
    list_filter = ["status", "kind", "is_own"]
    search_fields = ["name", "message", "sender_name", "sender_email", "organisation__name"]
    autocomplete_fields = ["organisation", "advocate"]
    readonly_fields = ["kind", "created_at", "status", "reviewed_at", "reviewed_by"]
    actions = ["approve", "reject"]
    fieldsets = [
        (None, {"fields": ["kind", "status", "organisation", "advocate", "message"]}),
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
        for suggestion in queryset.select_related("organisation", "advocate"):
            try:
                decide(suggestion, by=request.user)
                count += 1
            except suggestions.ApprovalRefused as refusal:
                self.message_user(request, f"{suggestion}: {refusal}", messages.ERROR)
        if count:
            self.message_user(request, f"{count} suggestion{'s' * (count != 1)} {done}.")


@admin.register(Erasure)
class ErasureAdmin(admin.ModelAdmin):
    """The audit trail of erasures: read only, and it names nobody."""

    list_display = ["record", "erased_at", "erased_by"]
    readonly_fields = ["record", "erased_at", "erased_by", "removed"]
    exclude = ["import_keys"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
