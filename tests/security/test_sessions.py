"""Session lifetime, no-store on authenticated pages, French 429, invitation-token throttle."""

import datetime
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone

from ecertif import settings as settings_package
from evaluations.workplace.views import TOKEN_MISSES_PER_HOUR
from tests.factories.accounts import EmployerFactory, StaffFactory

pytestmark = pytest.mark.django_db


def _at(start, **delta):
    return time_machine.travel(start + datetime.timedelta(**delta), tick=False)


def test_employer_session_survives_activity_and_ends_after_idle(client, settings):
    settings.SESSION_IDLE_TIMEOUT = 2 * 3600
    start = timezone.now()
    with _at(start):
        client.force_login(EmployerFactory())
        assert client.get("/dossiers/").status_code == 200
    with _at(start, minutes=110):
        assert client.get("/dossiers/").status_code == 200
    with _at(start, minutes=220):
        assert client.get("/dossiers/").status_code == 200  # 110 min idle: still in
    with _at(start, minutes=220 + 121):
        response = client.get("/dossiers/")
    assert response.status_code == 302
    assert response["Location"] == "/comptes/login/?next=%2Fdossiers%2F"
    assert "_auth_user_id" not in client.session


def test_secretariat_idle_timeout_is_shorter(client, settings):
    settings.SESSION_IDLE_TIMEOUT_SECRETARIAT = 30 * 60
    start = timezone.now()
    with _at(start):
        client.force_login(StaffFactory())
        assert client.get("/dossiers/").status_code == 200
    with _at(start, minutes=31):
        assert client.get("/dossiers/").status_code == 302


def test_absolute_timeout_ends_an_active_session(client, settings):
    settings.SESSION_ABSOLUTE_TIMEOUT = 10 * 3600
    start = timezone.now()
    with _at(start):
        client.force_login(EmployerFactory())
        client.get("/dossiers/")
    for minutes in range(60, 600, 60):
        with _at(start, minutes=minutes):
            assert client.get("/dossiers/").status_code == 200
    with _at(start, minutes=601):
        assert client.get("/dossiers/").status_code == 302


def test_authenticated_pages_are_not_stored(client):
    client.force_login(EmployerFactory())
    for url in ("/", "/dossiers/", "/notifications/", "/comptes/email/"):
        response = client.get(url)
        assert "no-store" in response["Cache-Control"], url


def test_production_cookies_use_the_host_prefix():
    # Read from the file: importing prod.py needs every production variable.
    source = (Path(settings_package.__file__).parent / "prod.py").read_text()
    assert 'SESSION_COOKIE_NAME = "__Host-sessionid"' in source
    assert 'CSRF_COOKIE_NAME = "__Host-csrftoken"' in source
    assert "SESSION_COOKIE_SECURE = True" in source and "CSRF_COOKIE_SECURE = True" in source
    assert "COOKIE_DOMAIN" not in source and "COOKIE_PATH" not in source


def test_invitation_token_guessing_is_throttled_per_ip(client):
    for attempt in range(TOKEN_MISSES_PER_HOUR):
        token = f"{attempt:032d}"
        assert client.get(f"/evaluation-metier/{token}/").status_code != 429
    response = client.get("/evaluation-metier/" + "a" * 32 + "/")
    assert response.status_code == 429
    html = response.content.decode()
    assert '<h1 class="h3">Trop de tentatives</h1>' in html
    # Another address is not blocked.
    other = client.get("/evaluation-metier/" + "b" * 32 + "/", REMOTE_ADDR="198.51.100.9")
    assert other.status_code != 429


def test_login_rate_limit_page_is_french(client, settings):
    user = EmployerFactory()
    # "login": 30 attempts a minute from one address, then allauth answers 429.
    for _ in range(31):
        response = client.post(
            "/comptes/login/", {"login": user.email, "password": "mauvais-mot-de-passe"}
        )
    assert response.status_code == 429
    assert "Trop de tentatives" in response.content.decode()
