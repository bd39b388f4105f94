"""One file joined to an outbox email (a parchemin's PDF): sent with the email, kept for the
retries, then emptied once delivered; never displayed in the admin."""

import pytest
from django.urls import reverse

from ecertif.mail.enums import EmailStatus
from ecertif.mail.models import OutboxEmail
from ecertif.mail.services import deliver_email, queue_raw_email
from tests.factories.accounts import StaffFactory
from tests.mail.test_outbox import FlakySMTPBackend

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n% fichier de test\n"


def _queued(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        return queue_raw_email(
            to="camille@exemple.fr",
            subject="Votre parchemin",
            body_text="Texte",
            attachment=("parchemin-P-2026-00001.pdf", PDF),
        )


def test_attachment_is_sent_then_emptied(mailoutbox, django_capture_on_commit_callbacks):
    email = _queued(django_capture_on_commit_callbacks)
    assert bytes(OutboxEmail.objects.get().attachment) == PDF

    assert deliver_email(email_id=email.pk) is True

    [message] = mailoutbox
    assert message.attachments == [("parchemin-P-2026-00001.pdf", PDF, "application/pdf")]
    email.refresh_from_db()
    assert (email.status, email.attachment_name, bytes(email.attachment)) == (
        EmailStatus.SENT,
        "parchemin-P-2026-00001.pdf",
        b"",
    )


def test_attachment_kept_for_the_next_attempt(
    settings, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(FlakySMTPBackend, "calls", 0)
    monkeypatch.setattr(FlakySMTPBackend, "failures", 1)
    settings.MAILERS = {"default": {"BACKEND": "tests.mail.test_outbox.FlakySMTPBackend"}}
    email = _queued(django_capture_on_commit_callbacks)

    assert deliver_email(email_id=email.pk) is False
    email.refresh_from_db()
    assert email.status == EmailStatus.RETRYING
    assert bytes(email.attachment) == PDF


def test_email_without_attachment_has_none(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        email = queue_raw_email(to="a@exemple.fr", subject="Objet", body_text="Texte")
    deliver_email(email_id=email.pk)
    assert mailoutbox[0].attachments == []


def test_admin_shows_the_name_never_the_bytes(client, django_capture_on_commit_callbacks):
    email = _queued(django_capture_on_commit_callbacks)
    client.force_login(StaffFactory())
    page = client.get(reverse("admin:mail_outboxemail_change", args=[email.pk])).content.decode()
    assert "parchemin-P-2026-00001.pdf" in page
    assert "fichier de test" not in page
