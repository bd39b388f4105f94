"""Counters in the shared cache (Redis in production) for the application's own rate limits."""

from django.core.cache import cache


def _key(scope, value):
    return f"ratelimit:{scope}:{value}"


def exceeded(scope, value, *, limit):
    """True when `limit` hits were already recorded for (scope, value) in the current window."""
    return (cache.get(_key(scope, value)) or 0) >= limit


def record(scope, value, *, window):
    """Count one hit; the window starts at the first hit and lasts `window` seconds."""
    key = _key(scope, value)
    cache.add(key, 0, timeout=window)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
