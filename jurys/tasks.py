from celery import shared_task

from . import services


@shared_task(name="jurys.send_session_reminders")
def send_session_reminders():
    services.sessions_refresh_statuses()
    return services.send_session_reminders()
