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


class CoordinatesFilter(admin.SimpleListFilter):
    """Cities the map cannot draw until an editor gives their coordinates."""

    title = "coordinates"
    parameter_name = "coordinates"

    def lookups(self, request, model_admin):
        return [("missing", "Missing (not on the map)"), ("given", "Given")]

    def queryset(self, request, queryset):
        if self.value() == "missing":
            return queryset.filter(latitude__isnull=True)
        if self.value() == "given":
            return queryset.filter(latitude__isnull=False)
        return queryset


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "slug", "latitude", "longitude"]
    list_filter = [CoordinatesFilter, "country"]
    search_fields = ["name", "slug"]

    def changelist_view(self, request, extra_context=None):
        unplaced = City.objects.filter(latitude__isnull=True).count()
        if unplaced:
            self.message_user(
                request,
                f"{unplaced} cities have no coordinates and are left off the map: "
                "filter by “Coordinates: missing” to give them.",
                level="warning",
            )
        return super().changelist_view(request, extra_context)


class TermAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}


for term_model in (WorkLevel, FocusArea, TargetGroup, NetworkType):
    admin.site.register(term_model, TermAdmin)
