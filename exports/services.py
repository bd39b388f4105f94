"""Export jobs: asked for in a request, written by a Celery worker, downloaded, then purged.

A job runs at most once per request: the worker claims it with a conditional UPDATE
(« en file d'attente » → « en cours ») and a second delivery of the same task finds nothing
to claim. The file is written under a temporary name and renamed once complete, so a
half-written file is never offered for download.
"""

import logging
import os
import tempfile
import uuid
from contextlib import contextmanager

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

from .enums import ACTIVE_STATUSES, EXPORT_RETENTION, PROGRESS_EVERY, STALE_AFTER, ExportStatus
from .exceptions import ExportError
from .models import ExportJob, export_file_name
from .writers import WRITERS

logger = logging.getLogger(__name__)

FAILURE_PREFIX = "L'export a échoué : "
UNEXPECTED_FAILURE = (
    "erreur inattendue pendant l'écriture du fichier. Relancez l'export ; "
    "si l'erreur persiste, contactez le secrétariat."
)
INTERRUPTED_FAILURE = "l'export a été interrompu avant la fin. Relancez-le."
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
            expires_at=now + EXPORT_RETENTION,
        )
        transaction.on_commit(lambda: _queue(job.pk))
    return job


class _Progress:
    """Writes the percentage to the job's row every `PROGRESS_EVERY` rows, outside any
    transaction so that the page polling it sees it move."""

    def __init__(self, job_id):
        self.job_id = job_id

    def __call__(self, rows, total):
        if rows % PROGRESS_EVERY or not total:
            return
        percent = min(99, rows * 100 // total)
        ExportJob.objects.filter(pk=self.job_id, status=ExportStatus.RUNNING).update(
            progress=percent
        )


def _local_path(name):
    try:
        return default_storage.path(name)
    except NotImplementedError:
        return None


@contextmanager
def _temporary_file(final_name):
    """Yield a path to write to; it becomes `final_name` in the storage only if no error.

    On a local disk the temporary file sits beside the final one and is renamed atomically;
    on a remote storage (S3) the complete file is uploaded under its final name.
    """
    final_path = _local_path(final_name)
    if final_path is not None:
        os.makedirs(os.path.dirname(final_path), exist_ok=True)
        temporary = f"{final_path}.{uuid.uuid4().hex}.part"
    else:
        handle, temporary = tempfile.mkstemp(suffix=".xlsx.part")
        os.close(handle)
    try:
        yield temporary
        if final_path is not None:
            os.replace(temporary, final_path)
        else:
            with open(temporary, "rb") as stream:
                saved = default_storage.save(final_name, File(stream, name=final_name))
            if saved != final_name:
                raise RuntimeError(f"Nom de fichier déjà pris : {final_name}")
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)


def _claim(job_id):
    """« En file d'attente » → « en cours », or None if someone else already took it."""
    claimed = ExportJob.objects.filter(pk=job_id, status=ExportStatus.QUEUED).update(
        status=ExportStatus.RUNNING, started_at=timezone.now(), progress=0, error=""
    )
    if not claimed:
        return None
    return ExportJob.objects.select_related("owner").get(pk=job_id)


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


def _fail(job_id, reason):
    ExportJob.objects.filter(pk=job_id, status=ExportStatus.RUNNING).update(
        status=ExportStatus.FAILED,
        error=f"{FAILURE_PREFIX}{reason}",
        finished_at=timezone.now(),
    )


def export_run(*, job_id):
    """Write the job's file. Returns the job, or None when it was not « en file d'attente »."""
    job = _claim(job_id)
    if job is None:
        logger.info("Export %s déjà pris en charge ou terminé : rien à faire", job_id)
        return None
    writer = WRITERS[job.kind]
    final_name = export_file_name(job, "")
    try:
        with _temporary_file(final_name) as path:
            written = writer(
                path, owner=job.owner, parameters=job.parameters, report=_Progress(job.pk)
            )
    except ExportError as error:
        _fail(job.pk, error.message)
        job.refresh_from_db()
        return job
    except Exception:
        logger.exception("L'export %s a échoué", job.pk)
        _fail(job.pk, UNEXPECTED_FAILURE)
        job.refresh_from_db()
        return job
    now = timezone.now()
    with transaction.atomic():
        updated = ExportJob.objects.filter(pk=job.pk, status=ExportStatus.RUNNING).update(
            status=ExportStatus.DONE,
            progress=100,
            row_count=written.rows,
            title=written.title or job.title,
            file=final_name,
            finished_at=now,
            # Downloadable for the whole retention period, counted from when it is ready.
            expires_at=now + EXPORT_RETENTION,
        )
        if not updated:
            # Purged or marked stale while writing: the file belongs to no one.
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
            expires_at=now + EXPORT_RETENTION,
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
        status=ExportStatus.RUNNING, started_at__lt=now - STALE_AFTER
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
