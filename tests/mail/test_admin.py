import pytest
from django.urls import reverse

from ecertif.mail.enums import EmailStatus
from ecertif.mail.models import OutboxEmail
from ecertif.mail.services import SCRUBBED
from tests.factories.accounts import StaffFactory

pytestmark = pytest.mark.django_db


def test_outbox_admin_hides_secret_bodies(client):
    email = OutboxEmail.objects.create(
        recipient="a@exemple.fr", subject="Lien", body_text="https://x/secret", contains_secret=True
    )
    client.force_login(StaffFactory())
    page = client.get(reverse("admin:mail_outboxemail_change", args=[email.pk])).content.decode()
    assert "https://x/secret" not in page


def test_outbox_admin_resends_only_failed_with_content(client):
    failed = OutboxEmail.objects.create(
        recipient="a@exemple.fr", subject="A", body_text="T", status=EmailStatus.FAILED
    )
    sent = OutboxEmail.objects.create(
        recipient="b@exemple.fr", subject="B", body_text=SCRUBBED, status=EmailStatus.SENT
    )
    client.force_login(StaffFactory())
    client.post(
        reverse("admin:mail_outboxemail_changelist"),
        {"action": "resend", "_selected_action": [failed.pk, sent.pk]},
    )
    failed.refresh_from_db()
    sent.refresh_from_db()
    assert failed.status in (EmailStatus.PENDING, EmailStatus.SENT)
    assert sent.status == EmailStatus.SENT
