from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(name="exports.run", acks_late=True)
def run_export(job_id):
    # Delivered twice (acks_late after a worker crash)? The service claims the job once only.
    services.export_run(job_id=job_id)


@shared_task(name="exports.purge_expired")
def purge_expired_exports():
    now = timezone.now()
    services.fail_stale(now=now)
    services.purge_expired(now=now)
