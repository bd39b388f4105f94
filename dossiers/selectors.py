"""Per-user querysets: every view loads dossiers through these, another tenant's is a 404."""

from django.apps import apps
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from ecertif.accounts.enums import Role
from ecertif.accounts.rules import is_secretariat

from . import counts
from .enums import DossierState
from .models import Candidate, Dossier

# Models of the apps built on the dossiers (evaluations, jurys, notifications' rows about
# dossiers) are reached through the registry, not imported: imports only go down.


def _model(label):
    return apps.get_model(label)


def accredited_assessors(*, certification, day=None):
    """Assessors holding an accreditation for `certification` valid on `day` (today by default)."""
    day = day or timezone.localdate()
    assessor_model = Dossier._meta.get_field("assessor").related_model
    return (
        assessor_model.objects.filter(
            accreditations__certifications=certification,
            accreditations__valid_from__lte=day,
            accreditations__valid_until__gte=day,
        )
        .select_related("user")
        .distinct()
        .order_by("user__last_name", "user__first_name")
    )


def is_accredited(*, assessor, certification, day=None):
    return (
        accredited_assessors(certification=certification, day=day).filter(pk=assessor.pk).exists()
    )


def visibility_filter(user):
    """The Q of the dossiers `user` may read, or None for « everything »."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if is_secretariat(user):
        return None
    condition = Q(pk__in=[])
    membership = getattr(user, "membership", None)
    if membership is not None:
        condition |= Q(establishment_id=membership.establishment_id)
    assessor = getattr(user, "assessor_profile", None)
    if assessor is not None:
        condition |= Q(assessor_id=assessor.pk) & ~Q(state=DossierState.REGISTERING)
    member = getattr(user, "jury_member", None)
    if member is not None and member.active:
        # A jury member examines the dossiers registered to (or decided by) their sessions.
        current = member.sessions.filter(registrations__ended_at__isnull=True).values(
            "registrations__dossier"
        )
        decided = member.sessions.filter(decisions__revoked_at__isnull=True).values(
            "decisions__dossier"
        )
        condition |= Q(pk__in=current) | Q(pk__in=decided)
    return condition


def visible_dossiers(user):
    """The dossiers `user` may read, without any join: what lists count and page through."""
    condition = visibility_filter(user)
    queryset = Dossier.objects.all()
    return queryset if condition is None else queryset.filter(condition)


# The list filters a maintained count cannot answer (it knows the states only).
UNCOUNTED_FILTERS = ("q", "certification", "year", "session")


def counted(roles, filters):
    """True when the per-state counters (counts.py) count the list: every dossier, filtered by
    state at most. Every dossier is the secretariat's list (`roles`: the request's;
    visibility_filter answers None for it alone)."""
    if not counts.maintained() or Role.SECRETARIAT not in roles:
        return False
    return not any(filters.get(name) for name in UNCOUNTED_FILTERS)


def maintained_count(roles, filters):
    """The number of dossiers of a list from the per-state counters when they count it
    (`counted`); else None (count them)."""
    if not counted(roles, filters):
        return None
    return counts.count(filters.get("state") or "")


def dossiers_for(user):
    queryset = Dossier.objects.select_related(
        "candidate",
        "certification",
        "option",
        "establishment",
        "training_scheme",
        "provider",
        "assessor__user",
    )
    condition = visibility_filter(user)
    return queryset if condition is None else queryset.filter(condition)


# Sort keys of the dossier lists (URL value → ordering).
SORTS = {
    "numero": "number",
    "-numero": "-number",
    "candidat": "candidate__birth_name",
    "-candidat": "-candidate__birth_name",
    "date": "created_at",
    "-date": "-created_at",
    "statut": "state",
}
DEFAULT_SORT = "-date"


def filter_dossiers(
    queryset, *, q="", state="", certification=None, year=None, session=None, sort="", **_
):
    """The list's search, filters and sort: the screen and its Excel export share them."""
    q = (q or "").strip()
    if q:
        # The list reads the hits once, in their order (count and page: `dossier_list`).
        queryset = queryset.filter(pk__in=search_ids(q))
    if state:
        queryset = queryset.filter(state=state)
    if certification:
        queryset = queryset.filter(certification=certification)
    if year:
        queryset = queryset.filter(created_at__year=year)
    if session:
        # Registered to that session now, or decided by it: one row per dossier.
        queryset = queryset.filter(
            Q(pk__in=session.registrations.filter(ended_at__isnull=True).values("dossier"))
            | Q(pk__in=session.decisions.filter(revoked_at__isnull=True).values("dossier"))
        )
    return queryset.order_by(SORTS.get(sort or DEFAULT_SORT, "-created_at"), "-pk")


# Up to this many hits, the list reads a search's ids once (count and page); beyond (a one- or
# two-letter search), it counts, then reads the page's ids.
SEARCH_IDS_LIMIT = 1000


def search_ids(q):
    """The ids of the dossiers whose number or candidate's names contain `q`.

    A UNION of lookups that each an index answers (the trigram indexes of migration 0003 on the
    number and on each name column, then the dossiers' candidate index): an OR across the two
    tables would make PostgreSQL scan every dossier."""
    by_number = Dossier.objects.filter(number__icontains=q).order_by().values("pk")
    candidates = Candidate.objects.filter(
        Q(birth_name__icontains=q) | Q(usage_name__icontains=q) | Q(first_names__icontains=q)
    ).values("pk")
    by_candidate = Dossier.objects.filter(candidate_id__in=candidates).order_by().values("pk")
    return by_number.union(by_candidate)


def to_register(queryset):
    """« À inscrire à un jury »: evaluated dossiers registered to no session."""
    registration = _model("jurys.SessionRegistration")
    return queryset.filter(state=DossierState.AWAITING_JURY).exclude(
        Exists(registration.objects.filter(dossier=OuterRef("pk"), ended_at__isnull=True))
    )
