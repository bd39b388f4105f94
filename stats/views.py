import hashlib
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet, PermissionDenied
from django.http import QueryDict
from django.shortcuts import render
from django.utils.formats import date_format, number_format

from dossiers.enums import DECIDED_STATES, STATE_BADGES, DossierState
from ecertif.accounts.enums import Role
from ecertif.tables import Table

from . import statistics
from .forms import StatsFilterForm

# The exports app serves every statistic at <EXPORT_BASE><table key>/?<filters>.
EXPORT_BASE = "/exports/statistiques/"
NUMERIC_KINDS = {"int", "float", "percent"}
# French typography: a no-break space before « % ».
PERCENT_SIGN = "\u00a0%"
MISSING = "—"


@dataclass(frozen=True)
class ChartSpec:
    """How a table becomes a Chart.js bar chart: which columns are the series."""

    series: tuple[int, ...]
    horizontal: bool = False
    stacked: bool = False
    colors: tuple[str, ...] = ("primary",)  # one per series, Bootstrap colour names
    per_bar_colors: bool = False  # the states chart: one colour per bar (the state's badge)
    unit: str = "dossiers"


STATE_COLORS = tuple(STATE_BADGES[state] for state in DossierState)
OUTCOME_COLORS = ("success", "primary", "danger")
CHARTS = {
    "dossiers_par_statut": ChartSpec(series=(1,), per_bar_colors=True),
    "dossiers_par_certification": ChartSpec(series=(2,), horizontal=True),
    "dossiers_par_filiere": ChartSpec(series=(1,), horizontal=True),
    "dossiers_par_region": ChartSpec(series=(1,), horizontal=True),
    "dossiers_par_annee": ChartSpec(series=(1,)),
    "resultats_par_certification": ChartSpec(
        series=(2, 3, 4), horizontal=True, stacked=True, colors=OUTCOME_COLORS, unit="décisions"
    ),
    "resultats_par_annee": ChartSpec(
        series=(2, 3, 4), stacked=True, colors=OUTCOME_COLORS, unit="décisions"
    ),
    "duree_par_statut": ChartSpec(series=(2,), colors=("info",), unit="jours"),
}
EMPTY_TEXTS = {
    "resultats_par_certification": "Aucune décision du jury pour ces critères.",
    "resultats_par_annee": "Aucune décision du jury pour ces critères.",
    "duree_par_statut": "Aucun séjour terminé dans un statut pour ces critères.",
    "sessions_jury": "Aucune session du jury pour ces critères.",
}
NO_DOSSIER = "Aucun dossier pour ces critères."
# « Durée passée dans chaque statut » reads the whole history (a window over every transition,
# about half a second on 100,000 dossiers): it is kept a few minutes rather than recomputed on
# every visit. Its key is the scope's SQL, so two users share it only if they see the same rows.
CACHED_TABLES = {"duree_par_statut": 600}
CACHE_NOTES = {600: "Chiffres recalculés toutes les 10 minutes."}
# Tables whose zeros are the answer (« nothing waits »), shown even when everything is 0.
ZEROS_MEAN_SOMETHING = {"en_attente"}
# Each role's tables, in page order; `WIDE` ones take the full width, the others go in pairs.
WIDE = "wide"
HALF = "half"
LAYOUTS = {
    Role.SECRETARIAT: {
        "title": "Statistiques",
        "subtitle": "Tous les dossiers de la branche.",
        "filters": ("year", "certification", "sector", "region"),
        "tables": [
            ("dossiers_par_statut", HALF),
            ("en_attente", HALF),
            ("dossiers_par_certification", WIDE),
            ("dossiers_par_filiere", HALF),
            ("dossiers_par_annee", HALF),
            ("dossiers_par_region", WIDE),
            ("resultats_par_certification", WIDE),
            ("resultats_par_annee", HALF),
            ("duree_par_statut", HALF),
            ("sessions_jury", WIDE),
        ],
    },
    Role.EMPLOYER: {
        "title": "Tableau de bord de l'établissement",
        "subtitle": "Les dossiers de votre établissement.",
        "filters": ("year", "certification"),
        "tables": [
            ("dossiers_par_statut", HALF),
            ("en_attente", HALF),
            ("dossiers_par_certification", WIDE),
            ("dossiers_par_annee", HALF),
            ("duree_par_statut", HALF),
            ("resultats_par_certification", HALF),
            ("resultats_par_annee", HALF),
            ("sessions_jury", WIDE),
        ],
    },
    Role.ASSESSOR: {
        "title": "Tableau de bord de l'évaluateur",
        "subtitle": "Les dossiers qui vous sont confiés.",
        "filters": ("year", "certification"),
        "tables": [
            ("en_attente", HALF),
            ("dossiers_par_statut", HALF),
            ("dossiers_par_certification", WIDE),
            ("dossiers_par_annee", HALF),
            ("duree_par_statut", HALF),
            ("resultats_par_certification", HALF),
            ("resultats_par_annee", HALF),
        ],
    },
    Role.JURY_MEMBER: {
        "title": "Tableau de bord du jury",
        "subtitle": "Les sessions où vous siégez et leurs dossiers.",
        "filters": ("year", "certification"),
        "tables": [
            ("sessions_jury", WIDE),
            ("resultats_par_certification", HALF),
            ("resultats_par_annee", HALF),
        ],
    },
}


def format_cell(value, kind):
    """French display of one figure: « 1 234 », « 3,5 », « 42,9 % », « 27/11/2026 »."""
    if value is None or value == "":
        return MISSING if kind in NUMERIC_KINDS else ""
    if kind == "int":
        return number_format(value, 0, force_grouping=True)
    if kind == "float":
        return number_format(value, 1, force_grouping=True)
    if kind == "percent":
        return number_format(value * 100, 1, force_grouping=True) + PERCENT_SIGN
    if kind == "date":
        return date_format(value, "d/m/Y")
    return str(value)


@dataclass
class Panel:
    table: Table
    chart: dict | None
    empty_text: str
    wide: bool
    headers: list = field(default_factory=list)  # [(header, numeric)]
    rows: list = field(default_factory=list)  # [[(text, numeric)]]
    is_empty: bool = False
    note: str = ""

    @property
    def chart_id(self):
        return f"graphique-{self.table.key}"

    @property
    def data_id(self):
        return f"donnees-{self.table.key}"


def _is_blank(table):
    numeric = [i for i, column in enumerate(table.columns) if column.kind in NUMERIC_KINDS]
    return not any(row[i] for row in table.rows for i in numeric)


def _chart(table, spec):
    labels = [str(row[0]) for row in table.rows]
    datasets = [
        {
            "label": table.columns[index].header,
            "data": [row[index] for row in table.rows],
            "color": spec.colors[position % len(spec.colors)],
        }
        for position, index in enumerate(spec.series)
    ]
    if spec.per_bar_colors:
        datasets[0]["colors"] = list(STATE_COLORS)
    return {
        "labels": labels,
        "datasets": datasets,
        "horizontal": spec.horizontal,
        "stacked": spec.stacked,
        "unit": spec.unit,
    }


def _panel(table, width):
    empty = (not table.rows) or (table.key not in ZEROS_MEAN_SOMETHING and _is_blank(table))
    spec = CHARTS.get(table.key)
    return Panel(
        table=table,
        chart=_chart(table, spec) if spec and not empty else None,
        empty_text=EMPTY_TEXTS.get(table.key, NO_DOSSIER),
        wide=width == WIDE,
        headers=[(column.header, column.kind in NUMERIC_KINDS) for column in table.columns],
        rows=[
            [
                (format_cell(value, column.kind), column.kind in NUMERIC_KINDS)
                for value, column in zip(row, table.columns, strict=True)
            ]
            for row in table.rows
        ],
        is_empty=empty,
        note=CACHE_NOTES.get(CACHED_TABLES.get(table.key), ""),
    )


def _key_figures(tables):
    """The headline figures, read from tables already computed (no extra query)."""
    by_state = tables.get("dossiers_par_statut")
    if by_state is not None:
        counts = dict(zip(DossierState, (row[1] for row in by_state.rows), strict=True))
        total = sum(counts.values())
        decided = sum(counts[state] for state in DECIDED_STATES)
        validated_rate = counts[DossierState.VALIDATED] / decided if decided else None
        return [
            ("Dossiers", format_cell(total, "int")),
            ("En cours", format_cell(total - decided, "int")),
            ("Décidés", format_cell(decided, "int")),
            ("Taux de validation complète", format_cell(validated_rate, "percent")),
        ]
    sessions = tables.get("sessions_jury")
    if sessions is not None:
        pending = sum(row[4] for row in sessions.rows)
        decided = sum(sum(row[5:8]) for row in sessions.rows)
        return [
            ("Sessions", format_cell(len(sessions.rows), "int")),
            ("Dossiers en attente de décision", format_cell(pending, "int")),
            ("Décisions", format_cell(decided, "int")),
        ]
    return []


def _table(key, scope, filters):
    timeout = CACHED_TABLES.get(key)
    if timeout is None:
        return statistics.table(key, scope, filters)
    try:
        sessions = "" if scope.sessions is None else str(scope.sessions.query)
        identity = repr((key, str(scope.dossiers.query), sessions, filters))
    except EmptyResultSet:
        return statistics.table(key, scope, filters)
    digest = hashlib.sha256(identity.encode()).hexdigest()
    return cache.get_or_set(
        f"stats:{digest}", lambda: statistics.table(key, scope, filters), timeout
    )


def dashboard(request):
    """Each role's figures: the secretariat's statistics, or a dashboard of one's own dossiers."""
    layout = LAYOUTS.get(request.role)
    if layout is None:
        raise PermissionDenied
    form = StatsFilterForm(request.GET or None, fields=layout["filters"])
    filters = form.filters()
    scope = statistics.scope_for(request.user)
    widths = dict(layout["tables"])
    tables = {key: _table(key, scope, filters) for key in widths}
    query = QueryDict(mutable=True)
    query.update(filters.as_query())
    return render(
        request,
        "stats/dashboard.html",
        {
            "layout": layout,
            "form": form,
            "filtered": filters.active,
            "key_figures": _key_figures(tables),
            "panels": [_panel(table, widths[key]) for key, table in tables.items()],
            "export_base": EXPORT_BASE,
            "querystring": query.urlencode(),
        },
    )
