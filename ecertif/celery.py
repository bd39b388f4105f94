import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecertif.settings.dev")

app = Celery("ecertif")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Static schedule: django-celery-beat does not support Django 6.1 yet.
app.conf.beat_schedule = {
    "evaluations-invitation-reminders": {
        "task": "evaluations.send_invitation_reminders",
        "schedule": crontab(hour=8, minute=0),
    },
    "jurys-session-reminders": {
        "task": "jurys.send_session_reminders",
        "schedule": crontab(hour=7, minute=30),
    },
    "exports-purge-expired": {
        "task": "exports.purge_expired",
        "schedule": crontab(hour=3, minute=0),
    },
    "audit-purge-access-log": {
        "task": "audit.purge_access_log",
        "schedule": crontab(hour=3, minute=30),
    },
    "mail-retry-pending": {
        "task": "mail.retry_pending",
        "schedule": crontab(minute="*/10"),
    },
}
