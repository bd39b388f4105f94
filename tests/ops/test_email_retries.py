"""Emails survive an SMTP outage: retried with backoff for 24 hours, sent once, else alerted."""

import datetime
import socket
import threading

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.urls import reverse
from django.utils import timezone

from ecertif.mail.enums import EmailStatus
from ecertif.mail.models import OutboxEmail
from ecertif.mail.services import (
    ERASED,
    SCRUBBED,
    deliver_email,
    due_email_ids,
    erase_sent_bodies,
    queue_raw_email,
    retry_delay,
)
from ecertif.mail.tasks import erase_sent_bodies as erase_sent_bodies_task
from ecertif.mail.tasks import retry_pending_emails
from ecertif.notifications.models import Notification
from tests.factories.accounts import StaffFactory
from tests.utils import needs_postgresql, run_together

START = datetime.datetime(2026, 11, 27, 9, 0, tzinfo=datetime.UTC)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SMTPSink:
    """A real SMTP server: refuses every message (451) while `refusing`, else keeps it."""

    def __init__(self):
        self.refusing = True
        self.refused = 0
        self.received = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        with self.lock:
            if self.refusing:
                self.refused += 1
                return "451 4.3.0 Service temporairement indisponible"
            self.received.append((envelope.rcpt_tos, envelope.content))
        return "250 OK"


@pytest.fixture
def smtp_sink(settings):
    sink = SMTPSink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 10},
        }
    }
    yield sink
    controller.stop()


def test_retry_delay_doubles_up_to_the_cap(settings):
    settings.EMAIL_RETRY_MAX_DELAY_MINUTES = 60
    minutes = [retry_delay(n).total_seconds() / 60 for n in (1, 2, 3, 4, 5, 6, 7, 8, 30)]

    assert minutes == [1, 2, 4, 8, 16, 32, 60, 60, 60]


@pytest.mark.django_db(transaction=True)
def test_smtp_refusing_for_30_minutes_then_email_delivered_exactly_once(smtp_sink):
    with time_machine.travel(START, tick=False) as clock:
        email = queue_raw_email(to="candidat@exemple.fr", subject="Invitation", body_text="T")
        email.refresh_from_db()
        assert email.status == EmailStatus.RETRYING
        assert email.next_attempt_at == START + datetime.timedelta(minutes=1)
        assert email.give_up_at == START + datetime.timedelta(hours=24)
        assert email.last_error.startswith("SMTPDataError: (451")

        # Beat runs `mail.retry_pending` every minute; the server refuses for 30 minutes.
        for _ in range(30):
            clock.shift(datetime.timedelta(minutes=1))
            retry_pending_emails.delay()
        email.refresh_from_db()
        assert email.status == EmailStatus.RETRYING
        # Attempts at 0, 1, 3, 7, 15 minutes: backoff, not one per beat run.
        assert email.attempts == 5
        assert smtp_sink.refused == 5
        assert email.next_attempt_at == START + datetime.timedelta(minutes=31)

        smtp_sink.refusing = False
        for _ in range(10):
            clock.shift(datetime.timedelta(minutes=1))
            retry_pending_emails.delay()
            deliver_email(email_id=email.pk)

    email.refresh_from_db()
    assert email.status == EmailStatus.SENT
    assert email.attempts == 6
    assert email.sent_at == START + datetime.timedelta(minutes=31)
    assert [rcpt for rcpt, _content in smtp_sink.received] == [["candidat@exemple.fr"]]
    assert b"Subject: Invitation" in smtp_sink.received[0][1]


@pytest.mark.django_db(transaction=True)
def test_email_given_up_after_24_hours_alerts_the_secretariat_once(smtp_sink, settings):
    secretariat = StaffFactory(email="secretariat@exemple.fr")
    with time_machine.travel(START, tick=False) as clock:
        first = queue_raw_email(to="a@exemple.fr", subject="A", body_text="T", secret=True)
        second = queue_raw_email(to="b@exemple.fr", subject="B", body_text="T")
        for _ in range(2 * 25):
            clock.shift(datetime.timedelta(minutes=30))
            retry_pending_emails.delay()

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (EmailStatus.FAILED, EmailStatus.FAILED)
    assert first.body_text == SCRUBBED
    assert first.attempts > 24
    assert smtp_sink.received == []
    assert due_email_ids(now=START + datetime.timedelta(days=3)) == []
    link = f"{reverse('admin:mail_outboxemail_changelist')}?envoi=echec"
    assert list(Notification.objects.values_list("recipient__email", "link")) == [
        ("secretariat@exemple.fr", link)
    ]
    assert Notification.objects.get().text == (
        "Des courriels n'ont pas pu être envoyés malgré plusieurs heures d'essais : "
        "voir les courriels en échec."
    )
    assert secretariat.pk


@pytest.mark.django_db
def test_admin_failed_filter_lists_only_failed_emails(admin_client):
    OutboxEmail.objects.create(recipient="ok@exemple.fr", subject="Envoyé", body_text="T")
    OutboxEmail.objects.create(
        recipient="ko@exemple.fr", subject="Perdu", body_text="T", status=EmailStatus.FAILED
    )

    response = admin_client.get(reverse("admin:mail_outboxemail_changelist") + "?envoi=echec")

    assert response.status_code == 200
    assert [email.subject for email in response.context["cl"].result_list] == ["Perdu"]
    assert "en échec" in response.text


@pytest.mark.django_db
def test_retrying_email_not_due_is_not_sent_again(mailoutbox):
    email = OutboxEmail.objects.create(
        recipient="a@exemple.fr",
        subject="Objet",
        body_text="T",
        status=EmailStatus.RETRYING,
        attempts=1,
        next_attempt_at=timezone.now() + datetime.timedelta(minutes=5),
    )

    assert deliver_email(email_id=email.pk) is False
    assert due_email_ids() == []
    assert mailoutbox == []


@pytest.mark.django_db
def test_erase_sent_bodies_after_the_retention_days(settings, caplog):
    settings.EMAIL_BODY_RETENTION_DAYS = 30
    now = timezone.now()

    def sent(days_ago, **fields):
        return OutboxEmail.objects.create(
            recipient="a@exemple.fr",
            subject="Objet",
            body_text="Bonjour",
            body_html="<p>Bonjour</p>",
            status=EmailStatus.SENT,
            sent_at=now - datetime.timedelta(days=days_ago),
            **fields,
        )

    old, recent = sent(31), sent(29)
    pending = OutboxEmail.objects.create(recipient="b@exemple.fr", subject="O", body_text="T")
    OutboxEmail.objects.filter(pk=pending.pk).update(created_at=now - datetime.timedelta(days=60))

    with caplog.at_level("INFO", logger="ecertif.mail.tasks"):
        assert erase_sent_bodies_task() == 1
    assert erase_sent_bodies(now=now) == 0  # idempotent

    old.refresh_from_db()
    recent.refresh_from_db()
    pending.refresh_from_db()
    assert (old.body_text, old.body_html) == (ERASED, "")
    assert (recent.body_text, recent.body_html) == ("Bonjour", "<p>Bonjour</p>")
    assert pending.body_text == "T"
    assert [r.getMessage() for r in caplog.records if r.name == "ecertif.mail.tasks"] == [
        "Ménage des courriels : 1 corps de courriel(s) envoyé(s) effacé(s)"
    ]


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_same_due_email_delivered_by_two_workers_at_once_is_sent_once(smtp_sink):
    smtp_sink.refusing = False
    email = OutboxEmail.objects.create(
        recipient="a@exemple.fr",
        subject="Objet",
        body_text="T",
        status=EmailStatus.RETRYING,
        attempts=3,
        next_attempt_at=timezone.now() - datetime.timedelta(seconds=1),
    )

    results, errors = run_together(4, lambda _index: deliver_email(email_id=email.pk))

    assert errors == [None] * 4
    assert results == [True] * 4
    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.SENT, 4)
    assert len(smtp_sink.received) == 1
