"""What the editors' pages of records share: history with a reason, publishing, and merging.

Every change made through the admin is written to the records' history with the editor and a
reason (`RecordedAdmin`), so that a reader of a record's history can tell who changed what and
why. Organisations, advocates and networks also share the profile fields, the publishing and
checking actions and a history page that shows the rows edited inline (`RecordAdmin`). The
writes themselves are the services' (`orgs.services`): the admin only asks and reports.
"""

from django.contrib import admin, messages
from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from orgs.models import PersonalAddress
from orgs.services import answers, history, merging, publishing

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
STATE_FIELDSET = (
    "State",
    {"fields": ["is_published", "checked_on", "confirmed_on", "created_at", "updated_at"]},
)


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
    # `confirmed_on` is the listed's own word (`orgs.services.answers`), not the editors'.
    readonly_fields = ["created_at", "updated_at", "confirmed_on", "public_page"]
    list_filter = [
        "is_published",
        ("confirmed_on", admin.EmptyFieldListFilter),
        "countries",
        "focus_areas",
        "citations__source",
    ]
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
    """A record's citations: which report names it, and where in the report."""

    extra = 0
    autocomplete_fields = ["source"]
    fields = ["source", "locator", "quote"]


class PersonalAddressFormSet(BaseInlineFormSet):
    """A changed address resets the consent given for the old one (`answers.address_changed`):
    the person who reads the new address never agreed to messages."""

    def save_existing(self, form, obj, commit=True):
        before = str(form.initial.get("email", ""))
        saved = super().save_existing(form, obj, commit)
        if commit and saved.email.casefold() != before.casefold():
            answers.address_changed(saved.advocate or saved.network)
        return saved


class PersonalAddressInline(admin.StackedInline):
    """An advocate's or a network coordinator's own address: for the editors, never public.
    Whether it accepts messages is the person's own choice, made through their link or the
    stop link (`orgs.services.answers`), so editors only read it."""

    model = PersonalAddress
    formset = PersonalAddressFormSet
    extra = 0
    max_num = 1
    autocomplete_fields = ["source"]
    fields = ["source", "locator", "email", "accepts_messages"]
    readonly_fields = ["accepts_messages"]
    verbose_name_plural = "Personal address (editors only; never public)"
