"""Logs: one JSON format for web and workers, timestamps on every line, no secret."""

import datetime
import io
import json
import logging
import types

import pytest
from gunicorn.config import Config

from ecertif.logs import GunicornLogger, JsonFormatter, MaskSecretsFilter, mask_secrets

TOKEN = "Jq3xT0k3n-Secret_abcdefghijklmnop"


@pytest.fixture(autouse=True)
def _pytest_keeps_its_warnings():
    # Workers and gunicorn route Python warnings to logging; the test process must not.
    yield
    logging.captureWarnings(False)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"/evaluation-metier/{TOKEN}/", "/evaluation-metier/[masqué]/"),
        (f"GET /evaluation-metier/{TOKEN}/ 200", "GET /evaluation-metier/[masqué]/ 200"),
        # A mangled link with slashes is masked whole.
        (f"/evaluation-metier/{TOKEN}/x/y/", "/evaluation-metier/[masqué]/"),
        ("/evaluation-metier/", "/evaluation-metier/"),
        (
            "/comptes/password/reset/key/3-cb1x2y-0a1b2c3d4e5f/",
            "/comptes/password/reset/key/[masqué]/",
        ),
        ("/comptes/confirm-email/Mzk:1t2u3v:abc/", "/comptes/confirm-email/[masqué]/"),
        ("/dossiers/?q=Dupont", "/dossiers/?q=[masqué]"),
        (
            "/dossiers/?state=validated&q=Dupont&page=2",
            "/dossiers/?state=validated&q=[masqué]&page=2",
        ),
        ("/admin/dossiers/candidate/?q=Martin&o=1", "/admin/dossiers/candidate/?q=[masqué]&o=1"),
        ("/comptes/login/?next=/dossiers/%3Fq%3DDupont", "/comptes/login/?next=[masqué]"),
        ("/dossiers/?q=", "/dossiers/?q="),
        ("Pourquoi ? Parce que.", "Pourquoi ? Parce que."),
    ],
)
def test_mask_secrets(text, expected):
    assert mask_secrets(text) == expected


def record(message, *args, **extra):
    entry = logging.LogRecord("ecertif.test", logging.WARNING, __file__, 1, message, args, None)
    entry.created = datetime.datetime(
        2026, 11, 29, 8, 30, 5, 123000, tzinfo=datetime.UTC
    ).timestamp()
    entry.__dict__.update(extra)
    return entry


def test_json_formatter_one_line_with_utc_time():
    entry = record("Not Found: %s", f"/evaluation-metier/{TOKEN}/")
    assert MaskSecretsFilter().filter(entry) is True
    line = JsonFormatter().format(entry)
    assert "\n" not in line
    assert json.loads(line) == {
        "time": "2026-11-29T08:30:05.123+00:00",
        "level": "WARNING",
        "logger": "ecertif.test",
        "message": "Not Found: /evaluation-metier/[masqué]/",
    }


def test_json_formatter_masks_tracebacks():
    try:
        raise ValueError(f"lien /evaluation-metier/{TOKEN}/")
    except ValueError:
        entry = record("échec")
        entry.exc_info = __import__("sys").exc_info()
    payload = json.loads(JsonFormatter().format(entry))
    assert TOKEN not in payload["exception"]
    assert payload["exception"].endswith("ValueError: lien /evaluation-metier/[masqué]/")


def test_django_logging_uses_the_json_format(settings):
    handler = settings.LOGGING["handlers"]["console"]
    assert handler["formatter"] == "json"
    assert handler["filters"] == ["mask_secrets"]
    root = logging.getLogger()
    assert any(isinstance(h.formatter, JsonFormatter) for h in root.handlers)


def test_celery_workers_configure_the_same_logging():
    from celery import signals

    from ecertif.celery import _configure_logging

    assert _configure_logging in [receiver() for _key, receiver in signals.setup_logging.receivers]
    logging.getLogger().handlers.clear()
    _configure_logging()
    handlers = logging.getLogger().handlers
    assert len(handlers) == 1
    assert isinstance(handlers[0].formatter, JsonFormatter)


def test_gunicorn_access_line(monkeypatch):
    monkeypatch.setenv("TRUSTED_PROXY_COUNT", "1")
    config = Config()
    config.set("accesslog", "-")
    logger = GunicornLogger(config)
    stream = io.StringIO()
    for handler in logger.access_log.handlers:
        handler.setStream(stream)
    response = types.SimpleNamespace(status="404 Not Found", sent=2048, headers=[])
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": f"/evaluation-metier/{TOKEN}/",
        "QUERY_STRING": "q=Dupont&page=2",
        "REMOTE_ADDR": "10.0.0.2",
        "HTTP_X_FORWARDED_FOR": "1.2.3.4, 198.51.100.7",
        "HTTP_USER_AGENT": "Mozilla/5.0",
        "HTTP_REFERER": "https://ecertif.example.org/dossiers/?q=Martin",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "RAW_URI": f"/evaluation-metier/{TOKEN}/?q=Dupont&page=2",
    }
    request = types.SimpleNamespace(headers=[])
    logger.access(response, request, environ, datetime.timedelta(seconds=1, microseconds=234567))
    payload = json.loads(stream.getvalue())
    time = payload.pop("time")
    assert datetime.datetime.fromisoformat(time).tzinfo == datetime.UTC
    assert payload == {
        "level": "INFO",
        "logger": "gunicorn.access",
        "message": "GET /evaluation-metier/[masqué]/?q=[masqué]&page=2 404",
        "client_ip": "198.51.100.7",
        "method": "GET",
        "path": "/evaluation-metier/[masqué]/?q=[masqué]&page=2",
        "status": 404,
        "bytes": 2048,
        "duration_ms": 1234,
        "user_agent": "Mozilla/5.0",
        "referer": "https://ecertif.example.org/dossiers/?q=[masqué]",
    }


@pytest.mark.redis
def test_celery_worker_writes_only_json_lines(tmp_path):
    """A real worker (as docker-compose.yml starts it): no banner, every line JSON with a time."""
    import os
    import secrets
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    from django.conf import settings

    if not settings.REDIS_URL:
        pytest.skip("REDIS_URL absent : pas de worker Celery réel")
    output = tmp_path / "worker.log"
    with output.open("w") as log:
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "ecertif",
                "--quiet",
                "worker",
                "--pool",
                "solo",
                "--queues",
                f"logs-test-{secrets.token_hex(4)}",
                "--loglevel",
                "INFO",
            ],
            cwd=Path(__file__).resolve().parents[2],
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "ecertif.settings.test",
                # CI runs as root, which Celery warns about before logging is set up; the
                # image runs as an unprivileged user.
                "PYTHONWARNINGS": "ignore:You're running the worker with superuser privileges",
            },
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while " ready." not in output.read_text() and time.monotonic() < deadline:
            assert worker.poll() is None, output.read_text()
            time.sleep(0.2)
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)
    # Celery prints this one line itself on stdout when it stops (not a log record).
    text = output.read_text()
    assert text.endswith("}\n\nworker: Warm shutdown (MainProcess)\n")
    lines = text.removesuffix("\nworker: Warm shutdown (MainProcess)\n").splitlines()
    assert lines, "aucune sortie"
    entries = [json.loads(line) for line in lines]
    assert all(datetime.datetime.fromisoformat(entry["time"]).tzinfo for entry in entries)
    assert any(entry["message"].endswith(" ready.") for entry in entries)
