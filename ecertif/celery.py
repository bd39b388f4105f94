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
    "certificates-reporting-reminder": {
        "task": "certificates.send_reporting_reminder",
        "schedule": crontab(day_of_month=1, hour=8, minute=15),
    },
    # The secretariat's statistics snapshot (stats/snapshots.py): at most 10 minutes old.
    "stats-refresh-snapshots": {
        "task": "stats.refresh_snapshots",
        "schedule": crontab(minute="*/10"),
    },
    # The dossiers' per-state counters (dossiers/counts.py) folded to one row per state.
    "dossiers-compact-counts": {
        "task": "dossiers.compact_counts",
        "schedule": crontab(minute="*/5"),
        "options": {"expires": 290},
    },
    # Emails whose next attempt is due (backoff), and pending ones whose task was lost.
    "mail-retry-pending": {
        "task": "mail.retry_pending",
        "schedule": crontab(minute="*"),
        # Not run late: while no worker reads the queue, the next minute's run replaces it.
        "options": {"expires": 55},
    },
    # Housekeeping (docs/exploitation.md), each with its setting, each logging its counts.
    "accounts-clear-sessions": {
        "task": "accounts.clear_sessions",
        "schedule": crontab(hour=3, minute=15),
    },
    "dossiers-purge-personal-data": {
        "task": "dossiers.purge_personal_data",
        "schedule": crontab(hour=3, minute=30),
    },
    "mail-erase-sent-bodies": {
        "task": "mail.erase_sent_bodies",
        "schedule": crontab(hour=3, minute=45),
    },
}
