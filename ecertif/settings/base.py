"""Base settings: everything lives here, environment-specific modules only tighten."""

from pathlib import Path

import environ
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# Configuration comes from the process environment only (docker-compose passes `.env`).
env = environ.Env()

SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-change-me")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "ecertif.accounts.allauth_apps.FrenchAccountConfig",
    "ecertif.accounts.allauth_apps.FrenchMFAConfig",
    "django_fsm",
    "rules.apps.AutodiscoverRulesConfig",
    "import_export",
    "django_htmx",
    "simple_history",
    "pgtrigger",
    # Ground floor: the project's cross-cutting apps (import no domain app).
    "ecertif.audit",
    "ecertif.accounts",
    "ecertif.mail",
    "ecertif.notifications",
    # Domain apps, each importing only those above it in this list.
    "referentiel",
    "dossiers",
    "evaluations",
    "jurys",
    "certificates",
    # Top floor: cross-app pages and tools (import downwards only).
    "stats",
    "exports",
    "home",
    "demo",
    "aide",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "home.middleware.RoleMiddleware",
    "ecertif.sessions.SessionTimeoutMiddleware",
    "home.middleware.RequireMFAMiddleware",
    "dossiers.middleware.DossierRaceMiddleware",
]

ROOT_URLCONF = "ecertif.urls"
WSGI_APPLICATION = "ecertif.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "home.context_processors.role",
                "home.context_processors.navigation",
                "ecertif.notifications.context_processors.notifications",
            ],
            "builtins": ["rules.templatetags.rules"],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Persistent connections (a new PostgreSQL connection costs more than a list page's queries),
# checked before reuse so that a restarted database costs one error-free reconnection.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# The fixed queries of the list pages are prepared by PostgreSQL once they have run this many
# times on a connection (ecertif/prepared.py). Empty: never (behind a connection pooler in
# transaction mode that does not keep prepared statements).
DB_PREPARE_THRESHOLD = env("DB_PREPARE_THRESHOLD", default="5")
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and DB_PREPARE_THRESHOLD:
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = int(DB_PREPARE_THRESHOLD)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    # Django's and allauth's backends, loading the user's roles and unread count with the user.
    "home.backends.ModelBackend",
    "home.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# allauth: email is the login, no open sign-up, rate-limited login.
ACCOUNT_ADAPTER = "ecertif.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[e-Certif] "
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_RATE_LIMITS = {
    # Failed logins: per client address, and per account *and* address (the adapter adds the
    # address to allauth's key) so that nobody can lock an owner out from elsewhere.
    "login_failed": env("LOGIN_RATE_LIMIT", default="20/15m/ip,5/15m/key"),
    "login": "30/m/ip",
    "reset_password": "5/m/ip,3/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "e-Certif"
# When on, secretariat and jury members must activate TOTP before using the application.
ECERTIF_MFA_REQUIRED = env.bool("MFA_REQUIRED", default=True)

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
# Private files are never served by URL; views stream them after a permission check.
MEDIA_URL = "/media-non-public/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Optional antivirus: clamd reached over TCP (tcp://host:3310); uploads are refused when it is
# set but does not answer.
CLAMAV_URL = env("CLAMAV_URL", default="")
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# Email: MAILERS (Django 6.1). Every email is first an outbox row (ecertif.mail).
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="e-Certif <ne-pas-repondre@ecertif.fr>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SECRETARIAT_EMAIL = env("SECRETARIAT_EMAIL", default="secretariat-cqp@ecertif.fr")


def mailers_from_url(url):
    """MAILERS (Django 6.1) from one URL: smtp://user:password@host:587, consolemail://…"""
    config = environ.Env.email_url_config(url)
    backend = config["EMAIL_BACKEND"]
    if not backend.endswith("smtp.EmailBackend"):
        return {"default": {"BACKEND": backend}}
    return {
        "default": {
            "BACKEND": backend,
            "OPTIONS": {
                "host": config.get("EMAIL_HOST", "localhost"),
                "port": config.get("EMAIL_PORT", 25),
                "username": config.get("EMAIL_HOST_USER", ""),
                "password": config.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": config.get("EMAIL_USE_TLS", False),
                "use_ssl": config.get("EMAIL_USE_SSL", False),
                "timeout": 30,
            },
        }
    }


MAILERS = mailers_from_url(env("EMAIL_URL", default="consolemail://"))

# PAdES signature of parchemins and attestations: PEM key and certificate (README).
DOCUMENT_SIGNING_KEY = env("DOCUMENT_SIGNING_KEY", default="")
DOCUMENT_SIGNING_CERTIFICATE = env("DOCUMENT_SIGNING_CERTIFICATE", default="")
DOCUMENT_SIGNING_KEY_PASSPHRASE = env("DOCUMENT_SIGNING_KEY_PASSPHRASE", default="")
# Demo only: create a self-signed pair at the paths above when they do not exist yet.
DOCUMENT_SIGNING_DEMO = False

# Caisse des Dépôts (« accrochage certificateurs »): identifiers sent by the CDC once the
# branch is registered as certifier (README).
ACCROCHAGE_ID_CLIENT = env("ACCROCHAGE_ID_CLIENT", default="")
ACCROCHAGE_ID_CONTRAT = env("ACCROCHAGE_ID_CONTRAT", default="")

# RGPD: candidates are anonymised this many years after their last dossier ended.
RETENTION_YEARS = env.int("RETENTION_YEARS", default=10)
# Personal-data access log: rows older than this are purged daily (never below 183 days).
ACCESS_LOG_RETENTION_DAYS = env.int("ACCESS_LOG_RETENTION_DAYS", default=365)

# Celery: Redis when REDIS_URL is set, eager (in-process) otherwise.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Security headers; prod.py turns on the HTTPS-only parts.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 10
# Sessions end after this idle time (shorter for the secretariat) and at most SESSION_COOKIE_AGE
# after login (ecertif/sessions.py).
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=2 * 60 * 60)
SESSION_IDLE_TIMEOUT_SECRETARIAT = env.int("SESSION_IDLE_TIMEOUT_SECRETARIAT", default=30 * 60)
SESSION_ABSOLUTE_TIMEOUT = SESSION_COOKIE_AGE
CSRF_COOKIE_HTTPONLY = True
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_EXPORT_FORMATS = None

# --- Behind the reverse proxy, and the logs (issue #9) -------------------------------------
# Number of reverse proxies we run in front of gunicorn (1: the nginx of docker-compose.yml;
# 2: nginx behind a load balancer; 0: no proxy). The client address is read from
# X-Forwarded-For that many hops from the right, by ecertif.proxy.client_ip for every rate limit
# and by the access log (gunicorn reads the same variable).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT

# One format for web and workers: JSON lines with a UTC timestamp, secrets masked
# (ecertif/logs.py; gunicorn.conf.py uses the same formatter for its access log).
LOG_LEVEL = env("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_secrets": {"()": "ecertif.logs.MaskSecretsFilter"}},
    "formatters": {"json": {"()": "ecertif.logs.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["mask_secrets"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Django's own handlers would print request lines (and their paths) unformatted.
        "django": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        "django.server": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        # WeasyPrint reports every rendering step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
# --- end of issue #9 block ----------------------------------------------------------------
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# ---------------------------------------------------------------------------------------------
# Operations (issue #9, items 4-6): object storage, Celery queues and limits, housekeeping.
# Documented in docs/exploitation.md.
# ---------------------------------------------------------------------------------------------
from kombu import Queue  # noqa: E402


# Media on S3-compatible object storage (AWS, MinIO, Scaleway, OVH…) when a bucket is named,
# on the local disk (MEDIA_ROOT) otherwise. Objects are private: no ACL, no public URL; the
# application streams them after its permission check.
def default_storage_from_env():
    """STORAGES["default"]: S3-compatible object storage when S3_BUCKET is set, else the disk."""
    bucket = env("S3_BUCKET", default="")
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            # Empty values fall back to boto3's defaults (credentials chain, AWS endpoint).
            "access_key": env("AWS_ACCESS_KEY_ID", default="") or None,
            "secret_key": env("AWS_SECRET_ACCESS_KEY", default="") or None,
            "endpoint_url": env("S3_ENDPOINT_URL", default="") or None,
            "region_name": env("S3_REGION", default="") or None,
            "location": env("S3_PREFIX", default=""),
            "addressing_style": env("S3_ADDRESSING_STYLE", default="") or None,
            "signature_version": "s3v4",
            # Private objects: no ACL sent (the bucket's private default applies).
            "default_acl": None,
            "querystring_auth": True,
            # A signed URL, if one is ever produced, is useless after a minute.
            "querystring_expire": 60,
            "file_overwrite": False,
        },
    }


STORAGES["default"] = default_storage_from_env()
# The health endpoint answers plain HTTP too (container healthchecks, behind the proxy).
SECURE_REDIRECT_EXEMPT = [r"^sante/$"]
# Where the export worker writes its files before uploading them to object storage.
EXPORT_TEMP_DIR = env("EXPORT_TEMP_DIR", default="")

# Celery queues: « default » (reminders, housekeeping), « email », « documents » (exports).
# A worker started without -Q consumes all three.
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_QUEUES = [Queue("default"), Queue("email"), Queue("documents")]
CELERY_TASK_ROUTES = {
    "mail.*": {"queue": "email"},
    "exports.run": {"queue": "documents"},
}
# A task is acknowledged once done: a worker that dies hands it back to the broker.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Hard/soft time limits (seconds): every task has one; exports have their own below.
CELERY_TASK_TIME_LIMIT = env.int("TASK_TIME_LIMIT", default=600)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("TASK_SOFT_TIME_LIMIT", default=540)
EXPORT_TIME_LIMIT = env.int("EXPORT_TIME_LIMIT", default=1800)
EXPORT_SOFT_TIME_LIMIT = env.int("EXPORT_SOFT_TIME_LIMIT", default=1740)
# An export interrupted this many times (worker killed each time) is marked failed.
EXPORT_MAX_ATTEMPTS = env.int("EXPORT_MAX_ATTEMPTS", default=3)
# An unacknowledged task goes back to the queue after this long: more than any time limit.
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=7200)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}

# Emails: retried with exponential backoff (1, 2, 4… minutes, at most EMAIL_RETRY_MAX_DELAY)
# for EMAIL_RETRY_FOR_HOURS, then marked failed and the secretariat is alerted.
EMAIL_RETRY_FOR_HOURS = env.int("EMAIL_RETRY_FOR_HOURS", default=24)
EMAIL_RETRY_MAX_DELAY_MINUTES = env.int("EMAIL_RETRY_MAX_DELAY_MINUTES", default=60)

# Housekeeping (beat, see ecertif/celery.py).
# Sent emails lose their bodies (text and HTML) after this many days.
EMAIL_BODY_RETENTION_DAYS = env.int("EMAIL_BODY_RETENTION_DAYS", default=30)
# Finished export files stay downloadable this many days.
EXPORT_RETENTION_DAYS = env.int("EXPORT_RETENTION_DAYS", default=7)
# The retention purge (purge_personal_data) runs every night when on.
RETENTION_PURGE_ENABLED = env.bool("RETENTION_PURGE_ENABLED", default=True)
