"""`/sante/`: public, JSON, 200 when the database and Redis answer, 503 naming what fails."""

import socket
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.db import OperationalError
from django.urls import reverse


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_health_url_is_sante():
    assert reverse("health") == "/sante/"


@pytest.mark.django_db
@pytest.mark.skipif(not django_settings.REDIS_URL, reason="Redis réel requis (REDIS_URL)")
def test_health_everything_up_answers_200_without_login(client):
    response = client.get("/sante/")

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "redis": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_health_without_redis_configured_is_healthy(client, settings):
    settings.REDIS_URL = ""

    response = client.get("/sante/")

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "redis": "non configuré"}


@pytest.mark.django_db
def test_health_redis_down_answers_503_naming_redis_only(client, settings):
    settings.REDIS_URL = f"redis://:secret-pw@127.0.0.1:{closed_port()}/0"

    response = client.get("/sante/")

    assert response.status_code == 503
    assert response.json() == {"database": "ok", "redis": "indisponible"}
    assert b"secret-pw" not in response.content
    assert b"127.0.0.1" not in response.content


@pytest.mark.django_db
def test_health_database_down_answers_503_naming_the_database(client, settings):
    settings.REDIS_URL = ""
    refused = OperationalError("connection to server at 10.0.0.5 failed: password refused")

    with mock.patch("ecertif.health.connection.cursor", side_effect=refused):
        response = client.get("/sante/")

    assert response.status_code == 503
    assert response.json() == {"database": "indisponible", "redis": "non configuré"}
    assert b"10.0.0.5" not in response.content


@pytest.mark.django_db
def test_health_refuses_post(client):
    assert client.post("/sante/").status_code == 405


@pytest.mark.django_db
def test_health_answers_plain_http_when_https_is_enforced(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.REDIS_URL = ""

    assert client.get("/sante/").status_code == 200
    assert client.get("/comptes/login/").status_code == 301
