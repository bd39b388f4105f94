from django.contrib import admin

from ecertif.admin_tools import ReadOnlyAdminMixin

from .models import AccrochageEntry, AccrochageFlow, DocumentSend


class AccrochageEntryInline(admin.TabularInline):
    model = AccrochageEntry
    fields = ("id_technique", "reason", "decision", "fingerprint")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(AccrochageFlow)
class AccrochageFlowAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
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


@admin.register(DocumentSend)
class DocumentSendAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The record of documents sent to their holders: read-only, written by the send."""

    list_display = ("document", "dossier", "recipient", "sent_by", "sent_at")
    list_select_related = ("document", "dossier", "sent_by")
    search_fields = ("document__number", "dossier__number", "recipient")
    date_hierarchy = "sent_at"
    readonly_fields = ("document", "dossier", "recipient", "sent_by", "sent_at", "email")
