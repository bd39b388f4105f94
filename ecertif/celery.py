import os

from celery import Celery, signals
from celery.schedules import crontab

# Never the development settings by accident: production refuses to start without its
# variables; `make run` and the tests name their settings explicitly.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecertif.settings.prod")

app = Celery("ecertif")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.setup_logging.connect
def _configure_logging(**kwargs):
    """Workers and beat log like the web processes: settings.LOGGING (JSON, secrets masked)."""
    import logging.config  # only workers and beat configure logging here

    from django.conf import settings  # read once Celery has set Django up

    logging.config.dictConfig(settings.LOGGING)
    # Python warnings (Celery's own included) become log lines in the same format.
    logging.captureWarnings(True)


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
