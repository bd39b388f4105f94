import smtplib
import time

import pytest
from django.conf import settings
from django.db import transaction

from ecertif.celery import app as celery_app
from ecertif.mail.enums import EmailStatus
from ecertif.mail.models import OutboxEmail
from ecertif.mail.services import deliver_email, queue_raw_email


class FlakySMTPBackend:
    """Fails the first `failures` sends with an SMTP error, then delivers to mail.outbox."""

    failures = 0
    calls = 0

    def __init__(self, *args, **kwargs):
        from django.core.mail.backends.locmem import EmailBackend

        self._delegate = EmailBackend(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._delegate, name)

    def send_messages(self, messages):
        type(self).calls += 1
        if type(self).calls <= type(self).failures:
            raise smtplib.SMTPServerDisconnected("Connexion SMTP perdue")
        return self._delegate.send_messages(messages)


@pytest.fixture
def flaky_backend(settings):
    FlakySMTPBackend.calls = 0
    settings.MAILERS = {"default": {"BACKEND": "tests.mail.test_outbox.FlakySMTPBackend"}}
    return FlakySMTPBackend


@pytest.mark.django_db(transaction=True)
def test_outbox_rolled_back_transaction_sends_nothing(mailoutbox):
    with pytest.raises(RuntimeError), transaction.atomic():
        queue_raw_email(to="a@exemple.fr", subject="Objet", body_text="Texte")
        raise RuntimeError("l'action échoue")
    assert OutboxEmail.objects.count() == 0
    assert mailoutbox == []


@pytest.mark.django_db(transaction=True)
def test_outbox_committed_email_sent_once(mailoutbox):
    with transaction.atomic():
        email = queue_raw_email(
            to="a@exemple.fr", subject="Objet", body_text="Texte", body_html="<p>Texte</p>"
        )
        assert mailoutbox == []
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT
    assert email.attempts == 1
    assert [(m.to, m.subject) for m in mailoutbox] == [(["a@exemple.fr"], "Objet")]
    assert mailoutbox[0].alternatives[0].content == "<p>Texte</p>"
    # A second delivery of the same row sends nothing more.
    assert deliver_email(email_id=email.pk) is True
    assert len(mailoutbox) == 1


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    not settings.REDIS_URL or settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"),
    reason="un vrai worker demande REDIS_URL et PostgreSQL (DATABASE_URL)",
)
def test_outbox_real_celery_worker_against_redis(mailoutbox):
    from celery.contrib.testing.worker import start_worker

    celery_app.conf.task_always_eager = False
    try:
        with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            with transaction.atomic():
                email = queue_raw_email(to="worker@exemple.fr", subject="Via Redis", body_text="T")
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                email.refresh_from_db()
                if email.status == EmailStatus.SENT:
                    break
                time.sleep(0.2)
    finally:
        celery_app.conf.task_always_eager = True
    assert email.status == EmailStatus.SENT
    assert [m.to for m in mailoutbox] == [["worker@exemple.fr"]]
