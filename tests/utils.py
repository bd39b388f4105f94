"""Helpers shared by the test folders."""

import threading

import pytest
from django.conf import settings
from django.db import connection

needs_postgresql = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="needs PostgreSQL: SQLite has no SELECT … FOR UPDATE and serialises writers",
)


def run_together(count, target):
    """Start `count` threads on `target(index)` at the same instant; return results, errors."""
    barrier = threading.Barrier(count, timeout=30)
    results, errors = [None] * count, [None] * count

    def run(index):
        try:
            barrier.wait()
            results[index] = target(index)
        except BaseException as error:  # reported to the main thread
            errors[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return results, errors
