"""The audit trail of erasures, in admin: read only, and it names nobody.

An erasure is written only by the advocates' erase action (`orgs.services.erasure.erase`);
nobody adds, changes or deletes one here, so the trail says truthfully what was erased, when
and by whom.
"""

from django.contrib import admin

from orgs.models import Erasure


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
