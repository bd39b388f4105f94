"""Export claims: a job whose attempt died is taken over once; a live attempt is left alone."""

import datetime
import os
from unittest import mock

import pytest
from django.utils import timezone

from exports import services
from exports.enums import ExportKind, ExportStatus
from exports.models import ExportJob
from exports.services import (
    FAILURE_PREFIX,
    TOO_MANY_ATTEMPTS_FAILURE,
    export_run,
    held_for,
    temporary_path,
)
from exports.writers import Written

pytestmark = pytest.mark.django_db


def running(owner, *, started_ago, attempts=1):
    return ExportJob.objects.create(
        owner=owner,
        kind=ExportKind.DOSSIERS,
        status=ExportStatus.RUNNING,
        attempts=attempts,
        started_at=timezone.now() - started_ago,
    )


def leave_temporary_file(job, attempt):
    path = temporary_path(job.pk, attempt)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as stream:
        stream.write(b"moitie")
    return path


def files_under(root):
    return sorted(
        os.path.relpath(os.path.join(folder, name), root)
        for folder, _dirs, names in os.walk(root)
        for name in names
    )


def test_job_of_a_dead_attempt_taken_over_cleaned_and_done_once(settings, employer):
    settings.EXPORT_TIME_LIMIT = 60
    job = running(employer, started_ago=datetime.timedelta(seconds=61))
    leftover = leave_temporary_file(job, 1)

    done = export_run(job_id=job.pk)

    assert (done.status, done.attempts, done.row_count) == (ExportStatus.DONE, 2, 0)
    assert not os.path.exists(leftover)
    assert files_under(settings.MEDIA_ROOT) == [done.file.name]
    assert export_run(job_id=job.pk) is None


def test_job_of_a_live_attempt_left_alone_and_looked_at_later(settings, employer):
    settings.EXPORT_TIME_LIMIT = 60
    job = running(employer, started_ago=datetime.timedelta(seconds=20))
    writer = mock.Mock()

    with mock.patch.dict(services.WRITERS, {ExportKind.DOSSIERS: writer}):
        assert export_run(job_id=job.pk) is None

    writer.assert_not_called()
    assert 39 <= held_for(job_id=job.pk) <= 40
    job.refresh_from_db()
    assert (job.status, job.attempts) == (ExportStatus.RUNNING, 1)


def test_job_interrupted_too_many_times_marked_failed(settings, employer):
    settings.EXPORT_TIME_LIMIT = 60
    settings.EXPORT_MAX_ATTEMPTS = 3
    job = running(employer, started_ago=datetime.timedelta(minutes=5), attempts=3)

    assert export_run(job_id=job.pk) is None

    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED
    assert job.error == FAILURE_PREFIX + TOO_MANY_ATTEMPTS_FAILURE


def test_an_attempt_taken_over_while_writing_cannot_finish_the_job(settings, employer):
    job = ExportJob.objects.create(owner=employer, kind=ExportKind.DOSSIERS)

    def writer(path, **options):
        open(path, "wb").close()
        # Meanwhile another attempt took the job over (this one was thought dead).
        ExportJob.objects.filter(pk=job.pk).update(attempts=2)
        return Written(rows=0)

    with mock.patch.dict(services.WRITERS, {ExportKind.DOSSIERS: writer}):
        assert export_run(job_id=job.pk) is None

    job.refresh_from_db()
    assert (job.status, job.file.name) == (ExportStatus.RUNNING, "")
    assert files_under(settings.MEDIA_ROOT) == []
