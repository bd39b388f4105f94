"""The rows of the dossier list (issue #14): what a row shows, read for one page at a time.

The page's ids come first (one table, see `pagination.RowsPaginator`), then one fixed query
joins the four tables a row displays for these ids, with the row icons' flags, as tuples: a row
is a `ListRow`, not four model instances (building them cost more than running the query). One
query with the ids as a subquery saved nothing and let the planner pick a slow plan for some
sorts (48 ms for the candidates' order, page 3, at 100,000 dossiers)."""

import datetime
import functools

from django.apps import apps
from django.utils import timezone

from ecertif.prepared import prepared_cursor

from .enums import DossierState
from .models import Candidate, Dossier, StateFlags, full_name
from .selectors import DEFAULT_SORT, SEARCH_IDS_LIMIT, SORTS

# What a row displays, and what the rules ask of it (state, establishment, assessor).
COLUMNS = (
    "pk",
    "number",
    "state",
    "created_at",
    "establishment_id",
    "assessor_id",
    "candidate_id",
    "candidate__birth_name",
    "candidate__usage_name",
    "candidate__first_names",
    "certification__label",
    "option__label",
    "establishment__name",
)
FLAGS = ("has_invitation", "unread_notification", "is_registered")
# Set on each row by `rules.row_permissions` (the row actions).
PERMISSIONS = ("can_edit", "can_duplicate", "can_assess")


class ListRow(StateFlags):
    """One dossier of a list page, with the attributes the row and the rules read."""

    __slots__ = (*COLUMNS, *FLAGS, *PERMISSIONS)

    def __init__(self, values):
        for name, value in zip(self.__slots__, values, strict=False):
            setattr(self, name, value)

    @property
    def candidate_name(self):
        if self.candidate_id is None:
            return ""
        return full_name(
            self.candidate__birth_name, self.candidate__usage_name, self.candidate__first_names
        )

    @property
    def state_label(self):
        return DossierState(self.state).label


def list_rows(ids, user):
    """The `ListRow`s of the dossiers `ids`, in that order: one query."""
    if not ids:
        return []
    placeholders = ", ".join(["%s"] * len(ids))
    with prepared_cursor() as cursor:
        cursor.execute(f"{_rows_sql()} WHERE d.id IN ({placeholders})", [user.pk, *ids])
        found = {values[0]: ListRow(values) for values in cursor.fetchall()}
    rows = [found[pk] for pk in ids]
    for row in rows:
        # SQLite returns naive datetimes (in UTC); PostgreSQL aware ones.
        if timezone.is_naive(row.created_at):
            row.created_at = row.created_at.replace(tzinfo=datetime.UTC)
    return rows


class PageRows:
    """The rows of a list as its paginator slices them: `rows[bottom:top]` reads the page's ids
    (from a list of ids, by fixed SQL for every dossier, or from the filtered queryset), then
    their `ListRow`s. `len()` counts the list or the queryset."""

    def __init__(self, user, dossiers=None, *, every=None):
        self.user = user
        self.dossiers = dossiers
        self.every = every  # {"state", "sort"}: every dossier, by state at most

    def __getitem__(self, page):
        if page.start == page.stop:
            return []
        if isinstance(self.dossiers, list):
            ids = self.dossiers[page]
        elif self.every is not None:
            ids = every_dossier_ids(**self.every, offset=page.start, limit=page.stop - page.start)
        else:
            ids = list(self.dossiers[page].values_list("pk", flat=True))
        return list_rows(ids, self.user)

    def __len__(self):
        if isinstance(self.dossiers, list):
            return len(self.dossiers)
        return self.dossiers.count()


def paged_rows(user, dossiers, *, filters, count):
    """(`PageRows`, count or None) for the list of `dossiers` (filtered by `filters`); `count`:
    the maintained count of every dossier (selectors.maintained_count), or None.

    A search finds a few dossiers: their ordered ids, read in one query, give the count and the
    pages (instead of a count, then the page's ids); beyond SEARCH_IDS_LIMIT (a one- or
    two-letter search), the pages come from the queryset. Every dossier by state at most (the
    secretariat's list, the most visited page) reads its page's ids by fixed SQL."""
    if filters.get("q"):
        ids = list(dossiers.values_list("pk", flat=True)[: SEARCH_IDS_LIMIT + 1])
        if len(ids) <= SEARCH_IDS_LIMIT:
            return PageRows(user, ids), len(ids)
        return PageRows(user, dossiers), count
    sort = filters.get("sort") or DEFAULT_SORT
    if count is not None and sort in OWN_ORDERS:
        return PageRows(user, every={"state": filters.get("state") or "", "sort": sort}), count
    return PageRows(user, dossiers), count


# The sorts of `selectors.filter_dossiers` on the dossiers' own columns, in SQL, then the id.
OWN_ORDERS = {
    sort: f"{field.lstrip('-')}{' DESC' if field.startswith('-') else ''}, id DESC"
    for sort, field in SORTS.items()
    if "__" not in field
}


def every_dossier_ids(*, state, sort, offset, limit):
    """The ids of a page of every dossier (in `state`, if given) in the order `sort` (a key of
    OWN_ORDERS): what the ORM would ask, as fixed SQL that PostgreSQL prepares — the
    secretariat's list, most visited page of all."""
    where, params = ("WHERE state = %s", [state]) if state else ("", [])
    with prepared_cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM {Dossier._meta.db_table} {where}"
            f" ORDER BY {OWN_ORDERS[sort]} LIMIT %s OFFSET %s",
            [*params, limit, offset],
        )
        return [row[0] for row in cursor.fetchall()]


def _table(label):
    # The apps built on the dossiers are reached through the registry: imports only go down.
    return apps.get_model(label)._meta.db_table


@functools.cache
def _rows_sql():
    """What a row shows (the columns of COLUMNS, then FLAGS): three joins, the establishment's
    name and the row icons' EXISTS on the row's id, written once — nothing for the ORM to
    compile per page, and the same text on every page, which PostgreSQL prepares
    (ecertif.prepared). The name is a subquery: joined, PostgreSQL hashed every establishment
    (2,000 at 100,000 dossiers) for 20 rows."""
    return f"""
SELECT d.id, d.number, d.state, d.created_at, d.establishment_id, d.assessor_id, d.candidate_id,
       c.birth_name, c.usage_name, c.first_names, cert.label, o.label,
       (SELECT e.name FROM {_table("accounts.Establishment")} e WHERE e.id = d.establishment_id),
       EXISTS (SELECT 1 FROM {_table("evaluations.WorkplaceAssessorInvitation")} i
               JOIN {_table("evaluations.Assessment")} a ON a.id = i.assessment_id
               WHERE a.dossier_id = d.id AND i.revoked_at IS NULL),
       EXISTS (SELECT 1 FROM {_table("notifications.Notification")} n
               WHERE n.recipient_id = %s AND n.read_at IS NULL
                 AND n.link = '/dossiers/' || d.id || '/'),
       EXISTS (SELECT 1 FROM {_table("jurys.SessionRegistration")} r
               WHERE r.dossier_id = d.id AND r.ended_at IS NULL)
FROM {Dossier._meta.db_table} d
LEFT JOIN {Candidate._meta.db_table} c ON c.id = d.candidate_id
JOIN {_table("referentiel.Certification")} cert ON cert.id = d.certification_id
LEFT JOIN {_table("referentiel.CertificationOption")} o ON o.id = d.option_id"""
