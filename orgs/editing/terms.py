"""What records are described with, in admin: the reports they cite, places and vocabularies.

Sources, countries and cities are searched by the records' autocompletes; the four vocabularies
(levels of work, focus areas, target groups, network types) share one admin.
"""

from django.contrib import admin

from orgs.models import City, Country, FocusArea, NetworkType, Source, TargetGroup, WorkLevel


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
