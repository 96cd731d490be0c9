"""Networks in admin: the ERASMI profile, its names, members, citations and coordinator's address.

A network's lists (websites, social media, the fields the source's extraction garbled) are
edited as lines of text.
"""

from django import forms
from django.contrib import admin

from orgs.editing.base import (
    PROFILE_AUTOCOMPLETE,
    PROFILE_FIELDSET,
    STATE_FIELDSET,
    CitationInline,
    PersonalAddressInline,
    RecordAdmin,
)
from orgs.editing.fields import LinesField
from orgs.editing.invitations import send_notices
from orgs.editing.listed import NETWORK_INLINES
from orgs.models import Membership, Network, NetworkAlias, NetworkCitation


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
    actions = [*RecordAdmin.actions, send_notices]
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
        *NETWORK_INLINES,
    ]
