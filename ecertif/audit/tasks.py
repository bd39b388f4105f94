from celery import shared_task

from .services import purge_access_log


@shared_task(name="audit.purge_access_log")
def purge_access_log_task():
    return purge_access_log()
