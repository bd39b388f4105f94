from django.contrib import admin

from .models import Notification


class ReadListFilter(admin.SimpleListFilter):
    title = "lecture"
    parameter_name = "lue"

    def lookups(self, request, model_admin):
        return [("non", "Non lues"), ("oui", "Lues")]

    def queryset(self, request, queryset):
        if self.value() == "non":
            return queryset.filter(read_at__isnull=True)
        if self.value() == "oui":
            return queryset.filter(read_at__isnull=False)
        return queryset


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["recipient", "text", "created_at", "read_at"]
    list_filter = [ReadListFilter]
    search_fields = ["recipient__email", "text"]
    list_select_related = ["recipient"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["recipient"]
    readonly_fields = ["created_at"]
