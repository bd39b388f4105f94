"""Export jobs: queued → running → done, failures, retries, never twice, expiry."""

import datetime
import os
from unittest import mock

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from ecertif.mail.models import OutboxEmail
from ecertif.notifications.models import Notification
from exports import services, tasks
from exports.enums import EXPORT_RETENTION, ExportKind, ExportStatus
from exports.exceptions import ExportError
from exports.models import ExportJob
from exports.services import (
    FAILURE_PREFIX,
    UNEXPECTED_FAILURE,
    export_request,
    export_retry,
    export_run,
    fail_stale,
    purge_expired,
)
from exports.writers import Written, write_dossiers
from tests.exports.conftest import read_sheet


def request_and_run(owner, django_capture_on_commit_callbacks, parameters=None):
    with django_capture_on_commit_callbacks(execute=True):
        job = export_request(
            owner=owner, kind=ExportKind.DOSSIERS, parameters=parameters or {}, title="Dossiers"
        )
    job.refresh_from_db()
    return job


def export_files(settings):
    """Every file under the private exports directory, temporary ones included."""
    root = settings.MEDIA_ROOT / "exports"
    return sorted(
        os.path.relpath(os.path.join(folder, name), settings.MEDIA_ROOT)
        for folder, _dirs, names in os.walk(root)
        for name in names
    )


def patch_writer(function):
    return mock.patch.dict(services.WRITERS, {ExportKind.DOSSIERS: function})


def test_export_request_creates_queued_job_and_queues_after_commit(
    employer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        job = export_request(
            owner=employer, kind=ExportKind.DOSSIERS, parameters={"state": "validated"}
        )

    assert len(callbacks) == 1
    job.refresh_from_db()
    assert job.status == ExportStatus.QUEUED
    assert job.parameters == {"state": "validated"}
    assert job.progress == 0
    assert job.expires_at - job.created_at == EXPORT_RETENTION
    with mock.patch.object(tasks.run_export, "delay") as delay:
        callbacks[0]()
    delay.assert_called_once_with(job.pk)


def test_export_job_goes_queued_running_done_and_file_is_readable(
    settings, employer, dossiers, django_capture_on_commit_callbacks
):
    seen = []

    def spying_writer(path, *, owner, parameters, report):
        seen.append(ExportJob.objects.get().status)
        # Nothing under the final name while writing: only the temporary file exists.
        rows = write_dossiers(path, owner=owner, parameters=parameters, report=report)
        seen.append([name.endswith(".part") for name in export_files(settings)])
        return rows

    with django_capture_on_commit_callbacks() as callbacks:
        job = export_request(owner=employer, kind=ExportKind.DOSSIERS, parameters={})
    seen.append(ExportJob.objects.get().status)
    with patch_writer(spying_writer), django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()

    job.refresh_from_db()
    assert seen == [ExportStatus.QUEUED, ExportStatus.RUNNING, [True]]
    assert job.status == ExportStatus.DONE
    assert job.progress == 100
    assert job.row_count == 5
    assert job.error == ""
    assert job.started_at is not None
    assert job.expires_at == job.finished_at + EXPORT_RETENTION
    assert job.file.name.startswith("exports/")
    assert job.file.name.endswith(".xlsx")
    assert export_files(settings) == [job.file.name]
    _sheet, rows = read_sheet(job)
    assert len(rows) == 6


def test_export_run_notifies_the_owner_when_ready(
    employer, dossiers, django_capture_on_commit_callbacks
):
    job = request_and_run(employer, django_capture_on_commit_callbacks)

    notification = Notification.objects.get()
    assert notification.recipient == employer
    assert notification.text == "Votre export « Dossiers » est prêt."
    assert notification.link == f"/exports/{job.pk}/"
    email = OutboxEmail.objects.get()
    assert email.recipient == "rh@chimie-rhone.fr"
    assert email.subject == "[e-Certif] Votre export est prêt"
    assert f"http://127.0.0.1:8000/exports/{job.pk}/" in email.body_text
    assert "Votre export « Dossiers » est prêt (5 lignes)." in email.body_text
    assert f'<a href="http://127.0.0.1:8000/exports/{job.pk}/">' in email.body_html


def test_export_run_updates_progress_every_n_rows(monkeypatch, employer):
    monkeypatch.setattr(services, "PROGRESS_EVERY", 2)
    seen = []

    def writer(path, *, owner, parameters, report):
        for row in range(1, 6):
            report(row, 5)
            seen.append(ExportJob.objects.get().progress)
        open(path, "wb").close()
        return Written(rows=5)

    job = ExportJob.objects.create(owner=employer, kind=ExportKind.DOSSIERS)
    with patch_writer(writer):
        export_run(job_id=job.pk)

    assert seen == [0, 40, 40, 80, 80]
    job.refresh_from_db()
    assert job.progress == 100


def test_export_run_failing_job_records_its_error_and_removes_temporary_file(settings, employer):
    def failing(path, *, owner, parameters, report):
        with open(path, "wb") as stream:
            stream.write(b"half a file")
        raise ExportError("Cette session n'existe plus ou vous n'y avez plus accès.")

    job = ExportJob.objects.create(owner=employer, kind=ExportKind.DOSSIERS)
    with patch_writer(failing):
        export_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED
    assert job.error == (
        "L'export a échoué : Cette session n'existe plus ou vous n'y avez plus accès."
    )
    assert job.finished_at is not None
    assert not job.file
    assert export_files(settings) == []
    assert Notification.objects.count() == 0


def test_export_run_unexpected_error_records_french_message(settings, employer):
    job = ExportJob.objects.create(owner=employer, kind=ExportKind.DOSSIERS)
    with patch_writer(mock.Mock(side_effect=RuntimeError("disk full"))):
        export_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED
    assert job.error == (
        "L'export a échoué : erreur inattendue pendant l'écriture du fichier. Relancez "
        "l'export ; si l'erreur persiste, contactez le secrétariat."
    )
    assert job.error == FAILURE_PREFIX + UNEXPECTED_FAILURE
    assert export_files(settings) == []


def test_export_retry_failed_job_runs_again_to_done(
    employer, dossiers, django_capture_on_commit_callbacks
):
    with patch_writer(mock.Mock(side_effect=RuntimeError("boom"))):
        job = request_and_run(employer, django_capture_on_commit_callbacks)
    assert job.status == ExportStatus.FAILED

    with django_capture_on_commit_callbacks(execute=True):
        export_retry(job=job, by=employer)

    job.refresh_from_db()
    assert job.status == ExportStatus.DONE
    assert job.error == ""
    assert job.row_count == 5
    assert len(read_sheet(job)[1]) == 6


def test_export_retry_puts_job_back_in_queue(employer, django_capture_on_commit_callbacks):
    job = ExportJob.objects.create(
        owner=employer,
        kind=ExportKind.DOSSIERS,
        status=ExportStatus.FAILED,
        progress=40,
        error="L'export a échoué : boom",
    )

    with django_capture_on_commit_callbacks() as callbacks:
        export_retry(job=job, by=employer)

    assert len(callbacks) == 1
    job.refresh_from_db()
    assert (job.status, job.progress, job.error) == (ExportStatus.QUEUED, 0, "")


@pytest.mark.parametrize("status", [ExportStatus.QUEUED, ExportStatus.RUNNING, ExportStatus.DONE])
def test_export_retry_refused_unless_failed(employer, status):
    job = ExportJob.objects.create(owner=employer, kind=ExportKind.DOSSIERS, status=status)

    with pytest.raises(ExportError) as raised:
        export_retry(job=job, by=employer)

    assert raised.value.message == "Seul un export en échec peut être relancé."
    job.refresh_from_db()
    assert job.status == status


def test_export_retry_refused_to_another_user(employer, other_employer):
    job = ExportJob.objects.create(
        owner=employer, kind=ExportKind.DOSSIERS, status=ExportStatus.FAILED
    )

    with pytest.raises(ExportError) as raised:
        export_retry(job=job, by=other_employer)

    assert raised.value.message == "Seule la personne qui a demandé cet export peut le relancer."
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED


def test_export_run_finished_job_is_not_run_again(
    employer, dossiers, django_capture_on_commit_callbacks
):
    job = request_and_run(employer, django_capture_on_commit_callbacks)
    finished = (job.file.name, job.finished_at, job.row_count)
    writer = mock.Mock()

    with patch_writer(writer), django_capture_on_commit_callbacks(execute=True):
        assert export_run(job_id=job.pk) is None
        tasks.run_export.delay(job.pk)

    writer.assert_not_called()
    job.refresh_from_db()
    assert (job.file.name, job.finished_at, job.row_count) == finished
    assert job.status == ExportStatus.DONE
    assert Notification.objects.count() == 1


def test_export_run_running_job_is_not_claimed_twice(employer):
    job = ExportJob.objects.create(
        owner=employer,
        kind=ExportKind.DOSSIERS,
        status=ExportStatus.RUNNING,
        started_at=timezone.now(),
    )
    writer = mock.Mock()

    with patch_writer(writer):
        assert export_run(job_id=job.pk) is None

    writer.assert_not_called()


def test_export_request_same_request_while_queued_returns_the_same_job(employer):
    first = export_request(owner=employer, kind=ExportKind.DOSSIERS, parameters={"year": 2026})
    second = export_request(owner=employer, kind=ExportKind.DOSSIERS, parameters={"year": 2026})
    other = export_request(owner=employer, kind=ExportKind.DOSSIERS, parameters={"year": 2025})

    assert second.pk == first.pk
    assert other.pk != first.pk
    assert ExportJob.objects.count() == 2


def test_export_request_after_the_first_is_done_creates_a_new_job(
    employer, dossiers, django_capture_on_commit_callbacks
):
    first = request_and_run(employer, django_capture_on_commit_callbacks)
    second = request_and_run(employer, django_capture_on_commit_callbacks)

    assert second.pk != first.pk
    assert second.status == ExportStatus.DONE


def test_export_run_deleted_while_writing_leaves_no_file(settings, employer):
    def writer(path, *, owner, parameters, report):
        open(path, "wb").close()
        ExportJob.objects.all().delete()
        return Written(rows=0)

    job = ExportJob.objects.create(owner=employer, kind=ExportKind.DOSSIERS)
    with patch_writer(writer):
        assert export_run(job_id=job.pk) is None

    assert export_files(settings) == []


def stored_job(owner, *, expires_at, status=ExportStatus.DONE):
    job = ExportJob.objects.create(
        owner=owner, kind=ExportKind.DOSSIERS, status=status, expires_at=expires_at
    )
    if status == ExportStatus.DONE:
        job.file.save("export.xlsx", ContentFile(b"PK"), save=True)
    return job


def test_purge_expired_deletes_files_and_rows_past_their_date(employer):
    now = timezone.now()
    expired = stored_job(employer, expires_at=now - datetime.timedelta(minutes=1))
    expired_failed = stored_job(
        employer, expires_at=now - datetime.timedelta(days=1), status=ExportStatus.FAILED
    )
    current = stored_job(employer, expires_at=now + datetime.timedelta(days=1))
    expired_name, current_name = expired.file.name, current.file.name

    assert purge_expired(now=now) == 2

    assert list(ExportJob.objects.values_list("pk", flat=True)) == [current.pk]
    assert not default_storage.exists(expired_name)
    assert default_storage.exists(current_name)
    assert not ExportJob.objects.filter(pk=expired_failed.pk).exists()


def test_purge_expired_leaves_running_jobs_alone(employer):
    now = timezone.now()
    running = stored_job(
        employer, expires_at=now - datetime.timedelta(days=1), status=ExportStatus.RUNNING
    )

    assert purge_expired(now=now) == 0

    assert ExportJob.objects.filter(pk=running.pk).exists()


def test_fail_stale_marks_long_running_jobs_failed(employer):
    now = timezone.now()
    stale = ExportJob.objects.create(
        owner=employer,
        kind=ExportKind.DOSSIERS,
        status=ExportStatus.RUNNING,
        started_at=now - datetime.timedelta(hours=3),
    )
    recent = ExportJob.objects.create(
        owner=employer,
        kind=ExportKind.DOSSIERS,
        status=ExportStatus.RUNNING,
        started_at=now - datetime.timedelta(minutes=5),
    )

    assert fail_stale(now=now) == 1

    stale.refresh_from_db()
    recent.refresh_from_db()
    assert stale.status == ExportStatus.FAILED
    assert stale.error == "L'export a échoué : l'export a été interrompu avant la fin. Relancez-le."
    assert recent.status == ExportStatus.RUNNING


def test_purge_task_deletes_expired_files_and_rows(employer):
    expired = stored_job(employer, expires_at=timezone.now() - datetime.timedelta(seconds=1))
    name = expired.file.name

    tasks.purge_expired_exports.delay()

    assert ExportJob.objects.count() == 0
    assert not default_storage.exists(name)


def test_tasks_have_the_names_beat_and_callers_use():
    assert tasks.run_export.name == "exports.run"
    assert tasks.purge_expired_exports.name == "exports.purge_expired"
