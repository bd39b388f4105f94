"""ecertif.settings.prod refuses to start without its variables; nothing defaults to dev."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "SECRET_KEY": "x" * 64,
    "ALLOWED_HOSTS": "ecertif.example.org",
    "DATABASE_URL": "postgres://ecertif@localhost:5432/ecertif",
    "REDIS_URL": "redis://localhost:6379/0",
    "SITE_URL": "https://ecertif.example.org",
    "EMAIL_URL": "smtp://localhost:25",
}
PRINT_SETTINGS = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.SETTINGS_MODULE, settings.DEBUG, settings.DATABASES['default']['ENGINE'], "
    "settings.CELERY_TASK_ALWAYS_EAGER, settings.SITE_URL)"
)


def run(code, **variables):
    env = {key: value for key, value in os.environ.items() if key not in PRODUCTION}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update({key: value for key, value in variables.items() if value is not None})
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_start_with_every_variable():
    result = run(PRINT_SETTINGS, DJANGO_SETTINGS_MODULE="ecertif.settings.prod", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "ecertif.settings.prod",
        "False",
        "django.db.backends.postgresql",
        "False",
        "https://ecertif.example.org",
    ]


@pytest.mark.parametrize("name", sorted(PRODUCTION))
def test_production_settings_refuse_a_missing_variable(name):
    result = run(
        PRINT_SETTINGS,
        DJANGO_SETTINGS_MODULE="ecertif.settings.prod",
        **{**PRODUCTION, name: None},
    )
    assert result.returncode == 1
    assert result.stdout == ""
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith(
        f"django.core.exceptions.ImproperlyConfigured: La variable d'environnement {name} est "
        "obligatoire en production ("
    )
    assert f"The environment variable {name} is required by ecertif.settings.prod." in last_line


def test_production_settings_refuse_an_empty_variable():
    result = run(
        PRINT_SETTINGS,
        DJANGO_SETTINGS_MODULE="ecertif.settings.prod",
        **{**PRODUCTION, "SECRET_KEY": "  "},
    )
    assert result.returncode == 1
    assert "La variable d'environnement SECRET_KEY est obligatoire" in result.stderr


def test_production_settings_refuse_sqlite():
    result = run(
        PRINT_SETTINGS,
        DJANGO_SETTINGS_MODULE="ecertif.settings.prod",
        **{**PRODUCTION, "DATABASE_URL": "sqlite:////tmp/ecertif.sqlite3"},
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        "django.core.exceptions.ImproperlyConfigured: DATABASE_URL doit désigner une base "
        "PostgreSQL (postgres://…), pas django.db.backends.sqlite3. / DATABASE_URL must point "
        "to PostgreSQL."
    )


@pytest.mark.parametrize(
    "code",
    [
        # manage.py, the WSGI entry point of gunicorn and the Celery app (worker and beat).
        "import runpy, sys; sys.argv = ['manage.py', 'check']; runpy.run_path('manage.py', "
        "run_name='__main__')",
        "import ecertif.wsgi",
        "from ecertif.celery import app; app.loader.import_default_modules()",
    ],
    ids=["manage.py", "wsgi", "celery"],
)
def test_entry_points_without_settings_module_never_get_dev_settings(code):
    result = run(code)
    assert result.returncode == 1
    assert (
        "ImproperlyConfigured: La variable d'environnement SECRET_KEY est obligatoire en production"
    ) in result.stderr


def test_production_settings_refuse_a_relative_site_url():
    result = run(
        PRINT_SETTINGS,
        DJANGO_SETTINGS_MODULE="ecertif.settings.prod",
        **{**PRODUCTION, "SITE_URL": "ecertif.example.org"},
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        "django.core.exceptions.ImproperlyConfigured: SITE_URL doit être une adresse absolue, "
        "https://… (reçu : 'ecertif.example.org'). / SITE_URL must be an absolute URL."
    )
