"""Excel files (openpyxl, write-only): one sheet each, French headers, real dates, set widths,
a frozen header row and an autofilter over the rows written.

Each writer of `WRITERS` takes the path to write, the job's owner and parameters, and a
`report(rows_written, total)` callback; it returns `Written` (row count, better title). The
owner's access is checked again here, when the file is written. Rows are streamed: the
workbook is write-only and the dossier rows come from `.iterator()`.
"""

import datetime
import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import rules
from django.db import connection
from django.db.models import Max
from django.db.models.expressions import RawSQL
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, NamedStyle
from openpyxl.utils import get_column_letter

from certificates.accrochage import AccrochageError, accrochage_export
from certificates.forms import RegisterFilterForm
from certificates.selectors import filter_register, register_documents
from dossiers.enums import DossierState, Transition
from dossiers.forms import DossierFilterForm
from dossiers.models import DossierTransition
from dossiers.selectors import filter_dossiers, visible_dossiers
from ecertif.accounts.geography import REGION_CHOICES
from ecertif.accounts.rules import is_secretariat
from ecertif.tables import Column, Table
from jurys.documents import NOT_EXAMINED, session_lines
from jurys.enums import Outcome
from jurys.models import JuryDecision, JurySession, SessionRegistration

from .enums import CHUNK_SIZE, STATISTICS_FILTERS, ExportKind
from .exceptions import ExportError

Report = Callable[[int, int], None]

DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"
NUMBER_FORMATS = {
    "int": "#,##0",
    "float": "#,##0.00",
    "percent": "0.0%",
    "date": DATE_FORMAT,
    "datetime": DATETIME_FORMAT,
}
SHEET_TITLE_MAX_LENGTH = 31
# Excel refuses these in sheet names; the slashes of a date become dashes.
_SHEET_TITLE_FORBIDDEN = str.maketrans({**dict.fromkeys("[]:*?", " "), "/": "-", "\\": "-"})


def _ignore(rows, total):
    pass


@dataclass(frozen=True)
class Written:
    """What an export writer wrote: its row count, and a better title for the job if any."""

    rows: int
    title: str = ""


def filter_summary(form):
    """[(label, value)] of the valid filters in use on a bound filters form, as displayed."""
    summary = []
    for name, value in getattr(form, "cleaned_data", {}).items():
        if value in (None, ""):
            continue
        field = form.fields[name]
        if name == "q":
            shown = f"« {value} »"
        elif hasattr(field, "choices") and not hasattr(value, "pk"):
            shown = {str(key): label for key, label in field.choices}.get(str(value), value)
        else:
            shown = str(value)
        summary.append((str(field.label), str(shown)))
    return summary


def titled(title, summary):
    """« Liste des dossiers (statut : Validé ; année : 2026) », at most 200 characters."""
    if summary:
        title += " (" + " ; ".join(f"{label.lower()} : {value}" for label, value in summary) + ")"
    return title[:200]


# --- Generic sheet -------------------------------------------------------------------------


def sheet_title(title):
    """Excel refuses []:*?/\\ in sheet names and more than 31 characters."""
    cleaned = " ".join(title.translate(_SHEET_TITLE_FORBIDDEN).split())
    return cleaned[:SHEET_TITLE_MAX_LENGTH].strip() or "Export"


def local_date(value):
    """A date for the cell: aware datetimes become the Paris calendar day."""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    return value


def _local_datetime(value):
    # openpyxl refuses aware datetimes: write the Paris wall-clock time.
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.make_naive(value)
    return value


def _text(sheet, value):
    if not value.isprintable():  # fast path: only control characters can be illegal
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if value[:1] != "=":
        return value
    # openpyxl would store "=…" as a formula: a name typed by someone must stay text.
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


def _add_named_styles(workbook):
    """One named style per number format, shared by every cell of that kind."""
    for kind, number_format in NUMBER_FORMATS.items():
        workbook.add_named_style(NamedStyle(name=f"ecertif-{kind}", number_format=number_format))


def _converter(sheet, column):
    """value → what `sheet.append` takes, for one column.

    Formatted columns reuse one cell carrying the column's named style: a write-only sheet
    serialises each row as it is appended, so the cell is free again for the next row. No
    style object is created per cell."""
    adapt = {"date": local_date, "datetime": _local_datetime}.get(column.kind)
    if column.kind not in NUMBER_FORMATS:

        def convert(value):
            if value is None or value == "":
                return None
            return _text(sheet, value) if isinstance(value, str) else value

        return convert
    cell = WriteOnlyCell(sheet)
    cell.style = f"ecertif-{column.kind}"

    def convert_formatted(value):
        if value is None or value == "":
            return None
        if isinstance(value, str):
            return _text(sheet, value)
        cell.value = adapt(value) if adapt else value
        return cell

    return convert_formatted


def write_sheet(
    path,
    *,
    title: str,
    columns: list[Column],
    rows: Iterable[tuple],
    total: int,
    report: Report = _ignore,
) -> int:
    """Write one sheet to `path` and return the number of data rows."""
    workbook = Workbook(write_only=True)
    _add_named_styles(workbook)
    sheet = workbook.create_sheet(title=sheet_title(title))
    # A write-only sheet writes widths and panes with its first row: set them before.
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    header_font = Font(bold=True)
    header_alignment = Alignment(vertical="top", wrap_text=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font = header_font
        cell.alignment = header_alignment
        header.append(cell)
    sheet.append(header)
    converters = [_converter(sheet, column) for column in columns]
    width = len(columns)
    count = 0
    append = sheet.append
    for row in rows:
        if len(row) != width:
            raise ValueError(f"{len(row)} values for {width} columns")
        append([convert(value) for convert, value in zip(converters, row, strict=False)])
        count += 1
        report(count, total)
    # Written after the rows, in the sheet's tail: the range is known only now.
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"
    workbook.save(path)
    return count


# --- Dossier list ----------------------------------------------------------------------------

# Latest date of each history action, one column each, in the order of the lifecycle.
TRANSITION_HEADERS = {
    Transition.CREATE: "Date de création",
    Transition.SUBMIT: "Date de soumission",
    Transition.RETURN_FOR_COMPLETION: "Date de renvoi à l'employeur",
    Transition.COMPLETE_ASSESSMENT: "Date de clôture de l'évaluation",
    Transition.REOPEN_ASSESSMENT: "Date de réouverture de l'évaluation",
    Transition.DECIDE: "Date de décision du jury",
    Transition.REVOKE_DECISION: "Date d'annulation de la décision",
}

DOSSIER_COLUMNS = [
    Column("N° de dossier", width=16),
    Column("Nom de naissance", width=22),
    Column("Nom d'usage", width=18),
    Column("Prénoms", width=22),
    Column("Date de naissance", kind="date", width=12),
    Column("Établissement", width=30),
    Column("SIRET", width=16),
    Column("Région", width=24),
    Column("Certification", width=40),
    Column("Option", width=18),
    Column("Dispositif de formation", width=28),
    Column("Organisme de formation", width=28),
    Column("Évaluateur habilité", width=24),
    Column("Statut", width=22),
    Column("Session du jury", kind="date", width=12),
    Column("Décision", width=12),
    *(Column(header, kind="date", width=14) for header in TRANSITION_HEADERS.values()),
]


def _transition_annotation(transition):
    return f"last_{transition.value}"


def _validated_filters(form_class, parameters, what):
    """A job's stored filters, validated again by the screen's own form."""
    form = form_class(
        data={name: "" if value is None else str(value) for name, value in parameters.items()}
    )
    if not form.is_valid():
        raise ExportError(f"Les filtres {what} ne sont plus valides : refaites votre recherche.")
    return form.cleaned_data


def dossier_filters(parameters):
    """The list's filters from the job's parameters, validated again by the list's form."""
    return _validated_filters(DossierFilterForm, parameters, "de la liste")


def filter_parameters(cleaned_data):
    """What a job stores of validated filters: JSON values (dates in ISO), empty ones left out."""
    parameters = {}
    for name, value in cleaned_data.items():
        if value in (None, ""):
            continue
        value = getattr(value, "pk", value)
        parameters[name] = value.isoformat() if isinstance(value, datetime.date) else value
    return parameters


# The dossier columns read from the list's query, as tuples (no model object).
DOSSIER_VALUES = [
    "pk",
    "number",
    "candidate__birth_name",
    "candidate__usage_name",
    "candidate__first_names",
    "candidate__birth_date",
    "establishment__name",
    "establishment__siret",
    "establishment__region",
    "certification__label",
    "option__label",
    "training_scheme__label",
    "provider__name",
    "assessor__user__first_name",
    "assessor__user__last_name",
    "assessor__user__email",
    "state",
]
REGIONS = dict(REGION_CHOICES)
STATES = dict(DossierState.choices)
OUTCOMES = dict(Outcome.choices)
TRANSITION_INDEX = {transition.value: i for i, transition in enumerate(TRANSITION_HEADERS)}


def _among(ids):
    """`ids` for an `__in` lookup: one array parameter on PostgreSQL (a list of 2,000
    placeholders costs psycopg more to parse than the query costs to run)."""
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", (list(ids),))
    return ids


def _jury_and_history(ids):
    """For a chunk of dossier ids: {id: (session date, outcome)} and {id: [latest date of each
    history action]}, in three indexed queries (no join of the whole history)."""
    jury = dict.fromkeys(ids, (None, ""))
    for dossier, date in SessionRegistration.objects.filter(
        dossier_id__in=_among(ids), ended_at__isnull=True
    ).values_list("dossier_id", "session__date"):
        jury[dossier] = (date, "")
    for dossier, date, outcome in JuryDecision.objects.filter(
        dossier_id__in=_among(ids), revoked_at__isnull=True
    ).values_list("dossier_id", "session__date", "outcome"):
        jury[dossier] = (date, outcome)
    history = {pk: [None] * len(TRANSITION_HEADERS) for pk in ids}
    for dossier, transition, at in (
        DossierTransition.objects.filter(dossier_id__in=_among(ids))
        .values("dossier_id", "transition")
        .annotate(latest=Max("at"))
        .values_list("dossier_id", "transition", "latest")
        .order_by()
    ):
        index = TRANSITION_INDEX.get(transition)
        if index is not None:
            history[dossier][index] = at
    return jury, history


def dossier_rows(queryset):
    """The export's rows, as tuples, in the list's order: the dossiers stream from one query
    (`values_list`, server-side cursor), their jury and history dates come by chunk."""
    rows = queryset.values_list(*DOSSIER_VALUES).iterator(chunk_size=CHUNK_SIZE)
    for chunk in itertools.batched(rows, CHUNK_SIZE):
        jury, history = _jury_and_history([row[0] for row in chunk])
        for row in chunk:
            (pk, number, birth_name, usage_name, first_names, birth_date, name, siret, region,
             certification, option, scheme, provider, first, last, email, state) = row  # fmt: skip
            session_date, outcome = jury[pk]
            assessor = f"{first or ''} {last or ''}".strip() or email or ""
            yield (
                number,
                birth_name or "",
                usage_name or "",
                first_names or "",
                birth_date,
                name,
                siret,
                REGIONS.get(region, region),
                certification,
                option or "",
                scheme or "",
                provider or "",
                assessor,
                STATES.get(state, state),
                session_date,
                OUTCOMES.get(outcome, outcome),
                *history[pk],
            )


def write_dossiers(path, *, owner, parameters, report: Report = _ignore) -> Written:
    """Every dossier `owner` may see today with the list's filters, in the list's order."""
    # The list screen's rows, in its order: its selector and its filters, for the owner today.
    queryset = filter_dossiers(visible_dossiers(owner), **dossier_filters(parameters))
    total = queryset.count()
    count = write_sheet(
        path,
        title="Dossiers candidats",
        columns=DOSSIER_COLUMNS,
        rows=dossier_rows(queryset),
        total=total,
        report=report,
    )
    return Written(rows=count)


# --- A session's results -----------------------------------------------------------------

SESSION_COLUMNS = [
    Column("N° de dossier", width=16),
    Column("Nom de naissance", width=22),
    Column("Nom d'usage", width=18),
    Column("Prénoms", width=22),
    Column("Date de naissance", kind="date", width=12),
    Column("Établissement", width=30),
    Column("SIRET", width=16),
    Column("Certification", width=40),
    Column("Option", width=18),
    Column("Décision", width=12),
    Column("Compétences validées", width=24),
    Column("Dont acquises lors d'un jury précédent", width=20),
    Column("Décision enregistrée le", kind="date", width=14),
]


def viewable_session(owner, session_id):
    """The session if `owner` may view it (`jurys.view_session`), else ExportError."""
    session = JurySession.objects.filter(pk=session_id).first()
    if session is None or not rules.has_perm("jurys.view_session", owner, session):
        raise ExportError("Cette session n'existe plus ou vous n'y avez plus accès.")
    return session


def _competence_numbers(decision, *, carried_only=False):
    return ", ".join(
        f"C{line.competence.number}"
        for line in decision.competences.all()
        if line.validated and (line.carried or not carried_only)
    )


def _session_row(line):
    dossier, decision = line.dossier, line.decision
    candidate = dossier.candidate
    return (
        dossier.number,
        candidate.birth_name if candidate else "",
        candidate.usage_name if candidate else "",
        candidate.first_names if candidate else "",
        candidate.birth_date if candidate else None,
        dossier.establishment.name,
        dossier.establishment.siret,
        dossier.certification.label,
        dossier.option.label if dossier.option else "",
        decision.get_outcome_display() if decision else NOT_EXAMINED,
        _competence_numbers(decision) if decision else "",
        _competence_numbers(decision, carried_only=True) if decision else "",
        decision.recorded_at if decision else None,
    )


def session_title(session):
    return f"Jury du {session.date:%d/%m/%Y}"


def write_session(path, *, owner, parameters, report: Report = _ignore) -> Written:
    """The session's decision sheet as rows: the same lines as the PDF « feuille de décision »."""
    session = viewable_session(owner, parameters.get("session"))
    # A session holds tens of dossiers: its lines are loaded at once, in constant queries.
    lines = session_lines(session)
    count = write_sheet(
        path,
        title=session_title(session),
        columns=SESSION_COLUMNS,
        rows=(_session_row(line) for line in lines),
        total=len(lines),
        report=report,
    )
    return Written(rows=count)


def export_candidate_ids(job):
    """The candidates an export holds, for the access log: the writer's own selection."""
    if job.kind == ExportKind.DOSSIERS:
        queryset = filter_dossiers(visible_dossiers(job.owner), **dossier_filters(job.parameters))
        return queryset.values_list("candidate_id", flat=True)
    if job.kind == ExportKind.SESSION:
        session = viewable_session(job.owner, job.parameters.get("session"))
        return [line.dossier.candidate_id for line in session_lines(session)]
    return []


# --- Statistics tables ---------------------------------------------------------------------


def statistics_parameters(key, querydict):
    """A statistics job's parameters: the table key and the screen's non-empty filters."""
    filters = {}
    for name in STATISTICS_FILTERS:
        value = (querydict.get(name) or "").strip()
        if value:
            filters[name] = value[:100]
    return {"key": key, "filters": filters}


def _statistics():
    """The statistics app (registry, scope, filters form), imported lazily: it builds on
    the dossiers as this module does, and an export must not break if it is missing."""
    try:
        # Optional top-floor peer: imported when a statistics export runs.
        from stats import statistics
        from stats.forms import StatsFilterForm
    except ModuleNotFoundError as error:
        if error.name not in {"stats", "stats.statistics", "stats.forms"}:
            raise
        raise ExportError("Les tableaux statistiques ne sont pas disponibles.") from error
    return statistics, StatsFilterForm


def statistics_keys():
    """The keys of every statistics table, or None when the statistics app is missing."""
    try:
        statistics, _form = _statistics()
    except ExportError:
        return None
    return set(statistics.TABLES)


def statistics_table(key, owner, filters):
    """(table, [(filter label, value)]): the table the statistics screen shows `owner` with
    these filters, on the same scope (`scope_for`) and read by the same form."""
    statistics, form_class = _statistics()
    if key not in statistics.TABLES:
        raise ExportError(f"Tableau statistique inconnu : « {key} ».")
    form = form_class(data=filters)
    table = statistics.table(key, statistics.scope_for(owner), form.filters())
    return table, filter_summary(form)


def write_table(path, table: Table, report: Report = _ignore) -> int:
    """Any `Table` (screens, charts and exports share it) as one sheet."""
    return write_sheet(
        path,
        title=table.title,
        columns=table.columns,
        rows=table.rows,
        total=len(table.rows),
        report=report,
    )


def write_statistics(path, *, owner, parameters, report: Report = _ignore) -> Written:
    """One statistics table, computed on what `owner` may count today."""
    table, summary = statistics_table(
        parameters.get("key", ""), owner, parameters.get("filters", {})
    )
    rows = write_table(path, table, report)
    return Written(rows=rows, title=titled(table.title, summary))


# --- The register of certificates ------------------------------------------------------------

CERTIFICATE_COLUMNS = [
    Column("N° du document", width=16),
    Column("Type", width=26),
    Column("Nom de naissance", width=22),
    Column("Nom d'usage", width=18),
    Column("Prénoms", width=22),
    Column("Date de naissance", kind="date", width=12),
    Column("Certification", width=40),
    Column("Option", width=18),
    Column("Établissement", width=30),
    Column("SIRET", width=16),
    Column("N° de dossier", width=16),
    Column("Jury du", kind="date", width=12),
    Column("Délivré le", kind="date", width=12),
    Column("Statut", width=12),
    Column("Révoqué le", kind="date", width=12),
]


def certificate_filters(parameters):
    """The register's filters from the job's parameters, validated again by its form."""
    return _validated_filters(RegisterFilterForm, parameters, "du registre")


def _certificate_row(document):
    decision = document.decision
    dossier = decision.dossier
    candidate = dossier.candidate
    return (
        document.number,
        document.get_kind_display(),
        candidate.birth_name if candidate else "",
        candidate.usage_name if candidate else "",
        candidate.first_names if candidate else "",
        candidate.birth_date if candidate else None,
        dossier.certification.label,
        dossier.option.label if dossier.option else "",
        dossier.establishment.name,
        dossier.establishment.siret,
        dossier.number,
        decision.session.date,
        document.issued_at,
        "Révoqué" if decision.revoked_at else "Valide",
        decision.revoked_at,
    )


def write_certificates(path, *, owner, parameters, report: Report = _ignore) -> Written:
    """The register of certificates with its screen's filters (secretariat only)."""
    if not is_secretariat(owner):
        raise ExportError("Seul le secrétariat des CQP peut exporter le registre des certificats.")
    queryset = filter_register(register_documents(), **certificate_filters(parameters))
    rows = (_certificate_row(document) for document in queryset.iterator(chunk_size=CHUNK_SIZE))
    count = write_sheet(
        path,
        title="Registre des certificats",
        columns=CERTIFICATE_COLUMNS,
        rows=rows,
        total=queryset.count(),
        report=report,
    )
    return Written(rows=count)


def write_accrochage(path, *, owner, parameters, report: Report = _ignore) -> Written:
    """The Caisse des Dépôts XML of the period: validated, recorded as a flow, then written."""
    if not is_secretariat(owner):
        raise ExportError("Seul le secrétariat des CQP peut déclarer à la Caisse des Dépôts.")
    try:
        start = datetime.date.fromisoformat(parameters.get("period_start", ""))
        end = datetime.date.fromisoformat(parameters.get("period_end", ""))
        result = accrochage_export(period_start=start, period_end=end, by=owner)
    except ValueError as error:
        raise ExportError("La période demandée n'est pas valide.") from error
    except AccrochageError as error:
        raise ExportError("aucun fichier produit.\n" + "\n".join(error.messages)) from error
    if result.flow is None:
        raise ExportError("rien de nouveau à déclarer pour cette période.")
    with open(path, "w", encoding="utf-8") as stream:
        stream.write(result.flow.xml)
    report(result.passages, result.passages)
    return Written(
        rows=result.passages,
        title=f"Déclaration à la Caisse des Dépôts — flux {result.flow.flow_id}",
    )


WRITERS = {
    ExportKind.ACCROCHAGE: write_accrochage,
    ExportKind.CERTIFICATES: write_certificates,
    ExportKind.DOSSIERS: write_dossiers,
    ExportKind.SESSION: write_session,
    ExportKind.STATISTICS: write_statistics,
}
