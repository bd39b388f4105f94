from django.contrib import admin
from import_export.admin import ImportExportModelAdmin
from import_export.formats.base_formats import CSV, XLSX

from .models import JuryMember


@admin.register(JuryMember)
class JuryMemberAdmin(ImportExportModelAdmin):
    formats = [XLSX, CSV]
    list_display = ["__str__", "college", "organisation", "active"]
    list_filter = ["college", "active"]
    list_select_related = ["user"]
    search_fields = ["user__email", "user__last_name", "organisation"]
    autocomplete_fields = ["user"]
