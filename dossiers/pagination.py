from django.core.paginator import Paginator


class RowsPaginator(Paginator):
    """A paginator told the count when it is known without counting (the per-state counters of
    dossiers.counts, a search's hits): its rows come from `dossiers.rows.PageRows`, which reads
    a page's ids on the dossiers alone (no join, no annotation), then joins 20 rows — planning
    9 joins over the whole table cost more than running the query — or, for every dossier,
    from `dossiers.rows.EveryDossierRows`, which counts as it reads the page asked for."""

    def __init__(self, object_list, per_page, *, count=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        if count is not None:
            # The cached property's value.
            self.__dict__["count"] = count
