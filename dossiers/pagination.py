from django.core.paginator import Paginator


class RowsPaginator(Paginator):
    """Counts a plain filtered queryset (no join, no annotation) or a list of ids
    (a search's hits), then loads the displayed rows for the page only: `rows(bottom, top)`.
    `count`, when the caller knows it without counting (the per-state counters of
    dossiers.counts, the length of the ids), spares the count; none, no rows to load.

    The database plans the count and the page's ids on one table, and joins and annotates 20
    rows: planning 9 joins over the whole table cost more than running the query."""

    def __init__(self, object_list, per_page, *, rows, count=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.rows = rows
        if count is not None:
            # Known without counting (dossiers.counts): the cached property's value.
            self.__dict__["count"] = count

    def page(self, number):
        """The page `number`, its rows loaded by `rows(bottom, top)` (the slice of the list)."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        rows = self.rows(bottom, top) if top > bottom else []
        return self._get_page(rows, number, self)
