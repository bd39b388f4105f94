"""The audit tables refuse UPDATE and DELETE in PostgreSQL itself (django-pgtrigger)."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.db import connection, transaction
from django.db.utils import DatabaseError

from dossiers import services
from dossiers.models import Candidate, Dossier, DossierTransition, TransitionReason
from dossiers.privacy import anonymise_candidate
from ecertif.audit.models import AccessAction, AccessLog
from ecertif.audit.services import purge_access_log
from tests.factories.accounts import MembershipFactory, UserFactory
from tests.factories.dossiers import DossierFactory

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="needs PostgreSQL: the triggers are PL/pgSQL (SQLite has none of them)",
)


def _submitted():
    dossier = DossierFactory()
    owner = UserFactory()
    MembershipFactory(user=owner, establishment=dossier.establishment)
    services.dossier_submit(dossier=dossier, by=owner)
    return dossier, owner


def _raw(sql, params):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.django_db
def test_raw_update_of_history_fails():
    dossier, _ = _submitted()
    with pytest.raises(DatabaseError, match="Cannot update rows"):
        _raw(
            "UPDATE dossiers_dossiertransition SET target = 'validated' WHERE dossier_id = %s",
            [dossier.pk],
        )
    assert DossierTransition.objects.get(dossier=dossier).target == "awaiting_assessment"


@pytest.mark.django_db
def test_raw_delete_of_history_of_a_submitted_dossier_fails():
    dossier, _ = _submitted()
    with pytest.raises(DatabaseError, match="Cannot delete rows"):
        _raw("DELETE FROM dossiers_dossiertransition WHERE dossier_id = %s", [dossier.pk])
    assert DossierTransition.objects.filter(dossier=dossier).count() == 1


@pytest.mark.django_db(transaction=True)
def test_raw_delete_of_a_draft_history_alone_fails_at_commit():
    dossier, owner = _submitted()
    services.dossier_return_for_completion(
        dossier=dossier, by=dossier.assessor.user, reason="Pièce manquante"
    )
    assert Dossier.objects.get(pk=dossier.pk).state == "registering"
    with pytest.raises(DatabaseError, match="history of an existing dossier"):
        _raw("DELETE FROM dossiers_dossiertransition WHERE dossier_id = %s", [dossier.pk])
    assert DossierTransition.objects.filter(dossier=dossier).count() == 2


@pytest.mark.django_db(transaction=True)
def test_deleting_a_draft_deletes_its_history():
    dossier, owner = _submitted()
    services.dossier_return_for_completion(
        dossier=dossier, by=dossier.assessor.user, reason="Pièce manquante"
    )
    with transaction.atomic():
        services.dossier_delete(dossier=Dossier.objects.get(pk=dossier.pk), by=owner)
    assert not DossierTransition.objects.filter(dossier_id=dossier.pk).exists()
    assert not TransitionReason.objects.exists()


@pytest.mark.django_db
def test_raw_update_and_delete_of_field_history_fail():
    dossier, _ = _submitted()
    table = Candidate.history.model._meta.db_table
    with pytest.raises(DatabaseError, match="Cannot update rows"):
        _raw(f"UPDATE {table} SET birth_name = 'X' WHERE id = %s", [dossier.candidate_id])
    with pytest.raises(DatabaseError, match="Cannot delete rows"):
        _raw(f"DELETE FROM {table} WHERE id = %s", [dossier.candidate_id])


@pytest.mark.django_db
def test_raw_update_of_access_log_fails_and_recent_rows_cannot_be_deleted():
    row = AccessLog.objects.create(
        action=AccessAction.VIEW_DOSSIER, object_type="dossier", object_id="1"
    )
    with pytest.raises(DatabaseError, match="Cannot update rows"):
        _raw("UPDATE audit_accesslog SET ip = '10.0.0.1' WHERE id = %s", [row.pk])
    with pytest.raises(DatabaseError, match="Cannot delete rows"):
        _raw("DELETE FROM audit_accesslog WHERE id = %s", [row.pk])
    assert AccessLog.objects.filter(pk=row.pk, ip=None).exists()


@pytest.mark.django_db
def test_access_log_purge_deletes_only_rows_past_retention(settings):
    settings.ACCESS_LOG_RETENTION_DAYS = 365
    now = datetime.datetime.now(datetime.UTC)
    with time_machine.travel(now - datetime.timedelta(days=400), tick=False):
        old = AccessLog.objects.create(
            action=AccessAction.EXPORT, object_type="export", object_id="1"
        )
    with time_machine.travel(now - datetime.timedelta(days=300), tick=False):
        kept = AccessLog.objects.create(
            action=AccessAction.EXPORT, object_type="export", object_id="2"
        )
    assert purge_access_log() == 1
    assert list(AccessLog.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not AccessLog.objects.filter(pk=old.pk).exists()


@pytest.mark.django_db
def test_anonymisation_leaves_the_transition_rows_untouched():
    dossier, _ = _submitted()
    services.dossier_return_for_completion(
        dossier=dossier, by=dossier.assessor.user, reason="Manque le diplôme de Mme Lambert"
    )
    before = list(DossierTransition.objects.filter(dossier=dossier).values())
    anonymise_candidate(dossier.candidate)
    assert list(DossierTransition.objects.filter(dossier=dossier).values()) == before
    assert not TransitionReason.objects.filter(transition__dossier=dossier).exists()
