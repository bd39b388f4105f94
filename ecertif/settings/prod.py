"""Production: only tightens base.py, and refuses to start without its required variables."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES, STORAGES, env, mailers_from_url

# What each required variable is for, repeated in the error a sysadmin sees at start-up.
REQUIRED_VARIABLES = {
    "SECRET_KEY": "clé secrète longue et aléatoire / long random secret key",
    "ALLOWED_HOSTS": "noms de domaine servis / served host names, e.g. ecertif.example.org",
    "DATABASE_URL": "PostgreSQL, e.g. postgres://user:password@db:5432/ecertif",
    "REDIS_URL": "Redis (cache et file Celery / cache and Celery broker), e.g. redis://redis:6379/0",
    "SITE_URL": "adresse publique, pour les liens des courriels / public URL, e.g. "
    "https://ecertif.example.org",
    "EMAIL_URL": "serveur SMTP / SMTP server, e.g. smtp+tls://user:password@smtp.example.org:587",
}


def required(name):
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(
            f"La variable d'environnement {name} est obligatoire en production "
            f"({REQUIRED_VARIABLES[name]}). / The environment variable {name} is required by "
            "ecertif.settings.prod."
        )
    return value


for _name in REQUIRED_VARIABLES:
    required(_name)

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
SITE_URL = env("SITE_URL").rstrip("/")
if not SITE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured(
        f"SITE_URL doit être une adresse absolue, https://… (reçu : {SITE_URL!r}). / "
        "SITE_URL must be an absolute URL."
    )

# base.py read DATABASE_URL and REDIS_URL (both present, see above): the database must be
# PostgreSQL, and Redis serves as cache and Celery broker.
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured(
        "DATABASE_URL doit désigner une base PostgreSQL (postgres://…), pas "
        f"{DATABASES['default']['ENGINE']}. / DATABASE_URL must point to PostgreSQL."
    )
# Tasks never run inside a web request in production.
CELERY_TASK_ALWAYS_EAGER = False

ECERTIF_MFA_REQUIRED = env.bool("MFA_REQUIRED", default=True)
# Production sends real email: the SMTP URL is required.
MAILERS = mailers_from_url(env("EMAIL_URL"))

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# --- hardening: __Host- cookies (Secure, Path=/, no Domain: no subdomain can set them) ---
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
# --- end hardening ---
# Media storage as base.py chose it (disk or S3); static files hashed and compressed.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
