"""Migration 0004-0006 of jurys: the shared counter becomes one series per kind, keeping every
number already given, and documents already issued get a verification code."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from jurys.enums import DocumentKind
from jurys.services import next_document_number
from tests.factories.accounts import StaffFactory
from tests.factories.dossiers import DossierFactory
from tests.factories.jurys import JurySessionFactory

BEFORE = [("jurys", "0003_registration_end_kind")]
AFTER = [("jurys", "0006_verification_code_unique")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def restore_schema():
    """Going back to jurys 0003 also unapplies the apps built on jurys (certificates…): every
    app is migrated forward again afterwards, for the tests that follow on this database."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_migration_series_continue_after_the_numbers_already_given(restore_schema, settings):
    # The field-history tables come after jurys 0006: the factories' live models must not
    # write to them while the schema is back at 0003.
    settings.SIMPLE_HISTORY_ENABLED = False
    old = _migrate(BEFORE)
    user = StaffFactory()
    session = JurySessionFactory(
        date=timezone.localdate(), registration_deadline=timezone.localdate()
    )
    Decision = old.get_model("jurys", "JuryDecision")
    Document = old.get_model("jurys", "IssuedDocument")
    Sequence = old.get_model("jurys", "DocumentNumberSequence")
    numbers = ["P-2025-00001", "A-2025-00002", "P-2025-00004", "A-2026-00001", "P-2026-00002"]
    for number in numbers:
        dossier = DossierFactory()
        decision = Decision.objects.create(
            dossier_id=dossier.pk,
            session_id=session.pk,
            outcome="validated",
            recorded_by_id=user.pk,
        )
        kind = "certificate" if number.startswith("P") else "attestation"
        Document.objects.create(decision=decision, kind=kind, number=number)
    Sequence.objects.create(year=2025, last_value=4)
    Sequence.objects.create(year=2026, last_value=2)

    new = _migrate(AFTER)
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    assert "certificates_accrochageentry" in connection.introspection.table_names()
    Series = new.get_model("jurys", "DocumentSeries")
    assert sorted(Series.objects.values_list("kind", "year", "last_value")) == [
        ("attestation", 2025, 2),
        ("attestation", 2026, 1),
        ("certificate", 2025, 4),
        ("certificate", 2026, 2),
    ]
    Document = new.get_model("jurys", "IssuedDocument")
    assert sorted(Document.objects.values_list("number", flat=True)) == sorted(numbers)
    codes = list(Document.objects.values_list("verification_code", flat=True))
    assert len(set(codes)) == 5
    assert all(len(code) == 20 for code in codes)

    assert next_document_number(kind=DocumentKind.CERTIFICATE, year=2025) == "P-2025-00005"
    assert next_document_number(kind=DocumentKind.ATTESTATION, year=2025) == "A-2025-00003"
