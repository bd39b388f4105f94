"""Settings of the benchmark's gunicorn server: the development settings, no debug, plus a
bare view (`bench/urls.py`) that goes through the same middleware as the pages."""

from ecertif.settings.dev import *  # noqa: F403

DEBUG = False
ROOT_URLCONF = "bench.urls"
WHITENOISE_AUTOREFRESH = False
LOGGING = {"version": 1, "disable_existing_loggers": False}
# The benchmark empties the cache to measure cold pages: never a shared Redis.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
