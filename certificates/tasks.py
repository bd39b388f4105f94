from celery import shared_task

from . import deadlines


@shared_task(name="certificates.send_reporting_reminder")
def send_reporting_reminder():
    return deadlines.send_reporting_reminder()
