from celery import shared_task

from . import snapshots
from .statistics import NO_FILTERS
from .views import secretariat_keys


@shared_task(name="stats.refresh_snapshots")
def refresh_snapshots():
    """Recompute the secretariat's unfiltered statistics (every 10 minutes, see celery.py)."""
    snapshots.compute(secretariat_keys(), NO_FILTERS)
