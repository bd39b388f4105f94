"""Celery app of the crash test's worker: the project's app, whose export writer pauses
ECERTIF_TEST_EXPORT_DELAY seconds once the temporary file is written (time to kill it)."""

import os
import time

from celery.signals import worker_process_init

from ecertif.celery import app

__all__ = ["app"]


@worker_process_init.connect
def _slow_exports(**kwargs):
    delay = float(os.environ.get("ECERTIF_TEST_EXPORT_DELAY") or 0)
    if not delay:
        return
    from exports import services

    def slowed(real):
        def writer(path, **options):
            written = real(path, **options)
            time.sleep(delay)
            return written

        return writer

    for kind, real in list(services.WRITERS.items()):
        services.WRITERS[kind] = slowed(real)
