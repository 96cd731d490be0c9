"""Advocates in admin: the person, their names, organisations and citations, and their rights.

A person may ask for everything the directory holds about them, or to be erased: the two
actions here answer those requests (`orgs.services.erasure`), the erasure only after an editor
confirms it on a page that lists who will be erased.
"""

import json

from django.contrib import admin, messages
from django.http import HttpResponse
from django.template.response import TemplateResponse

from orgs.editing.base import (
    PROFILE_FIELDSET,
    STATE_FIELDSET,
    CitationInline,
    PersonalAddressInline,
    RecordAdmin,
    merge_selected,
)
from orgs.editing.invitations import send_notices
from orgs.editing.listed import ADVOCATE_INLINES
from orgs.editing.records_import import ImportExportMixin
from orgs.models import Advocate, AdvocateAlias, AdvocateCitation, Affiliation, Membership
from orgs.services import erasure


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
    actions = [
        *RecordAdmin.actions,
        merge_selected,
        send_notices,
        "export_personal_data",
        "erase_people",
    ]
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
        *ADVOCATE_INLINES,
    ]
