from django.contrib import admin
from import_export.admin import ImportExportModelAdmin
from import_export.formats.base_formats import CSV, XLSX

from .models import Accreditation, Assessor


class AccreditationInline(admin.TabularInline):
    model = Accreditation
    extra = 0
    filter_horizontal = ["certifications"]


@admin.register(Assessor)
class AssessorAdmin(ImportExportModelAdmin):
    formats = [XLSX, CSV]
    list_display = ["__str__", "accreditation_number", "organisation"]
    list_select_related = ["user"]
    search_fields = ["accreditation_number", "user__email", "user__last_name", "organisation"]
    autocomplete_fields = ["user"]
    inlines = [AccreditationInline]
