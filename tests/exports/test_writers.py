"""The Excel files: rows, columns, dates, frozen header, autofilter, streaming."""

import datetime
import sys
from unittest import mock

import openpyxl
import pgtrigger
import pytest
from django.db import connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dossiers.enums import DossierState, Transition
from dossiers.models import DossierTransition
from ecertif.accounts.models import User
from ecertif.tables import Column, Table
from exports import writers
from exports.enums import CHUNK_SIZE, ExportKind, ExportStatus
from exports.exceptions import ExportError
from exports.services import FAILURE_PREFIX, export_request, export_run
from jurys import services as jury_services
from tests.exports.conftest import decide, evaluated_dossier, numbers, read_sheet
from tests.factories.dossiers import CandidateFactory, DossierFactory, TrainingProviderFactory
from tests.factories.jurys import JuryMemberFactory, JurySessionFactory
from tests.factories.referentiel import CertificationOptionFactory

DOSSIER_HEADERS = (
    "N° de dossier",
    "Nom de naissance",
    "Nom d'usage",
    "Prénoms",
    "Date de naissance",
    "Établissement",
    "SIRET",
    "Région",
    "Certification",
    "Option",
    "Dispositif de formation",
    "Organisme de formation",
    "Évaluateur habilité",
    "Statut",
    "Session du jury",
    "Décision",
    "Date de création",
    "Date de soumission",
    "Date de renvoi à l'employeur",
    "Date de clôture de l'évaluation",
    "Date de réouverture de l'évaluation",
    "Date de décision du jury",
    "Date d'annulation de la décision",
)


def run_export(owner, kind, parameters, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = export_request(owner=owner, kind=kind, parameters=parameters)
    job.refresh_from_db()
    return job


def history(dossier, transition, at):
    row = DossierTransition.objects.create(
        dossier=dossier, source="", target=dossier.state, transition=transition
    )
    with pgtrigger.ignore("dossiers.DossierTransition:append_only_update"):  # test data only
        DossierTransition.objects.filter(pk=row.pk).update(at=at)


def paris(*args):
    return timezone.make_aware(datetime.datetime(*args))


# --- Dossier list --------------------------------------------------------------------------


def test_dossier_export_employer_gets_only_its_establishment_rows_with_filters(
    employer, dossiers, django_capture_on_commit_callbacks
):
    job = run_export(
        employer,
        ExportKind.DOSSIERS,
        {"state": DossierState.VALIDATED},
        django_capture_on_commit_callbacks,
    )

    assert job.status == ExportStatus.DONE
    _sheet, rows = read_sheet(job)
    expected = [d.number for d in dossiers["mine"] if d.state == DossierState.VALIDATED]
    assert sorted(numbers(rows)) == sorted(expected)
    assert len(expected) == 2
    assert {row[5] for row in rows[1:]} == {"Chimie du Rhône"}
    assert job.row_count == 2


def test_dossier_export_without_filters_has_every_visible_dossier(
    employer, secretariat, dossiers, django_capture_on_commit_callbacks
):
    mine = run_export(employer, ExportKind.DOSSIERS, {}, django_capture_on_commit_callbacks)
    everything = run_export(
        secretariat, ExportKind.DOSSIERS, {}, django_capture_on_commit_callbacks
    )

    assert sorted(numbers(read_sheet(mine)[1])) == sorted(d.number for d in dossiers["mine"])
    assert sorted(numbers(read_sheet(everything)[1])) == sorted(
        d.number for d in dossiers["mine"] + dossiers["theirs"]
    )


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"state": "validated"},
        {"certification": "other"},
        {"q": "Martin", "sort": "numero"},
        {"sort": "-candidat"},
        {"year": "this"},
    ],
)
def test_dossier_export_rows_equal_the_list_screen(
    client, employer, dossiers, other_certification, query, django_capture_on_commit_callbacks
):
    if query.get("certification") == "other":
        query = {"certification": str(other_certification.pk)}
    if query.get("year") == "this":
        query = {"year": str(timezone.localdate().year)}
    client.force_login(employer)
    screen = client.get("/dossiers/", query)
    shown = [dossier.number for dossier in screen.context["page_obj"].object_list]

    job = run_export(employer, ExportKind.DOSSIERS, query, django_capture_on_commit_callbacks)

    assert numbers(read_sheet(job)[1]) == shown
    assert shown  # every case shows at least one dossier


def test_dossier_export_header_row_frozen_with_autofilter_and_widths(
    employer, dossiers, django_capture_on_commit_callbacks
):
    job = run_export(employer, ExportKind.DOSSIERS, {}, django_capture_on_commit_callbacks)

    sheet, rows = read_sheet(job)
    assert rows[0] == DOSSIER_HEADERS
    assert sheet.title == "Dossiers candidats"
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:W6"
    assert sheet.column_dimensions["A"].width == 16
    assert sheet.column_dimensions["I"].width == 40
    assert sheet.column_dimensions["E"].width == 12


def test_dossier_export_every_column_of_one_dossier(
    employer, establishment, certification, django_capture_on_commit_callbacks
):
    candidate = CandidateFactory(
        establishment=establishment,
        birth_name="Lefèvre",
        usage_name="Durand",
        first_names="Élodie Marie",
        birth_date=datetime.date(1990, 2, 28),
    )
    option = CertificationOptionFactory(certification=certification, label="Production")
    dossier = DossierFactory(
        establishment=establishment,
        certification=certification,
        option=option,
        candidate=candidate,
        provider=TrainingProviderFactory(name="AFPI Rhône"),
        awaiting_assessment=True,
    )
    dossier.assessor.user.first_name = "Paul"
    dossier.assessor.user.last_name = "Évaluateur"
    dossier.assessor.user.save()
    history(dossier, Transition.CREATE, paris(2026, 1, 5, 10, 0))
    history(dossier, Transition.SUBMIT, paris(2026, 1, 20, 9, 0))
    history(dossier, Transition.RETURN_FOR_COMPLETION, paris(2026, 1, 22, 9, 0))
    # Submitted again: the latest date of each action is exported.
    history(dossier, Transition.SUBMIT, paris(2026, 2, 3, 23, 30))

    job = run_export(employer, ExportKind.DOSSIERS, {}, django_capture_on_commit_callbacks)

    _sheet, rows = read_sheet(job)
    assert rows[1] == (
        dossier.number,
        "Lefèvre",
        "Durand",
        "Élodie Marie",
        datetime.datetime(1990, 2, 28),
        "Chimie du Rhône",
        "73282932000074",
        "Auvergne-Rhône-Alpes",
        "Conducteur(trice) d'équipements",
        "Production",
        dossier.training_scheme.label,
        "AFPI Rhône",
        "Paul Évaluateur",
        "En attente d'évaluation",
        None,
        None,
        datetime.datetime(2026, 1, 5),
        datetime.datetime(2026, 2, 3),
        datetime.datetime(2026, 1, 22),
        None,
        None,
        None,
        None,
    )


def test_dossier_export_dates_are_real_dates_in_french_format(
    employer, establishment, certification, django_capture_on_commit_callbacks
):
    dossier = DossierFactory(establishment=establishment, certification=certification)
    # 23:30 UTC on 31 January is already 1 February in Paris.
    history(dossier, Transition.CREATE, datetime.datetime(2026, 1, 31, 23, 30, tzinfo=datetime.UTC))

    job = run_export(employer, ExportKind.DOSSIERS, {}, django_capture_on_commit_callbacks)

    sheet, _rows = read_sheet(job)
    birth, created = sheet["E2"], sheet["Q2"]
    assert birth.is_date is True
    assert birth.value == datetime.datetime(1995, 4, 12)
    assert birth.number_format == "DD/MM/YYYY"
    assert created.is_date is True
    assert created.value == datetime.datetime(2026, 2, 1)
    assert created.number_format == "DD/MM/YYYY"


def test_dossier_export_session_date_and_decision(
    employer, establishment, certification, django_capture_on_commit_callbacks
):
    member = JuryMemberFactory()
    today = timezone.localdate()
    session = JurySessionFactory(
        open=True, date=today, registration_deadline=today, members=[member]
    )
    decided = evaluated_dossier(
        establishment=establishment, certification=certification, owner=employer
    )
    jury_services.registration_create(dossier=decided, session=session, by=employer)
    decide(decided, member.user, {1, 2}, motivations={3: "Consignation non maîtrisée."})
    registered = evaluated_dossier(
        establishment=establishment, certification=certification, owner=employer
    )
    jury_services.registration_create(dossier=registered, session=session, by=employer)

    job = run_export(
        employer, ExportKind.DOSSIERS, {"sort": "numero"}, django_capture_on_commit_callbacks
    )

    _sheet, rows = read_sheet(job)
    midnight = datetime.datetime.combine(today, datetime.time())
    by_number = {row[0]: row for row in rows[1:]}
    assert by_number[decided.number][13:16] == ("Partiel", midnight, "Partiel")
    assert by_number[decided.number][21] == midnight
    assert by_number[registered.number][13:16] == ("En attente de jury", midnight, None)


def dossier_queries(path, owner):
    """The SQL run by the dossier writer, from a fresh owner (no cached roles)."""
    owner = User.objects.get(pk=owner.pk)
    with CaptureQueriesContext(connection) as context:
        written = writers.write_dossiers(path, owner=owner, parameters={})
    return written.rows, [query["sql"] for query in context.captured_queries]


def test_dossier_export_queries_do_not_grow_with_rows(
    tmp_path, employer, establishment, certification
):
    DossierFactory(establishment=establishment, certification=certification)
    rows_one, queries_one = dossier_queries(tmp_path / "one.xlsx", employer)
    for _ in range(2):
        DossierFactory(establishment=establishment, certification=certification)
    rows_three, queries_three = dossier_queries(tmp_path / "three.xlsx", employer)

    assert (rows_one, rows_three) == (1, 3)
    assert len(queries_three) == len(queries_one)
    # Besides the owner's roles: the count, then every row; the jury and history dates come
    # per chunk of 2,000 dossiers, by id (no join of the whole history).
    on_dossiers = [sql for sql in queries_three if '"dossiers_dossier"' in sql]
    assert len(on_dossiers) == 2
    assert on_dossiers[0].startswith("SELECT COUNT(*)")
    assert '"dossiers_dossiertransition"' not in on_dossiers[1]
    history = [sql for sql in queries_three if '"dossiers_dossiertransition"."at"' in sql]
    assert len(history) == 1


def test_dossier_writer_streams_with_write_only_workbook_and_iterator(tmp_path, employer, dossiers):
    with (
        mock.patch.object(writers, "Workbook", wraps=openpyxl.Workbook) as workbook,
        mock.patch.object(
            QuerySet, "iterator", autospec=True, side_effect=QuerySet.iterator
        ) as iterator,
    ):
        writers.write_dossiers(tmp_path / "export.xlsx", owner=employer, parameters={})

    workbook.assert_called_once_with(write_only=True)
    assert iterator.call_count == 1
    assert iterator.call_args.kwargs == {"chunk_size": CHUNK_SIZE}
    assert CHUNK_SIZE == 2000


def test_dossier_writer_reports_progress_per_row(tmp_path, employer, dossiers):
    report = mock.Mock()

    writers.write_dossiers(tmp_path / "export.xlsx", owner=employer, parameters={}, report=report)

    assert report.call_args_list == [mock.call(n, 5) for n in range(1, 6)]


def test_dossier_writer_invalid_filters_raise_french_error(tmp_path, employer):
    with pytest.raises(ExportError) as raised:
        writers.write_dossiers(
            tmp_path / "export.xlsx", owner=employer, parameters={"state": "inconnu"}
        )

    assert raised.value.message == (
        "Les filtres de la liste ne sont plus valides : refaites votre recherche."
    )


def test_filter_parameters_keep_json_values_only(certification):
    cleaned = {"q": "", "state": "validated", "certification": certification, "year": 2026}

    assert writers.filter_parameters(cleaned) == {
        "state": "validated",
        "certification": certification.pk,
        "year": 2026,
    }


def test_write_sheet_formula_like_text_stays_text(tmp_path):
    path = tmp_path / "texte.xlsx"
    writers.write_sheet(
        path,
        title="Texte",
        columns=[Column("Nom")],
        rows=[('=HYPERLINK("http://exemple.fr")',), ("Nom\x07propre",)],
        total=2,
    )

    sheet = openpyxl.load_workbook(path).worksheets[0]
    assert sheet["A2"].data_type == "s"
    assert sheet["A2"].value == '=HYPERLINK("http://exemple.fr")'
    assert sheet["A3"].value == "Nompropre"


def test_sheet_title_removes_forbidden_characters_and_truncates():
    assert writers.sheet_title("Dossiers [2026] : statut / région ?") == (
        "Dossiers 2026 statut - région"
    )
    assert len(writers.sheet_title("x" * 40)) == 31
    assert writers.sheet_title("???") == "Export"


# --- A session's results -------------------------------------------------------------------


@pytest.fixture
def jury_session(employer, establishment, certification):
    """A session held today: one partial decision, one dossier still to examine."""
    member = JuryMemberFactory()
    today = timezone.localdate()
    session = JurySessionFactory(
        open=True, date=today, registration_deadline=today, members=[member]
    )
    decided = evaluated_dossier(
        establishment=establishment,
        certification=certification,
        owner=employer,
        candidate=CandidateFactory(establishment=establishment, birth_name="Arnaud"),
    )
    jury_services.registration_create(dossier=decided, session=session, by=employer)
    decide(decided, member.user, {1, 3}, motivations={2: "Réglages non maîtrisés."})
    pending = evaluated_dossier(
        establishment=establishment,
        certification=certification,
        owner=employer,
        candidate=CandidateFactory(establishment=establishment, birth_name="Bernard"),
    )
    jury_services.registration_create(dossier=pending, session=session, by=employer)
    return {"session": session, "member": member, "decided": decided, "pending": pending}


def test_session_export_has_every_candidate_with_decision_and_competences(
    jury_session, django_capture_on_commit_callbacks
):
    session = jury_session["session"]

    job = run_export(
        jury_session["member"].user,
        ExportKind.SESSION,
        {"session": session.pk},
        django_capture_on_commit_callbacks,
    )

    assert job.status == ExportStatus.DONE
    sheet, rows = read_sheet(job)
    assert sheet.title == f"Jury du {session.date:%d-%m-%Y}"
    assert rows[0] == (
        "N° de dossier",
        "Nom de naissance",
        "Nom d'usage",
        "Prénoms",
        "Date de naissance",
        "Établissement",
        "SIRET",
        "Certification",
        "Option",
        "Décision",
        "Compétences validées",
        "Dont acquises lors d'un jury précédent",
        "Décision enregistrée le",
    )
    midnight = datetime.datetime.combine(timezone.localdate(), datetime.time())
    assert rows[1:] == [
        (
            jury_session["decided"].number,
            "Arnaud",
            None,
            "Julie Anne",
            datetime.datetime(1995, 4, 12),
            "Chimie du Rhône",
            "73282932000074",
            "Conducteur(trice) d'équipements",
            None,
            "Partiel",
            "C1, C3",
            None,
            midnight,
        ),
        (
            jury_session["pending"].number,
            "Bernard",
            None,
            "Julie Anne",
            datetime.datetime(1995, 4, 12),
            "Chimie du Rhône",
            "73282932000074",
            "Conducteur(trice) d'équipements",
            None,
            "Non examiné",
            None,
            None,
            None,
        ),
    ]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:M3"


def test_session_export_fails_for_someone_who_lost_access(
    jury_session, employer, django_capture_on_commit_callbacks
):
    job = run_export(
        employer,
        ExportKind.SESSION,
        {"session": jury_session["session"].pk},
        django_capture_on_commit_callbacks,
    )

    assert job.status == ExportStatus.FAILED
    assert job.error == (
        f"{FAILURE_PREFIX}Cette session n'existe plus ou vous n'y avez plus accès."
    )
    assert not job.file


# --- Statistics tables ---------------------------------------------------------------------


def hand_made_table():
    return Table(
        key="dossiers_par_statut",
        title="Dossiers par statut : année 2026",
        columns=[
            Column("Statut", width=30),
            Column("Dossiers", kind="int", width=10),
            Column("Part", kind="percent", width=8),
            Column("Délai médian (jours)", kind="float", width=12),
            Column("Premier dossier", kind="date", width=12),
        ],
        rows=[
            ("Validé", 1200, 0.6, 12.5, datetime.date(2026, 1, 3)),
            ("Non validé", 800, 0.4, 20.25, datetime.date(2026, 1, 5)),
        ],
    )


def test_statistics_export_writes_any_table(
    secretariat, dossiers, django_capture_on_commit_callbacks
):
    parameters = {"key": "dossiers_par_statut", "filters": {"year": "2026"}}
    found = (hand_made_table(), [("Année de création", "2026")])
    with mock.patch.object(writers, "statistics_table", return_value=found) as table:
        job = run_export(
            secretariat, ExportKind.STATISTICS, parameters, django_capture_on_commit_callbacks
        )

    assert job.status == ExportStatus.DONE
    table.assert_called_once_with("dossiers_par_statut", secretariat, {"year": "2026"})
    assert job.title == "Dossiers par statut : année 2026 (année de création : 2026)"
    sheet, rows = read_sheet(job)
    assert sheet.title == "Dossiers par statut année 2026"
    assert rows == [
        ("Statut", "Dossiers", "Part", "Délai médian (jours)", "Premier dossier"),
        ("Validé", 1200, 0.6, 12.5, datetime.datetime(2026, 1, 3)),
        ("Non validé", 800, 0.4, 20.25, datetime.datetime(2026, 1, 5)),
    ]
    assert sheet["B2"].number_format == "#,##0"
    assert sheet["C2"].number_format == "0.0%"
    assert sheet["D2"].number_format == "#,##0.00"
    assert sheet["E2"].number_format == "DD/MM/YYYY"
    assert sheet.column_dimensions["A"].width == 30
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:E3"


def test_statistics_export_counts_only_the_owners_dossiers_with_filters(
    employer, dossiers, other_certification, django_capture_on_commit_callbacks
):
    parameters = {
        "key": "dossiers_par_statut",
        "filters": {"certification": str(other_certification.pk), "region": "zz"},
    }

    job = run_export(
        employer, ExportKind.STATISTICS, parameters, django_capture_on_commit_callbacks
    )

    assert job.status == ExportStatus.DONE
    # The employer's two dossiers of `other_certification`; the invalid region is ignored.
    assert job.title == "Dossiers par statut (certification : Agent logistique)"
    _sheet, rows = read_sheet(job)
    assert rows == [
        ("Statut", "Dossiers"),
        ("En cours d'inscription", 0),
        ("En attente d'évaluation", 0),
        ("En attente de jury", 1),
        ("Validé", 1),
        ("Partiel", 0),
        ("Non validé", 0),
    ]


def test_statistics_export_unknown_key_fails_with_french_error(
    secretariat, django_capture_on_commit_callbacks
):
    job = run_export(
        secretariat,
        ExportKind.STATISTICS,
        {"key": "nimporte-quoi", "filters": {}},
        django_capture_on_commit_callbacks,
    )

    assert job.status == ExportStatus.FAILED
    assert job.error == "L'export a échoué : Tableau statistique inconnu : « nimporte-quoi »."
    assert export_run(job_id=job.pk) is None


def test_statistics_table_without_statistics_app_raises_french_error(monkeypatch, secretariat):
    monkeypatch.setitem(sys.modules, "stats", None)

    with pytest.raises(ExportError) as raised:
        writers.statistics_table("dossiers_par_statut", secretariat, {})

    assert raised.value.message == "Les tableaux statistiques ne sont pas disponibles."
    assert writers.statistics_keys() is None


def test_write_table_converts_datetimes_to_paris_time(tmp_path):
    table = Table(
        key="t",
        title="Horodatage",
        columns=[Column("Le", kind="datetime")],
        rows=[(datetime.datetime(2026, 7, 1, 8, 15, tzinfo=datetime.UTC),)],
    )

    writers.write_table(tmp_path / "t.xlsx", table)

    sheet = openpyxl.load_workbook(tmp_path / "t.xlsx").worksheets[0]
    assert sheet["A2"].value == datetime.datetime(2026, 7, 1, 10, 15)
    assert sheet["A2"].number_format == "DD/MM/YYYY HH:MM"
