"""Housekeeping tasks run by beat: each does its job, is idempotent and logs one line."""

import datetime
import os

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from dossiers.models import Attachment, Candidate, Dossier
from dossiers.privacy import ANONYMISED
from dossiers.tasks import purge_personal_data
from ecertif.accounts.tasks import clear_sessions
from exports import services as export_services
from exports.enums import ExportKind, ExportStatus
from exports.models import ExportJob
from exports.tasks import purge_expired_exports
from tests.factories.dossiers import AttachmentFactory, DossierFactory

pytestmark = pytest.mark.django_db


def messages(caplog, logger):
    return [record.getMessage() for record in caplog.records if record.name == logger]


def test_clear_sessions_deletes_expired_sessions_only(caplog):
    for expiry in (-60, -1, 3600):
        store = SessionStore()
        store["x"] = 1
        store.set_expiry(expiry)
        store.create()
    Session.objects.filter(expire_date__lte=timezone.now()).update(
        expire_date=timezone.now() - datetime.timedelta(minutes=5)
    )

    with caplog.at_level("INFO"):
        assert clear_sessions() == 2
        assert clear_sessions() == 0

    assert Session.objects.count() == 1
    assert messages(caplog, "ecertif.accounts.tasks") == [
        "Ménage des sessions : 2 session(s) expirée(s) supprimée(s)",
        "Ménage des sessions : 0 session(s) expirée(s) supprimée(s)",
    ]


def test_purge_personal_data_task_is_idempotent_and_logged(
    settings, caplog, django_capture_on_commit_callbacks
):
    settings.RETENTION_YEARS = 10
    old = DossierFactory(validated=True)
    attachment = AttachmentFactory(dossier=old)
    name = attachment.file.name
    Dossier.objects.filter(pk=old.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=365 * 11)
    )
    recent = DossierFactory(validated=True)

    with caplog.at_level("INFO"), django_capture_on_commit_callbacks(execute=True):
        assert purge_personal_data() == {"candidates": 1, "files": 1}
        assert purge_personal_data() == {"candidates": 0, "files": 0}

    assert Candidate.objects.get(pk=old.candidate_id).birth_name == ANONYMISED
    assert Candidate.objects.get(pk=recent.candidate_id).birth_name != ANONYMISED
    assert not Attachment.objects.filter(dossier=old).exists()
    assert not default_storage.exists(name)
    assert messages(caplog, "dossiers.tasks") == [
        "Purge RGPD (au-delà de 10 ans) : 1 candidat(s) anonymisé(s), 1 fichier(s) supprimé(s)",
        "Purge RGPD (au-delà de 10 ans) : 0 candidat(s) anonymisé(s), 0 fichier(s) supprimé(s)",
    ]


def test_purge_personal_data_task_can_be_switched_off(settings, caplog):
    settings.RETENTION_PURGE_ENABLED = False
    old = DossierFactory(validated=True)
    Dossier.objects.filter(pk=old.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=365 * 30)
    )

    assert purge_personal_data() == {"candidates": 0, "files": 0}
    assert Candidate.objects.get(pk=old.candidate_id).birth_name != ANONYMISED


def test_expired_exports_purged_with_their_files_and_abandoned_temporary_files(
    settings, employer, caplog
):
    settings.EXPORT_TIME_LIMIT = 60
    now = timezone.now()
    expired = ExportJob.objects.create(
        owner=employer,
        kind=ExportKind.DOSSIERS,
        status=ExportStatus.DONE,
        expires_at=now - datetime.timedelta(minutes=1),
    )
    expired.file.save("export.xlsx", ContentFile(b"PK"), save=True)
    kept = ExportJob.objects.create(
        owner=employer, kind=ExportKind.DOSSIERS, expires_at=now + datetime.timedelta(days=1)
    )
    abandoned = export_services.temporary_path(999, 1)
    live = export_services.temporary_path(kept.pk, 1)
    for path in (abandoned, live):
        (settings.MEDIA_ROOT / "exports" / ".en-cours").mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as stream:
            stream.write(b"partiel")
    old = (now - datetime.timedelta(minutes=5)).timestamp()

    os.utime(abandoned, (old, old))

    with caplog.at_level("INFO"):
        assert purge_expired_exports() == {"purged": 1, "failed": 0, "temporary": 1}
        assert purge_expired_exports() == {"purged": 0, "failed": 0, "temporary": 0}

    assert list(ExportJob.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not default_storage.exists(expired.file.name)
    assert not os.path.exists(abandoned)
    assert os.path.exists(live)
    assert messages(caplog, "exports.tasks")[0] == (
        "Ménage des exports : 1 expiré(s) supprimé(s), 0 interrompu(s) marqué(s) en échec, "
        "1 fichier(s) temporaire(s) abandonné(s) supprimé(s)"
    )


def test_export_retention_days_setting_sets_the_expiry(settings, employer):
    settings.EXPORT_RETENTION_DAYS = 3
    job = export_services.export_request(owner=employer, kind=ExportKind.DOSSIERS, parameters={})

    assert job.expires_at - job.created_at == datetime.timedelta(days=3)
