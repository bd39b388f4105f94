from celery import shared_task

from . import services


@shared_task(name="evaluations.send_invitation_reminders")
def send_invitation_reminders():
    return services.send_invitation_reminders()
