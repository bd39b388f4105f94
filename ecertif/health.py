"""`/sante/`: is this web process able to serve? Public, no personal data, no secrets.

200 {"database": "ok", "redis": "ok"} when both answer, 503 naming the part that does not.
The reason of a failure goes to the log, never into the answer (it may name hosts).
"""

import logging

import redis
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

OK = "ok"
DOWN = "indisponible"
NOT_CONFIGURED = "non configuré"
TIMEOUT_SECONDS = 2


def check_database():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("Santé : la base de données ne répond pas")
        return DOWN
    return OK


def check_redis():
    if not settings.REDIS_URL:
        # Development: Celery runs in the request and the cache in memory.
        return NOT_CONFIGURED
    client = redis.Redis.from_url(
        settings.REDIS_URL,
        socket_connect_timeout=TIMEOUT_SECONDS,
        socket_timeout=TIMEOUT_SECONDS,
    )
    try:
        client.ping()
    except Exception:
        logger.exception("Santé : Redis ne répond pas")
        return DOWN
    finally:
        client.close()
    return OK


@login_not_required
@never_cache
@require_safe
def health(request):
    checks = {"database": check_database(), "redis": check_redis()}
    healthy = all(value != DOWN for value in checks.values())
    return JsonResponse(checks, status=200 if healthy else 503)
