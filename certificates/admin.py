from django.contrib import admin

from .models import AccrochageEntry, AccrochageFlow


class AccrochageEntryInline(admin.TabularInline):
    model = AccrochageEntry
    fields = ("id_technique", "reason", "decision", "fingerprint")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(AccrochageFlow)
class AccrochageFlowAdmin(admin.ModelAdmin):
    """Flows are a legal record: read-only, produced only by the export."""

    list_display = ("flow_id", "created_at", "period_start", "period_end", "created_by")
    list_select_related = ("created_by",)
    search_fields = ("flow_id", "entries__id_technique")
    date_hierarchy = "created_at"
    readonly_fields = (
        "flow_id",
        "created_at",
        "period_start",
        "period_end",
        "created_by",
        "file_name",
        "xml",
    )
    inlines = [AccrochageEntryInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
