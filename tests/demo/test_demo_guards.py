"""seed_demo and generate_load_data: never on a production site by accident, never real email."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection

from dossiers.models import Dossier
from ecertif.mail.enums import EmailStatus
from ecertif.mail.models import OutboxEmail
from referentiel.models import Certification

ROOT = Path(__file__).resolve().parents[2]
REFUSAL = (
    "{command} refuse de s'exécuter sans DEBUG : ses comptes de démonstration ont un mot de "
    "passe public (dont un superutilisateur). Sur un site réel, créez le premier compte du "
    "secrétariat avec « manage.py createsuperuser ». Pour une copie de test seulement : "
    "--allow-production."
)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("command", "options"),
    [("seed_demo", {}), ("generate_load_data", {"dossiers": 10})],
)
def test_demo_command_without_debug_refused_nothing_created(settings, command, options):
    settings.DEBUG = False
    with pytest.raises(CommandError) as error:
        call_command(command, **options)
    assert str(error.value) == REFUSAL.format(command=command)
    assert get_user_model().objects.count() == 0
    assert Certification.objects.count() == 0
    assert OutboxEmail.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_seed_demo_under_production_settings_refused_nothing_created():
    if connection.vendor != "postgresql":
        pytest.skip("les réglages de production exigent PostgreSQL (DATABASE_URL)")
    database = connection.settings_dict
    url = (
        f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST']}:"
        f"{database['PORT'] or 5432}/{database['NAME']}"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ecertif.settings.prod",
        "SECRET_KEY": "x" * 64,
        "ALLOWED_HOSTS": "ecertif.example.org",
        "DATABASE_URL": url,
        "REDIS_URL": "redis://127.0.0.1:6379/15",
        "SITE_URL": "https://ecertif.example.org",
        "EMAIL_URL": "smtp://127.0.0.1:9",
        "DEBUG": "true",  # prod.py forces DEBUG off whatever the environment says
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "seed_demo"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.strip() == f"CommandError: {REFUSAL.format(command='seed_demo')}"
    assert get_user_model().objects.count() == 0
    assert Dossier.objects.count() == 0
    assert OutboxEmail.objects.count() == 0


@pytest.mark.django_db
def test_seed_demo_allowed_in_production_sends_no_email(
    settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.DEBUG = False
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        call_command("seed_demo", allow_production=True)
    # The demo's actions queued emails: each one is kept, marked « non envoyé », never sent.
    assert len(callbacks) > 0
    statuses = set(OutboxEmail.objects.values_list("status", flat=True))
    assert statuses == {EmailStatus.SUPPRESSED}
    assert mailoutbox == []
    assert get_user_model().objects.filter(email="secretariat@demo.ecertif.fr").exists()


@pytest.mark.django_db
def test_seed_demo_under_debug_sends_no_email(
    settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.DEBUG = True
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo")
    assert OutboxEmail.objects.exclude(status=EmailStatus.SUPPRESSED).count() == 0
    assert OutboxEmail.objects.count() > 0
    assert mailoutbox == []


@pytest.mark.django_db
def test_real_email_queued_after_the_seed_still_goes_out(settings, mailoutbox):
    from ecertif.mail.services import deliver_email, queue_raw_email

    settings.DEBUG = True
    call_command("seed_demo")
    email = queue_raw_email(to="quelqu-un@example.org", subject="Sujet", body_text="Texte")
    assert deliver_email(email_id=email.pk) is True
    assert [message.to for message in mailoutbox] == [["quelqu-un@example.org"]]


@pytest.mark.django_db
def test_createsuperuser_makes_the_first_secretariat_account(monkeypatch):
    from ecertif.accounts.enums import Role
    from home.roles import roles_for

    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "un-mot-de-passe-solide-2026")
    call_command("createsuperuser", email="secretariat@example.org", interactive=False, verbosity=0)
    user = get_user_model().objects.get(email="secretariat@example.org")
    assert user.check_password("un-mot-de-passe-solide-2026")
    assert Role.SECRETARIAT in roles_for(user)
