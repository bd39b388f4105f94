"""The rows of the dossier list (issue #14): what a row shows, read for one page at a time.

The page's ids come first (one table, see `pagination.RowsPaginator`), then one fixed query
joins the four tables a row displays for these ids, with the row icons' flags, as tuples: a row
is a `ListRow`, not four model instances (building them cost more than running the query). One
query with the ids as a subquery saved nothing and let the planner pick a slow plan for some
sorts (48 ms for the candidates' order, page 3, at 100,000 dossiers). The secretariat's list
(every dossier, by state at most, in an order of the dossiers' own columns) is the exception:
its count, its page's ids (MATERIALIZED, read first by the order's index) and its rows come
from one prepared query (`every_dossier_page`): one round trip instead of three."""

import datetime
import functools

from django.apps import apps
from django.utils import timezone

from ecertif.prepared import prepared_cursor

from . import counts
from .enums import DossierState
from .models import Candidate, Dossier, StateFlags, full_name
from .selectors import (
    DEFAULT_SORT,
    SEARCH_IDS_LIMIT,
    SORTS,
    counted,
    maintained_count,
)

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
    return _aware([found[pk] for pk in ids])


def _aware(rows):
    for row in rows:
        # SQLite returns naive datetimes (in UTC); PostgreSQL aware ones.
        if timezone.is_naive(row.created_at):
            row.created_at = row.created_at.replace(tzinfo=datetime.UTC)
    return rows


class PageRows:
    """The rows of a list as its paginator slices them: `rows[bottom:top]` reads the page's ids
    (from a list of ids or from the filtered queryset), then their `ListRow`s. `len()` counts
    the list or the queryset."""

    def __init__(self, user, dossiers):
        self.user = user
        self.dossiers = dossiers

    def __getitem__(self, page):
        if page.start == page.stop:
            return []
        if isinstance(self.dossiers, list):
            ids = self.dossiers[page]
        else:
            ids = list(self.dossiers[page].values_list("pk", flat=True))
        return list_rows(ids, self.user)

    def __len__(self):
        if isinstance(self.dossiers, list):
            return len(self.dossiers)
        return self.dossiers.count()


class EveryDossierRows:
    """Every dossier (in `state`, if given) in the order `sort` (a key of OWN_ORDERS), as its
    paginator slices them: the count and the rows of the page asked for (`offset`) come from
    one query (`every_dossier_page`), read when the paginator first counts; another page
    (one out of range: the paginator then shows the last one) reads its own."""

    def __init__(self, user, *, state, sort, offset, per_page):
        self.user, self.state, self.sort = user, state, sort
        self.offset, self.per_page = offset, per_page
        self.pages = {}

    def read(self, offset):
        if offset not in self.pages:
            self.count, self.pages[offset] = every_dossier_page(
                state=self.state,
                sort=self.sort,
                offset=offset,
                limit=self.per_page,
                user=self.user,
            )
        return self.pages[offset]

    def __getitem__(self, page):
        if page.start == page.stop:
            return []
        return self.read(page.start)[: page.stop - page.start]

    def __len__(self):
        self.read(self.offset)
        return self.count


def paged_rows(user, roles, dossiers, *, filters, page, per_page):
    """(rows, count or None) for the list of `dossiers` (filtered by `filters`) that a
    `RowsPaginator` pages through: `page` is the page number asked for (a string, or None).

    A search finds a few dossiers: their ordered ids, read in one query, give the count and the
    pages (instead of a count, then the page's ids); beyond SEARCH_IDS_LIMIT (a one- or
    two-letter search), the pages come from the queryset. Every dossier by state at most (the
    secretariat's list, the most visited page) reads its count and its page in one query;
    other lists count the maintained counters when they can (selectors.maintained_count)."""
    if filters.get("q"):
        ids = list(dossiers.values_list("pk", flat=True)[: SEARCH_IDS_LIMIT + 1])
        if len(ids) <= SEARCH_IDS_LIMIT:
            return PageRows(user, ids), len(ids)
        return PageRows(user, dossiers), None
    sort = filters.get("sort") or DEFAULT_SORT
    if counted(roles, filters) and sort in OWN_ORDERS:
        every = EveryDossierRows(
            user,
            state=filters.get("state") or "",
            sort=sort,
            offset=(_page_number(page) - 1) * per_page,
            per_page=per_page,
        )
        return every, None
    return PageRows(user, dossiers), maintained_count(roles, filters)


def _page_number(page):
    """The page Django's paginator will show for `page`, when it is in range."""
    try:
        return max(int(page), 1)
    except (TypeError, ValueError):
        return 1


# The sorts of `selectors.filter_dossiers` on the dossiers' own columns, in SQL, then the id.
OWN_ORDERS = {
    sort: f"{field.lstrip('-')}{' DESC' if field.startswith('-') else ''}, id DESC"
    for sort, field in SORTS.items()
    if "__" not in field
}


def every_dossier_page(*, state, sort, offset, limit, user):
    """(count, `ListRow`s) of a page of every dossier (in `state`, if given) in the order `sort`
    (a key of OWN_ORDERS), in one round trip: the count from the per-state counters
    (counts.py), the page's ids as the ORM would read them, their rows — the secretariat's
    list, most visited page of all, as fixed SQL that PostgreSQL prepares (PostgreSQL only:
    the counters are its triggers'). The ids are MATERIALIZED: read first, by the index of
    the order, then joined. The page's bounds are written in the text (integers): as
    parameters, PostgreSQL cannot cost a generic plan (it assumes a tenth of the table) and
    plans the query again on every execution. With no row on the page, one row of NULLs
    still carries the count."""
    where, params = ("WHERE state = %s", [state]) if state else ("", [])
    count, count_params = counts.count_sql(state)
    order = OWN_ORDERS[sort]
    with prepared_cursor() as cursor:
        cursor.execute(
            f"WITH page AS MATERIALIZED (SELECT id FROM {Dossier._meta.db_table} {where}"
            f" ORDER BY {order} LIMIT {int(limit)} OFFSET {int(offset)})"
            f" SELECT ({count}), r.*"
            f" FROM (SELECT 1) one LEFT JOIN ({_rows_sql()} WHERE d.id IN (SELECT id FROM page))"
            f" r ON true ORDER BY {', '.join(f'r.{term}' for term in order.split(', '))}",
            [*params, *count_params, user.pk],
        )
        found = cursor.fetchall()
    rows = [ListRow(values[1:]) for values in found if values[1] is not None]
    return int(found[0][0]), _aware(rows)


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
