"""Where editors keep the records right: every model, with search, filters and autocompletes.

Lists and JSON fields are edited as lines of text; an organisation's leadership is the summary
of its claims, so it is read-only here and recomputed when the claims change.
"""

from django import forms
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.html import format_html

from . import services
from .forms import IdentifiersField, LinesField
from .models import (
    Advocate,
    AdvocateCitation,
    Affiliation,
    AffiliationCitation,
    City,
    Country,
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
    TargetGroup,
    WorkLevel,
)
from .admin_import import ImportExportMixin

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


class VocabularyAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}


for vocabulary in (WorkLevel, FocusArea, TargetGroup, NetworkType):
    admin.site.register(vocabulary, VocabularyAdmin)


class RecordAdmin(admin.ModelAdmin):
    """What organisations, advocates and networks share in admin."""

    autocomplete_fields = PROFILE_AUTOCOMPLETE
    readonly_fields = ["created_at", "updated_at", "public_page"]
    list_filter = ["is_published", "countries", "focus_areas", "citations__source"]
    list_editable = ["is_published"]
    actions = ["publish", "hide", "mark_checked_today"]
    save_on_top = True

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
        count = 0
        for record in queryset:
            record.is_published = published
            record.save(update_fields=["is_published", "updated_at"])
            count += 1
        state = "published" if published else "hidden"
        self.message_user(request, f"{count} record{'s' * (count != 1)} {state}.")

    @admin.action(description="Mark the selected records checked today")
    def mark_checked_today(self, request, queryset):
        today = timezone.localdate()
        for record in queryset:
            record.checked_on = today
            record.save(update_fields=["checked_on", "updated_at"])
        self.message_user(request, f"Marked checked on {today:%d %B %Y}.", messages.SUCCESS)


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
    form = OrganisationForm
    list_display = [
        "name", "form", "leadership", "country_codes", "is_published", "checked_on", "updated_at",
    ]  # fmt: skip
    list_filter = ["is_published", "leadership", "form", *RecordAdmin.list_filter]
    search_fields = ["name", "slug", "aliases__name"]
    prepopulated_fields = {"slug": ["name"]}
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
        services.refresh_leadership(form.instance)


class PersonalAddressInline(admin.StackedInline):
    model = PersonalAddress
    extra = 0
    max_num = 1
    autocomplete_fields = ["source"]
    verbose_name_plural = "Personal address (editors only; never public)"


class AdvocateCitationInline(CitationInline):
    model = AdvocateCitation


class AdvocateAffiliationInline(admin.TabularInline):
    model = Affiliation
    extra = 0
    autocomplete_fields = ["organisation"]
    fields = ["organisation", "role", "is_current"]


@admin.register(Advocate)
class AdvocateAdmin(ImportExportMixin, RecordAdmin):
    list_display = ["name", "roles", "country_codes", "is_published", "checked_on", "updated_at"]
    search_fields = ["name", "slug", "roles", "personal_address__email"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "slug", "public_page", "roles", "note"]}),
        PROFILE_FIELDSET,
        STATE_FIELDSET,
    ]
    inlines = [PersonalAddressInline, AdvocateAffiliationInline, AdvocateCitationInline]


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
class AffiliationAdmin(admin.ModelAdmin):
    list_display = ["advocate", "organisation", "role", "is_current"]
    list_filter = ["is_current"]
    search_fields = ["advocate__name", "organisation__name", "role"]
    autocomplete_fields = ["advocate", "organisation"]
    inlines = [AffiliationCitationInline]


class MembershipCitationInline(CitationInline):
    model = MembershipCitation


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["network", "organisation", "advocate", "role"]
    list_filter = ["role", "network"]
    search_fields = ["network__name", "organisation__name", "advocate__name"]
    autocomplete_fields = ["network", "organisation", "advocate"]
    inlines = [MembershipCitationInline]
