import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_check_deploy_clean_on_production_settings():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ecertif.settings.prod",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "ecertif.example.org",
        "EMAIL_URL": "smtp://localhost:25",
        "DATABASE_URL": "postgres://ecertif@localhost:5432/ecertif",
        "REDIS_URL": "redis://localhost:6379/0",
        "SITE_URL": "https://ecertif.example.org",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_collectstatic_with_production_storage(tmp_path):
    """The manifest storage fails on any missing file a CSS or JS refers to (source maps…)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ecertif.settings.prod",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "ecertif.example.org",
        "EMAIL_URL": "smtp://localhost:25",
        "DATABASE_URL": "postgres://ecertif@localhost:5432/ecertif",
        "REDIS_URL": "redis://localhost:6379/0",
        "SITE_URL": "https://ecertif.example.org",
    }
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, sys; django.setup(); from django.conf import settings; "
            f"settings.STATIC_ROOT = {str(tmp_path)!r}; "
            "from django.core.management import call_command; "
            "call_command('collectstatic', interactive=False, verbosity=0)",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "staticfiles.json").exists()
