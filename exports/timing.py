"""Durations of the export lifecycle, from the settings (docs/exploitation.md)."""

import datetime

from django.conf import settings


def export_retention():
    """How long a finished file stays downloadable."""
    return datetime.timedelta(days=settings.EXPORT_RETENTION_DAYS)


def lease():
    """How long an attempt may hold a job: the task's hard time limit kills it after that."""
    return datetime.timedelta(seconds=settings.EXPORT_TIME_LIMIT)


def stale_after():
    """A job « en cours » this long lost its worker *and* its message (the broker redelivers
    an unacknowledged task after the visibility timeout): it is marked failed."""
    return datetime.timedelta(
        seconds=settings.CELERY_VISIBILITY_TIMEOUT + settings.EXPORT_TIME_LIMIT + 15 * 60
    )
