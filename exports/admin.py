from django.contrib import admin

from ecertif.admin_tools import ReadOnlyAdminMixin

from .models import ExportJob


@admin.register(ExportJob)
class ExportJobAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: jobs are created by their owners and deleted by the expiry task."""

    list_display = ["title", "owner", "kind", "status", "created_at", "row_count", "expires_at"]
    list_filter = ["kind", "status"]
    search_fields = ["owner__email", "owner__last_name", "title"]
    list_select_related = ["owner"]
    date_hierarchy = "created_at"
    ordering = ["-created_at"]
    # The file is private: its name only, never a link served by URL.
    fields = [
        "owner",
        "kind",
        "title",
        "parameters",
        "status",
        "progress",
        "row_count",
        "error",
        "created_at",
        "started_at",
        "finished_at",
        "expires_at",
        "file_name",
    ]
    readonly_fields = fields

    @admin.display(description="fichier")
    def file_name(self, obj):
        return obj.file.name or "—"
