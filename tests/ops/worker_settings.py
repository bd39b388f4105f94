"""Settings of the real worker started by tests/ops/test_export_crash.py (a subprocess).

The test settings, with a real broker, short time limits and a short visibility timeout so
that a killed worker's task comes back within seconds, and a key prefix of its own in Redis
so that no other test's worker takes its tasks.
"""

import os

from ecertif.settings.test import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_URL = os.environ["REDIS_URL"]
EXPORT_TIME_LIMIT = 8
EXPORT_SOFT_TIME_LIMIT = 7
CELERY_VISIBILITY_TIMEOUT = 10
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
    "global_keyprefix": os.environ["ECERTIF_TEST_KEYPREFIX"],
}
