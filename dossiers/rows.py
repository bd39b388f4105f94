"""The rows of the dossier list (issue #14): what a row shows, read for one page at a time.

The page's ids come first (one table, see `pagination.RowsPaginator`), then one query joins the
four tables a row displays for these ids, with the row icons' flags, as tuples: a row is a
`ListRow`, not four model instances (building them cost more than running the query). One
query with the ids as a subquery saved nothing and let the planner pick a slow plan for some
sorts (48 ms for the candidates' order, page 3, at 100,000 dossiers)."""

from django.apps import apps
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL

from .enums import DECIDED_STATES, DossierState
from .models import Dossier, full_name

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


class ListRow:
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

    @property
    def is_decided(self):
        return self.state in DECIDED_STATES

    @property
    def is_awaiting_jury(self):
        return self.state == DossierState.AWAITING_JURY


def list_rows(page, user):
    """The `ListRow`s of one page: `page` is the page's ids, or the sliced, ordered queryset of
    the filtered dossiers, read for its ids only; then one query for these ids."""
    ids = page if isinstance(page, list) else list(page.values_list("pk", flat=True))
    if not ids:
        return []
    found = {
        values[0]: ListRow(values)
        for values in Dossier.objects.filter(pk__in=ids)
        .order_by()
        .annotate(**row_flags(user))
        .values_list(*COLUMNS, *FLAGS)
    }
    return [found[pk] for pk in ids]


def _table(label):
    # The apps built on the dossiers are reached through the registry: imports only go down.
    return apps.get_model(label)._meta.db_table


def row_flags(user):
    """What the row icons need, one EXISTS each on the row's id, as fixed SQL (RawSQL: compiling
    three `Exists()` cost more than running them)."""
    row = f'"{Dossier._meta.db_table}"."id"'
    return {
        "has_invitation": RawSQL(
            f"EXISTS (SELECT 1 FROM {_table('evaluations.WorkplaceAssessorInvitation')} i"
            f" JOIN {_table('evaluations.Assessment')} a ON a.id = i.assessment_id"
            f" WHERE a.dossier_id = {row} AND i.revoked_at IS NULL)",
            [],
            output_field=BooleanField(),
        ),
        # The bell's link to the dossier's page (notifications point to it).
        "unread_notification": RawSQL(
            f"EXISTS (SELECT 1 FROM {_table('notifications.Notification')} n"
            f" WHERE n.recipient_id = %s AND n.read_at IS NULL"
            f" AND n.link = '/dossiers/' || {row} || '/')",
            [user.pk],
            output_field=BooleanField(),
        ),
        "is_registered": RawSQL(
            f"EXISTS (SELECT 1 FROM {_table('jurys.SessionRegistration')} r"
            f" WHERE r.dossier_id = {row} AND r.ended_at IS NULL)",
            [],
            output_field=BooleanField(),
        ),
    }
