"""Admin lists over big tables: filters without a query, counts without a full scan."""

from django.contrib import admin
from django.contrib.admin import helpers
from django.core.paginator import Paginator
from django.db import connection
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext as _

# Below this many rows (planner's estimate), the unfiltered count is exact.
ESTIMATE_ABOVE = 10_000


class EstimatedCountPaginator(Paginator):
    """The unfiltered list of a big table counts from PostgreSQL's statistics (refreshed by
    autovacuum and ANALYZE) instead of scanning every row; a filtered list counts exactly."""

    @cached_property
    def count(self):
        query = getattr(self.object_list, "query", None)
        if connection.vendor == "postgresql" and query is not None and not query.where:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                    [self.object_list.model._meta.db_table],
                )
                row = cursor.fetchone()
            if row and row[0] > ESTIMATE_ABOVE:
                return row[0]
        return super().count


FIRST_YEAR = 2017


def year_filter(field, title="année"):
    """A filter on the year of `field`, from this year back to 2017: fixed choices, unlike
    `date_hierarchy`, which scans the whole table for its years at every display."""

    class YearFilter(admin.SimpleListFilter):
        parameter_name = f"{field}_year"

        def lookups(self, request, model_admin):
            this_year = timezone.localdate().year
            return [(str(year), str(year)) for year in range(this_year, FIRST_YEAR - 1, -1)]

        def queryset(self, request, queryset):
            if self.value() and self.value().isdigit():
                return queryset.filter(**{f"{field}__year": int(self.value())})
            return queryset

    YearFilter.title = title
    return YearFilter


def choices_filter(field, choices, title):
    """A filter on a plain character field with known values (no `SELECT DISTINCT`)."""

    class ChoicesFilter(admin.SimpleListFilter):
        parameter_name = field

        def lookups(self, request, model_admin):
            return list(choices)

        def queryset(self, request, queryset):
            if self.value():
                return queryset.filter(**{field: self.value()})
            return queryset

    ChoicesFilter.title = title
    return ChoicesFilter


class ReadOnlyAdminMixin:
    """A record the application writes and nobody edits from the admin: no add, change or
    delete (the view permission stays)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class QuickActionCheckbox:
    """The row's action checkbox written as Django's `ModelAdmin.action_checkbox` writes it,
    without a widget template per row: a hundred widget renderings were a quarter of a big
    list's time (issue #14)."""

    def action_checkbox(self, obj):
        label = format_html(_("Select this object for an action - {}"), str(obj))
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            str(obj.pk),
            label,
        )
