import logging

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from . import services

logger = logging.getLogger(__name__)


@shared_task(
    name="exports.run",
    bind=True,
    max_retries=None,
    soft_time_limit=settings.EXPORT_SOFT_TIME_LIMIT,
    time_limit=settings.EXPORT_TIME_LIMIT,
)
def run_export(self, job_id):
    # Delivered again after a worker died (acks_late)? The service claims the job once per
    # attempt; while a live attempt holds it, look again once its time limit is past.
    if services.export_run(job_id=job_id) is None and not self.request.is_eager:
        wait = services.held_for(job_id=job_id)
        if wait:
            raise self.retry(countdown=int(wait) + 1)


@shared_task(name="exports.purge_expired")
def purge_expired_exports():
    now = timezone.now()
    failed = services.fail_stale(now=now)
    purged = services.purge_expired(now=now)
    temporary = services.remove_abandoned_temporary_files(now=now)
    logger.info(
        "Ménage des exports : %s expiré(s) supprimé(s), %s interrompu(s) marqué(s) en échec, "
        "%s fichier(s) temporaire(s) abandonné(s) supprimé(s)",
        purged,
        failed,
        temporary,
    )
    return {"purged": purged, "failed": failed, "temporary": temporary}
