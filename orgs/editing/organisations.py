"""Organisations in admin: the record, its names, claims, citations, people and networks.

An organisation's leadership is the summary of its leadership claims, so it is read-only here
and recomputed (`leadership.refresh_leadership`) once the claims edited inline are saved.
"""

from django import forms
from django.contrib import admin

from orgs.editing.base import (
    PROFILE_FIELDSET,
    STATE_FIELDSET,
    CitationInline,
    RecordAdmin,
    merge_selected,
)
from orgs.editing.fields import IdentifiersField, LinesField
from orgs.editing.listed import (
    LOOP_FIELDSET,
    ORGANISATION_INLINES,
    invitations_of_its_advocates,
)
from orgs.editing.records_import import ImportExportMixin
from orgs.models import (
    Affiliation,
    LeadershipClaim,
    Membership,
    Organisation,
    OrganisationAlias,
    OrganisationCitation,
)
from orgs.services import leadership


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
    """Lists and identifiers edited as lines of text."""

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
    readonly_fields = [
        *RecordAdmin.readonly_fields,
        "uuid",
        "leadership",
        "leadership_evidence",
        invitations_of_its_advocates,
    ]
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
        LOOP_FIELDSET,
    ]
    inlines = [
        OrganisationAliasInline,
        LeadershipClaimInline,
        OrganisationCitationInline,
        OrganisationAffiliationInline,
        OrganisationMembershipInline,
        *ORGANISATION_INLINES,
    ]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        leadership.refresh_leadership(form.instance)
