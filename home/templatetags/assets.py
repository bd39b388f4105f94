"""`{% asset 'css/ecertif.css' %}`: `{% static %}` with the URL kept per process (issue #14).

Django's tag asks the storage on every use (the manifest's hashed name, URL joining and
quoting: seven links cost as much as a query on every page). A file's URL does not change while
the process runs (the manifest is read once, at start); it is forgotten when a test changes
the storage's settings."""

import functools

from django import template
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.signals import setting_changed
from django.dispatch import receiver

register = template.Library()


@functools.lru_cache(maxsize=64)
def asset_url(path):
    return staticfiles_storage.url(path)


@register.simple_tag
def asset(path):
    return asset_url(path)


@receiver(setting_changed)
def forget_urls(setting, **kwargs):
    if setting in {"STORAGES", "STATIC_URL", "STATIC_ROOT"}:
        asset_url.cache_clear()
