"""The email outbox: every email is a row, sent after commit by a Celery task."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from .enums import EmailStatus
from .models import OutboxEmail

logger = logging.getLogger(__name__)


SCRUBBED = "[Contenu effacé après envoi : ce courriel contenait un lien personnel.]"


def queue_email(*, to, subject, template, context=None, secret=False):
    """Render `emails/<template>.txt|.html`, store the row, send it once the transaction commits.

    `secret=True` for an email carrying a personal link: its body is erased once sent.
    """
    context = {"site_url": settings.SITE_URL, **(context or {})}
    text = render_to_string(f"emails/{template}.txt", context).strip() + "\n"
    html = render_to_string(f"emails/{template}.html", context)
    return queue_raw_email(to=to, subject=subject, body_text=text, body_html=html, secret=secret)


def queue_raw_email(*, to, subject, body_text, body_html="", secret=False):
    """An outbox row, sent after commit. None for the address of a deactivated account: it
    receives nothing (addresses without an account, such as invitations, are sent)."""
    if get_user_model().objects.filter(email__iexact=to, is_active=False).exists():
        return None
    email = OutboxEmail.objects.create(
        recipient=to,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        contains_secret=secret,
    )
    transaction.on_commit(lambda: _enqueue(email.pk))
    return email


def _enqueue(email_id):
    # Imported here: the tasks module imports this one.
    from .tasks import send_outbox_email

    try:
        send_outbox_email.delay(email_id)
    except Exception:
        # The row stays pending; the periodic task picks it up: the action is never lost.
        logger.exception("Impossible de mettre en file le courriel %s", email_id)


def deliver_email(*, email_id):
    """Try to send one pending email. Returns True when sent; re-raises a retryable error."""
    error = None
    with transaction.atomic():
        email = OutboxEmail.objects.select_for_update().get(pk=email_id)
        if email.status != EmailStatus.PENDING:
            return email.status == EmailStatus.SENT
        email.attempts += 1
        message = EmailMultiAlternatives(
            subject=email.subject,
            body=email.body_text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[email.recipient],
        )
        if email.body_html:
            message.attach_alternative(email.body_html, "text/html")
        try:
            message.send()
        except Exception as exc:
            error = exc
            email.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if email.attempts >= settings.EMAIL_MAX_ATTEMPTS:
                email.status = EmailStatus.FAILED
                if email.contains_secret:
                    # A personal link that never left must not stay readable either.
                    email.body_text, email.body_html = SCRUBBED, ""
                logger.error("Courriel %s abandonné après %s essais", email.pk, email.attempts)
        else:
            email.status = EmailStatus.SENT
            email.sent_at = timezone.now()
            if email.contains_secret:
                email.body_text = SCRUBBED
                email.body_html = ""
        email.save(
            update_fields=["attempts", "last_error", "status", "sent_at", "body_text", "body_html"]
        )
    if error is not None and email.status == EmailStatus.PENDING:
        raise error
    return email.status == EmailStatus.SENT


def pending_email_ids(*, older_than_minutes=5):
    limit = timezone.now() - timezone.timedelta(minutes=older_than_minutes)
    return list(
        OutboxEmail.objects.filter(status=EmailStatus.PENDING, created_at__lt=limit).values_list(
            "pk", flat=True
        )[:500]
    )
