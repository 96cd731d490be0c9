"""The links between records in admin: affiliations (an advocate in an organisation) and
memberships (an organisation or an advocate in a network), each with its own citations.

They are also edited inline on the records' pages; these pages list them across records.
"""

from django.contrib import admin

from orgs.editing.base import CitationInline, RecordedAdmin
from orgs.models import Affiliation, AffiliationCitation, Membership, MembershipCitation


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
