"""The statistics of SPEC §8, each returned as a `Table` that screens, charts and exports share.

Every function takes a `Scope` (the dossiers — and jury sessions — a user may read, see
`scope_for`) and `Filters` (year of creation, certification, sector, region), and aggregates in
the database: `.values().annotate()` or `.aggregate()`, one to three queries per table whatever
the number of dossiers. Python only reshapes the aggregated rows (fills in zeros, computes
rates, rolls certifications up into sectors); it never sees a dossier.

Public API (screens and Excel exports): `scope_for(user)`, `Filters` (or
`forms.StatsFilterForm(request.GET).filters()`), `table(key, scope, filters)`,
`all_tables(scope, filters)`, `TABLES` (the keys), and one function per table.

Conventions:
- Filters select a set of dossiers (created in `year`, of `certification`, of `sector`, of an
  establishment in `region`); every table describes that set.
- Dimensions with a fixed list (states, sectors, regions, active certifications) are listed in
  full, zeros included, so that « a region with no dossier » shows 0.
- Outcomes count standing jury decisions only (revoked ones are history, not results), grouped
  by the year of the jury session.
- Time in a state: each stay lasts from the transition that entered the state to the next
  transition of the same dossier. Stays still open are excluded (a figure must not change just
  because time passes), and the decided states are left out (a dossier only leaves them through
  a revocation). PostgreSQL computes the median with `percentile_cont(0.5)` over the durations
  from a `LEAD(at)` window; other databases (SQLite) use a portable ordered query: the stays
  are ranked by duration within their state and the middle one or two averaged, in SQL.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import (
    Aggregate,
    Avg,
    Count,
    DurationField,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Window,
)
from django.db.models.functions import ExtractYear, Lead, RowNumber
from django.utils import timezone

from dossiers.enums import DossierState
from dossiers.models import Dossier, DossierTransition
from dossiers.selectors import visibility_filter
from ecertif.accounts.geography import REGION_CHOICES
from ecertif.tables import Column, Table
from evaluations.models import WorkplaceAssessorInvitation
from jurys.enums import Outcome, SessionStatus
from jurys.models import JuryDecision, JurySession, SessionRegistration
from referentiel.models import Certification, Sector

# States whose length is measured (the decided ones are final).
TIMED_STATES = [
    DossierState.REGISTERING,
    DossierState.AWAITING_ASSESSMENT,
    DossierState.AWAITING_JURY,
]
OUTCOMES = [Outcome.VALIDATED, Outcome.PARTIALLY_VALIDATED, Outcome.NOT_VALIDATED]
UNKNOWN_REGION = "Région non reconnue"
SECONDS_PER_DAY = 86400


@dataclass(frozen=True)
class Filters:
    """What the statistics are restricted to; every field optional (ids, not objects)."""

    year: int | None = None
    certification: int | None = None
    sector: int | None = None
    region: str = ""

    @property
    def active(self):
        return bool(self.year or self.certification or self.sector or self.region)

    def apply(self, dossiers):
        if self.year:
            dossiers = dossiers.filter(created_at__year=self.year)
        if self.certification:
            dossiers = dossiers.filter(certification_id=self.certification)
        if self.sector:
            dossiers = dossiers.filter(certification__sector_id=self.sector)
        if self.region:
            dossiers = dossiers.filter(establishment__region=self.region)
        return dossiers

    def as_query(self):
        """The GET parameters of these filters, as the statistics form reads them."""
        pairs = {
            "year": self.year,
            "certification": self.certification,
            "sector": self.sector,
            "region": self.region,
        }
        return {name: str(value) for name, value in pairs.items() if value}


NO_FILTERS = Filters()


@dataclass(frozen=True)
class Scope:
    """What a user may count: dossiers, and the jury sessions listed in the sessions table.

    `sessions=None`: the sessions where one of these dossiers is registered or was decided.
    `memo` keeps the aggregated rows two tables share (state counts, certification counts), so
    that a page computing both through one `Scope` scans the dossiers once.
    """

    dossiers: QuerySet
    sessions: QuerySet | None = None
    memo: dict = field(default_factory=dict, compare=False, repr=False)


def scope_for(user):
    """The secretariat counts everything; others the dossiers they may read (the rule of
    `dossiers.selectors.visibility_filter`, which gives a jury member the dossiers of its
    sessions); a jury member's sessions table lists its sessions."""
    condition = visibility_filter(user)
    if condition is None:
        return Scope(Dossier.objects.all(), JurySession.objects.all())
    member = getattr(user, "jury_member", None)
    sessions = None if member is None else JurySession.objects.filter(members=member)
    return Scope(Dossier.objects.filter(condition), sessions)


def _scope(scope):
    return scope if isinstance(scope, Scope) else Scope(scope)


def _dossiers(scope, filters):
    """The filtered dossiers, stripped of the list's joins and ordering."""
    return (filters or NO_FILTERS).apply(_scope(scope).dossiers).select_related(None).order_by()


def _within(queryset, lookup, dossiers):
    """`queryset` restricted to `dossiers` through `lookup`; no subquery when they are all the
    dossiers (the secretariat without filters), which spares the database a join."""
    if not dossiers.query.where:
        return queryset
    return queryset.filter(**{f"{lookup}__in": dossiers})


def _standing_decisions(scope, filters):
    decisions = JuryDecision.objects.filter(revoked_at__isnull=True).order_by()
    return _within(decisions, "dossier", _dossiers(scope, filters))


def _rate(count, total):
    return count / total if total else None


def _days(duration):
    return None if duration is None else round(duration.total_seconds() / SECONDS_PER_DAY, 1)


# Dossier counts


def _memoized(scope, filters, name, compute):
    """`compute()` once per scope, filters and name: tables that share aggregated rows."""
    key = (name, filters or NO_FILTERS)
    if key not in scope.memo:
        scope.memo[key] = compute()
    return scope.memo[key]


def _state_counts(scope, filters):
    """{state: dossiers}; shared by « Dossiers par statut » and « Ce qui attend »."""
    scope = _scope(scope)
    return _memoized(
        scope,
        filters,
        "state_counts",
        lambda: dict(
            _dossiers(scope, filters)
            .values("state")
            .annotate(n=Count("pk"))
            .values_list("state", "n")
        ),
    )


def dossiers_by_state(scope, filters=None):
    counts = _state_counts(scope, filters)
    return Table(
        key="dossiers_par_statut",
        title="Dossiers par statut",
        columns=[Column("Statut", width=26), Column("Dossiers", "int", 12)],
        rows=[(state.label, counts.get(state.value, 0)) for state in DossierState],
    )


def _certification_counts(scope, filters):
    """{(certification id, sector id): dossiers}; shared by the certification and sector tables."""
    scope = _scope(scope)
    return _memoized(
        scope,
        filters,
        "certification_counts",
        lambda: {
            (certification, sector): n
            for certification, sector, n in _dossiers(scope, filters)
            .values("certification_id", "certification__sector_id")
            .annotate(n=Count("pk"))
            .values_list("certification_id", "certification__sector_id", "n")
        },
    )


def dossiers_by_certification(scope, filters=None):
    """Every active certification (zeros included), and inactive ones that still count."""
    counts = {
        certification: n
        for (certification, _sector), n in _certification_counts(scope, filters).items()
    }
    certifications = (
        Certification.objects.filter(Q(active=True) | Q(pk__in=list(counts)))
        .order_by("sector__position", "position", "label")
        .values_list("pk", "label", "sector__name")
    )
    return Table(
        key="dossiers_par_certification",
        title="Dossiers par certification",
        columns=[
            Column("Certification", width=50),
            Column("Filière", width=30),
            Column("Dossiers", "int", 12),
        ],
        rows=[(label, sector, counts.get(pk, 0)) for pk, label, sector in certifications],
    )


def dossiers_by_sector(scope, filters=None):
    counts = {}
    for (_certification, sector), n in _certification_counts(scope, filters).items():
        counts[sector] = counts.get(sector, 0) + n
    sectors = Sector.objects.order_by("position", "name").values_list("pk", "name")
    return Table(
        key="dossiers_par_filiere",
        title="Dossiers par filière",
        columns=[Column("Filière", width=40), Column("Dossiers", "int", 12)],
        rows=[(name, counts.get(pk, 0)) for pk, name in sectors],
    )


def dossiers_by_region(scope, filters=None):
    """The 18 regions (zeros included), then the unrecognised postcodes if any."""
    counts = dict(
        _dossiers(scope, filters)
        .values("establishment__region")
        .annotate(n=Count("pk"))
        .values_list("establishment__region", "n")
    )
    rows = [(label, counts.get(code, 0)) for code, label in REGION_CHOICES]
    if counts.get(""):
        rows.append((UNKNOWN_REGION, counts[""]))
    return Table(
        key="dossiers_par_region",
        title="Dossiers par région",
        columns=[Column("Région", width=30), Column("Dossiers", "int", 12)],
        rows=rows,
    )


def dossiers_by_year(scope, filters=None):
    """Year of creation, from the first to the last year with a dossier (gaps as zeros)."""
    counts = dict(
        _dossiers(scope, filters)
        .annotate(year=ExtractYear("created_at"))
        .values("year")
        .annotate(n=Count("pk"))
        .values_list("year", "n")
    )
    years = range(min(counts), max(counts) + 1) if counts else []
    return Table(
        key="dossiers_par_annee",
        title="Dossiers par année de création",
        columns=[Column("Année", width=10), Column("Dossiers", "int", 12)],
        rows=[(str(year), counts.get(year, 0)) for year in years],
    )


# Outcomes

OUTCOME_COLUMNS = [
    Column("Décisions", "int", 12),
    Column("Validé", "int", 10),
    Column("Partiel", "int", 10),
    Column("Non validé", "int", 12),
    Column("Taux validé", "percent", 14),
    Column("Taux partiel", "percent", 14),
    Column("Taux non validé", "percent", 16),
]


def _outcome_counts():
    return {
        "total": Count("pk"),
        **{outcome.value: Count("pk", filter=Q(outcome=outcome)) for outcome in OUTCOMES},
    }


def _outcome_cells(row):
    counts = [row[outcome.value] for outcome in OUTCOMES]
    return (row["total"], *counts, *(_rate(n, row["total"]) for n in counts))


def outcomes_by_certification(scope, filters=None):
    """Certifications with at least one standing decision."""
    rows = (
        _standing_decisions(scope, filters)
        .values("dossier__certification_id", "dossier__certification__label")
        .annotate(**_outcome_counts())
        .order_by(
            "dossier__certification__sector__position",
            "dossier__certification__position",
            "dossier__certification__label",
        )
    )
    return Table(
        key="resultats_par_certification",
        title="Résultats du jury par certification",
        columns=[Column("Certification", width=50), *OUTCOME_COLUMNS],
        rows=[(row["dossier__certification__label"], *_outcome_cells(row)) for row in rows],
    )


def outcomes_by_year(scope, filters=None):
    """Grouped by the year of the jury session that decided."""
    rows = (
        _standing_decisions(scope, filters)
        .annotate(year=ExtractYear("session__date"))
        .values("year")
        .annotate(**_outcome_counts())
        .order_by("year")
    )
    return Table(
        key="resultats_par_annee",
        title="Résultats du jury par année de session",
        columns=[Column("Année du jury", width=14), *OUTCOME_COLUMNS],
        rows=[(str(row["year"]), *_outcome_cells(row)) for row in rows],
    )


# Time spent in each state


class PercentileCont(Aggregate):
    """PostgreSQL's ordered-set aggregate: `percentile_cont(0.5)` is the median."""

    function = "PERCENTILE_CONT"
    name = "PercentileCont"
    arity = 1
    template = "%(function)s(%(percentile)s) WITHIN GROUP (ORDER BY %(expressions)s)%(filter)s"

    def __init__(self, expression, percentile=0.5, **extra):
        if not 0 <= percentile <= 1:
            raise ValueError("percentile must be between 0 and 1")
        super().__init__(expression, percentile=float(percentile), **extra)


def _next_transition_at():
    """The `at` of the dossier's following transition (same order as the history)."""
    return (
        DossierTransition.objects.filter(dossier=OuterRef("dossier"))
        .filter(Q(at__gt=OuterRef("at")) | Q(at=OuterRef("at"), pk__gt=OuterRef("pk")))
        .order_by("at", "pk")
        .values("at")[:1]
    )


def _stay_figures_percentile(transitions):
    """PostgreSQL: LEAD(at) over each dossier's history, then percentile_cont per state."""
    stays = transitions.annotate(
        left_at=Window(Lead("at"), partition_by=F("dossier_id"), order_by=[F("at"), F("pk")])
    ).annotate(duration=F("left_at") - F("at"))
    figures = {}
    for state in TIMED_STATES:
        in_state = Q(target=state)
        # NULL durations (stays still open) are ignored by every aggregate.
        figures[f"{state}__count"] = Count("duration", filter=in_state)
        figures[f"{state}__mean"] = Avg("duration", filter=in_state)
        figures[f"{state}__median"] = PercentileCont(
            "duration", filter=in_state, output_field=DurationField()
        )
    return stays.aggregate(**figures)


def _stay_figures_ordered(transitions):
    """Portable SQL: rank the finished stays by duration within their state and average the
    middle one (odd count) or two (even count)."""
    stays = (
        transitions.filter(target__in=TIMED_STATES)
        .annotate(left_at=Subquery(_next_transition_at()))
        .filter(left_at__isnull=False)
        .annotate(duration=F("left_at") - F("at"))
        .annotate(
            rank=Window(RowNumber(), partition_by=F("target"), order_by=[F("duration"), F("pk")]),
            stay_count=Window(Count("pk"), partition_by=F("target")),
            stay_mean=Window(Avg("duration"), partition_by=F("target")),
        )
        .annotate(twice_rank=F("rank") * 2)
        # The middle rows: 2·rank ∈ [count, count + 2].
        .filter(twice_rank__gte=F("stay_count"), twice_rank__lte=F("stay_count") + 2)
    )
    figures = {}
    for state in TIMED_STATES:
        in_state = Q(target=state)
        figures[f"{state}__count"] = Max("stay_count", filter=in_state)
        figures[f"{state}__mean"] = Max("stay_mean", filter=in_state, output_field=DurationField())
        figures[f"{state}__median"] = Avg("duration", filter=in_state)
    return stays.aggregate(**figures)


def median_days_by_state(scope, filters=None, *, method=None):
    """`method`: "percentile" (PostgreSQL only) or "ordered"; by default the database's best."""
    if method is None:
        method = "percentile" if connection.vendor == "postgresql" else "ordered"
    transitions = _within(
        DossierTransition.objects.order_by(), "dossier", _dossiers(scope, filters)
    )
    compute = _stay_figures_percentile if method == "percentile" else _stay_figures_ordered
    figures = compute(transitions)
    rows = [
        (
            state.label,
            figures[f"{state}__count"] or 0,
            _days(figures[f"{state}__median"]),
            _days(figures[f"{state}__mean"]),
        )
        for state in TIMED_STATES
    ]
    return Table(
        key="duree_par_statut",
        title="Durée passée dans chaque statut",
        columns=[
            Column("Statut", width=26),
            Column("Séjours terminés", "int", 16),
            Column("Durée médiane (jours)", "float", 20),
            Column("Durée moyenne (jours)", "float", 20),
        ],
        rows=rows,
    )


# Jury sessions and what waits


def sessions_load(scope, filters=None):
    """Each session with its dossiers: still waiting for the decision, and decided by outcome.

    A session is listed when it is in the scope's sessions (unless filters are active) or when
    one of the counted dossiers is registered to it or was decided in it. Three queries:
    registrations and decisions grouped by session (the dossier scope is evaluated once in
    each), then the sessions themselves.
    """
    scope = _scope(scope)
    filters = filters or NO_FILTERS
    dossiers = _dossiers(scope, filters)
    registrations = SessionRegistration.objects.filter(ended_at__isnull=True).order_by()
    decisions = JuryDecision.objects.filter(revoked_at__isnull=True).order_by()
    if scope.sessions is not None:
        registrations = registrations.filter(session__in=scope.sessions)
        decisions = decisions.filter(session__in=scope.sessions)
    pending = dict(
        _within(registrations, "dossier", dossiers)
        .values("session")
        .annotate(n=Count("pk"))
        .values_list("session", "n")
    )
    decided = {
        (session, outcome): n
        for session, outcome, n in _within(decisions, "dossier", dossiers)
        .values("session", "outcome")
        .annotate(n=Count("pk"))
        .values_list("session", "outcome", "n")
    }
    sessions = JurySession.objects.all() if scope.sessions is None else scope.sessions
    # Sessions are few (a handful a year): listing them all and keeping those with counted
    # dossiers keeps the number of queries the same whatever the data.
    only_counted = scope.sessions is None or filters.active
    counted = set(pending) | {session for session, _outcome in decided}
    rows = []
    for pk, date, place, status in sessions.order_by("-date", "-pk").values_list(
        "pk", "date", "place", "status"
    ):
        if only_counted and pk not in counted:
            continue
        outcomes = [decided.get((pk, outcome.value), 0) for outcome in OUTCOMES]
        waiting_count = pending.get(pk, 0)
        rows.append((date, place, status, waiting_count + sum(outcomes), waiting_count, *outcomes))
    statuses = dict(SessionStatus.choices)
    return Table(
        key="sessions_jury",
        title="Sessions du jury et leurs dossiers",
        columns=[
            Column("Date de la session", "date", 14),
            Column("Lieu", width=30),
            Column("Statut", width=22),
            Column("Dossiers", "int", 10),
            Column("En attente de décision", "int", 14),
            Column("Validé", "int", 10),
            Column("Partiel", "int", 10),
            Column("Non validé", "int", 12),
        ],
        rows=[(row[0], row[1], statuses.get(row[2], row[2]), *row[3:]) for row in rows],
    )


def waiting(scope, filters=None):
    """What waits for someone: assessments, workplace assessors' answers, jury registrations.

    Counted from the small tables (invitations, registrations) and the state counts, so that
    no per-dossier subquery runs over the whole dossier table.
    """
    states = _state_counts(scope, filters)
    dossiers = _dossiers(scope, filters)
    now = timezone.now()
    unanswered = Q(observations_submitted_at__isnull=True, assessment__completed_at__isnull=True)
    invitations = _within(
        WorkplaceAssessorInvitation.objects.filter(
            revoked_at__isnull=True, assessment__dossier__state=DossierState.AWAITING_ASSESSMENT
        ).order_by(),
        "assessment__dossier",
        dossiers,
    ).aggregate(
        invited=Count("assessment__dossier", distinct=True),
        pending=Count("pk", filter=unanswered & Q(expires_at__gt=now)),
        expired=Count("pk", filter=unanswered & Q(expires_at__lte=now)),
    )
    registered = _within(
        SessionRegistration.objects.filter(
            ended_at__isnull=True, dossier__state=DossierState.AWAITING_JURY
        ).order_by(),
        "dossier",
        dossiers,
    ).count()
    awaiting_assessment = states.get(DossierState.AWAITING_ASSESSMENT, 0)
    awaiting_jury = states.get(DossierState.AWAITING_JURY, 0)
    return Table(
        key="en_attente",
        title="Ce qui attend",
        columns=[Column("En attente", width=60), Column("Nombre", "int", 12)],
        rows=[
            (
                "Dossiers en cours d'inscription (employeur)",
                states.get(DossierState.REGISTERING, 0),
            ),
            ("Dossiers en attente d'évaluation", awaiting_assessment),
            (
                "… dont évaluateur métier pas encore invité",
                awaiting_assessment - invitations["invited"],
            ),
            ("Invitations d'évaluateurs métier sans réponse", invitations["pending"]),
            ("Invitations d'évaluateurs métier expirées sans réponse", invitations["expired"]),
            ("Dossiers en attente de jury, à inscrire à une session", awaiting_jury - registered),
            ("Dossiers inscrits à une session, en attente de décision", registered),
        ],
    )


# Registry: every table by its key, for screens and Excel exports.

TABLES = {
    "dossiers_par_statut": dossiers_by_state,
    "dossiers_par_certification": dossiers_by_certification,
    "dossiers_par_filiere": dossiers_by_sector,
    "dossiers_par_region": dossiers_by_region,
    "dossiers_par_annee": dossiers_by_year,
    "resultats_par_certification": outcomes_by_certification,
    "resultats_par_annee": outcomes_by_year,
    "duree_par_statut": median_days_by_state,
    "sessions_jury": sessions_load,
    "en_attente": waiting,
}


def table(key, scope, filters=None):
    """One statistic by its key; `KeyError` for an unknown key."""
    return TABLES[key](scope, filters)


def all_tables(scope, filters=None):
    scope = _scope(scope)
    return [compute(scope, filters) for compute in TABLES.values()]
