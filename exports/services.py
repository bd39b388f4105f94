"""Export jobs: asked for in a request, written by a Celery worker, downloaded, then purged.

A job is written exactly once even when workers die. The task is acknowledged only when done
(acks_late): a worker killed while writing leaves the message to the broker, which hands it
to another worker once the visibility timeout has passed. That worker claims the job under a
row lock: a job « en file d'attente », or one « en cours » whose previous attempt outlived the
hard time limit (so it is dead), gets a new attempt number; a job still held by a live attempt
is checked again later. Each attempt writes to a temporary file named after the job and the
attempt, deletes the temporary files of earlier attempts, and publishes the file (rename on
the local disk, one upload to object storage) only when complete. The final update is
conditional on the attempt number: only one attempt can mark the job done.
"""

import contextlib
import glob
import logging
import os
import tempfile

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from ecertif.mail.services import queue_raw_email
from ecertif.notifications.services import notify

from .enums import ACTIVE_STATUSES, PROGRESS_EVERY, ExportStatus
from .exceptions import ExportError
from .models import ExportJob, export_file_name
from .timing import export_retention, lease, stale_after
from .writers import WRITERS

logger = logging.getLogger(__name__)

FAILURE_PREFIX = "L'export a échoué : "
UNEXPECTED_FAILURE = (
    "erreur inattendue pendant l'écriture du fichier. Relancez l'export ; "
    "si l'erreur persiste, contactez le secrétariat."
)
INTERRUPTED_FAILURE = "l'export a été interrompu avant la fin. Relancez-le."
TOO_LONG_FAILURE = (
    "l'export a dépassé la durée maximale autorisée. Restreignez les filtres puis relancez-le."
)
TOO_MANY_ATTEMPTS_FAILURE = (
    "l'export a été interrompu à plusieurs reprises. Relancez-le ; si l'erreur persiste, "
    "contactez le secrétariat."
)
# Directory (inside the local media storage) of the files being written.
LOCAL_TEMP_DIR = "exports/.en-cours"
PURGE_BATCH = 500


def _queue(job_id):
    # Imported here: the tasks module imports this one.
    from .tasks import run_export

    try:
        run_export.delay(job_id)
    except Exception:
        # The job stays queued; the requester sees it and can ask the secretariat.
        logger.exception("Impossible de mettre en file l'export %s", job_id)


def export_request(*, owner, kind, parameters, title=""):
    """Create the job and queue `exports.run` once the transaction commits.

    The same request sent twice (a double click, a reloaded page) while the first is still
    waiting or running returns the first job instead of writing the file twice.
    """
    with transaction.atomic():
        # One request at a time per person: the duplicate check below cannot race.
        get_user_model().objects.select_for_update().filter(pk=owner.pk).first()
        for job in ExportJob.objects.filter(
            owner=owner, kind=kind, status__in=ACTIVE_STATUSES
        ).order_by("-created_at"):
            if job.parameters == parameters:
                return job
        now = timezone.now()
        job = ExportJob.objects.create(
            owner=owner,
            kind=kind,
            parameters=parameters,
            title=title,
            created_at=now,
            expires_at=now + export_retention(),
        )
        transaction.on_commit(lambda: _queue(job.pk))
    return job


class _Progress:
    """Writes the percentage to the job's row every `PROGRESS_EVERY` rows, outside any
    transaction so that the page polling it sees it move."""

    def __init__(self, job_id, attempt):
        self.job_id = job_id
        self.attempt = attempt

    def __call__(self, rows, total):
        if rows % PROGRESS_EVERY or not total:
            return
        percent = min(99, rows * 100 // total)
        ExportJob.objects.filter(
            pk=self.job_id, status=ExportStatus.RUNNING, attempts=self.attempt
        ).update(progress=percent)


def _local_path(name):
    try:
        return default_storage.path(name)
    except NotImplementedError:
        return None


def _temp_dir():
    """Beside the final files on a local disk (the rename is atomic), else a local directory."""
    local = _local_path(LOCAL_TEMP_DIR)
    if local is not None:
        return local
    return settings.EXPORT_TEMP_DIR or os.path.join(tempfile.gettempdir(), "ecertif-exports")


def temporary_path(job_id, attempt):
    return os.path.join(_temp_dir(), f"job-{job_id}-{attempt}.xlsx.part")


def remove_temporary_files(job_id):
    """Delete what earlier attempts of this job left behind. Returns how many files."""
    paths = glob.glob(os.path.join(glob.escape(_temp_dir()), f"job-{job_id}-*.xlsx.part"))
    for path in paths:
        with contextlib.suppress(FileNotFoundError):
            os.remove(path)
    return len(paths)


def remove_abandoned_temporary_files(*, now):
    """Temporary files older than the hard time limit belong to no live attempt."""
    limit = (now - lease()).timestamp()
    count = 0
    for path in glob.glob(os.path.join(glob.escape(_temp_dir()), "job-*.xlsx.part")):
        try:
            if os.path.getmtime(path) < limit:
                os.remove(path)
                count += 1
        except FileNotFoundError:
            pass
    return count


def _publish(temporary, final_name):
    """Make the complete temporary file the stored `final_name`; returns the stored name."""
    final_path = _local_path(final_name)
    if final_path is not None:
        os.makedirs(os.path.dirname(final_path), exist_ok=True)
        os.replace(temporary, final_path)
        return final_name
    # Object storage: one upload of the complete file (never visible half-written).
    with open(temporary, "rb") as stream:
        return default_storage.save(final_name, File(stream, name=final_name))


def _held_until(job):
    return job.started_at + lease() if job.started_at else timezone.now()


def held_for(*, job_id):
    """Seconds until the live attempt writing the job is past its hard time limit, else 0."""
    job = ExportJob.objects.filter(pk=job_id, status=ExportStatus.RUNNING).first()
    if job is None:
        return 0
    return max(0.0, (_held_until(job) - timezone.now()).total_seconds())


def _claim(job_id):
    """Take the job for a new attempt under a row lock, or return None.

    « En file d'attente », or « en cours » by an attempt older than the hard time limit (its
    worker died): a new attempt. « En cours » by a live attempt, finished, deleted: None.
    """
    now = timezone.now()
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status not in ACTIVE_STATUSES:
            return None
        if job.status == ExportStatus.RUNNING:
            if _held_until(job) > now:
                return None
            logger.warning(
                "Export %s : la tentative %s n'a pas abouti (worker arrêté), reprise",
                job.pk,
                job.attempts,
            )
            if job.attempts >= settings.EXPORT_MAX_ATTEMPTS:
                job.status = ExportStatus.FAILED
                job.error = f"{FAILURE_PREFIX}{TOO_MANY_ATTEMPTS_FAILURE}"
                job.finished_at = now
                job.save(update_fields=["status", "error", "finished_at"])
                transaction.on_commit(lambda: remove_temporary_files(job_id))
                return None
        job.status = ExportStatus.RUNNING
        job.attempts += 1
        job.started_at = now
        job.progress = 0
        job.error = ""
        job.save(update_fields=["status", "attempts", "started_at", "progress", "error"])
    job = ExportJob.objects.select_related("owner").get(pk=job_id)
    remove_temporary_files(job_id)
    return job


def _notify_ready(job):
    """The bell and an email (SPEC §6: « export prêt », to the requester)."""
    link = reverse("exports:detail", args=[job.pk])
    label = job.title or job.get_kind_display()
    notify(recipient=job.owner, text=f"Votre export « {label} » est prêt.", link=link)
    if job.owner.email:
        context = {"job": job, "label": label, "link": link, "site_url": settings.SITE_URL}
        queue_raw_email(
            to=job.owner.email,
            subject="[e-Certif] Votre export est prêt",
            body_text=render_to_string("exports/email_ready.txt", context).strip() + "\n",
            body_html=render_to_string("exports/email_ready.html", context),
        )


def _fail(job, reason):
    ExportJob.objects.filter(pk=job.pk, status=ExportStatus.RUNNING, attempts=job.attempts).update(
        status=ExportStatus.FAILED,
        error=f"{FAILURE_PREFIX}{reason}",
        finished_at=timezone.now(),
    )


def export_run(*, job_id):
    """Write the job's file. Returns the job, or None when there was nothing to do (finished,
    deleted, or being written by a live attempt: see `held_for`)."""
    job = _claim(job_id)
    if job is None:
        logger.info("Export %s déjà pris en charge ou terminé : rien à faire", job_id)
        return None
    writer = WRITERS[job.kind]
    temporary = temporary_path(job.pk, job.attempts)
    os.makedirs(os.path.dirname(temporary), exist_ok=True)
    try:
        written = writer(
            temporary,
            owner=job.owner,
            parameters=job.parameters,
            report=_Progress(job.pk, job.attempts),
        )
        final_name = _publish(temporary, export_file_name(job, ""))
    except ExportError as error:
        _fail(job, error.message)
        job.refresh_from_db()
        return job
    except SoftTimeLimitExceeded:
        logger.error("L'export %s a dépassé sa durée maximale", job.pk)
        _fail(job, TOO_LONG_FAILURE)
        job.refresh_from_db()
        return job
    except Exception:
        logger.exception("L'export %s a échoué", job.pk)
        _fail(job, UNEXPECTED_FAILURE)
        job.refresh_from_db()
        return job
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)
    now = timezone.now()
    with transaction.atomic():
        updated = ExportJob.objects.filter(
            pk=job.pk, status=ExportStatus.RUNNING, attempts=job.attempts
        ).update(
            status=ExportStatus.DONE,
            progress=100,
            row_count=written.rows,
            title=written.title or job.title,
            file=final_name,
            finished_at=now,
            # Downloadable for the whole retention period, counted from when it is ready.
            expires_at=now + export_retention(),
        )
        if not updated:
            # Purged, marked stale or taken over while writing: the file belongs to no one.
            default_storage.delete(final_name)
            return None
        job.refresh_from_db()
        _notify_ready(job)
    return job


def export_retry(*, job, by):
    """Put a failed job back in the queue (its owner only) and queue it again."""
    if job.owner_id != by.pk:
        raise ExportError("Seule la personne qui a demandé cet export peut le relancer.")
    with transaction.atomic():
        now = timezone.now()
        updated = ExportJob.objects.filter(pk=job.pk, owner=by, status=ExportStatus.FAILED).update(
            status=ExportStatus.QUEUED,
            progress=0,
            row_count=None,
            error="",
            started_at=None,
            finished_at=None,
            expires_at=now + export_retention(),
        )
        if not updated:
            raise ExportError("Seul un export en échec peut être relancé.")
        transaction.on_commit(lambda: _queue(job.pk))
    job.refresh_from_db()
    return job


def fail_stale(*, now):
    """Jobs « en cours » for too long lost their worker: mark them failed so they can be
    retried. Returns how many."""
    return ExportJob.objects.filter(
        status=ExportStatus.RUNNING, started_at__lt=now - stale_after()
    ).update(
        status=ExportStatus.FAILED,
        error=f"{FAILURE_PREFIX}{INTERRUPTED_FAILURE}",
        finished_at=now,
    )


def purge_expired(*, now):
    """Delete the files and rows of jobs past their expiry date. Returns how many jobs.

    A job being written is left alone: `fail_stale` turns it into a failed one first.
    """
    expired = ExportJob.objects.filter(expires_at__lte=now).exclude(status=ExportStatus.RUNNING)
    count = 0
    while batch := list(expired.only("pk", "file").order_by("pk")[:PURGE_BATCH]):
        for job in batch:
            if job.file:
                default_storage.delete(job.file.name)
        count += ExportJob.objects.filter(pk__in=[job.pk for job in batch]).delete()[0]
    return count
