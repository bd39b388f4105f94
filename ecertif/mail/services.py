"""The email outbox: every email is a row, sent after commit by a Celery task.

A failed send is tried again with an exponential backoff (1, 2, 4… minutes, at most
EMAIL_RETRY_MAX_DELAY_MINUTES) by the periodic `mail.retry_pending` task, for
EMAIL_RETRY_FOR_HOURS; then the email is marked failed and the secretariat is alerted
(bell, and the « en échec » filter of the admin list). Each attempt locks the row and checks
its state first: an email is never sent twice.
"""

import datetime
import logging
import mimetypes

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .enums import EmailStatus
from .models import OutboxEmail
from .signals import email_given_up

logger = logging.getLogger(__name__)


SCRUBBED = "[Contenu effacé après envoi : ce courriel contenait un lien personnel.]"
ERASED = "[Contenu effacé à l'issue de la durée de conservation.]"
# An email still « en attente » this long after it was queued lost its task: queue it again.
LOST_AFTER = datetime.timedelta(minutes=5)
RETRY_BATCH = 500
FAILED_FILTER = "echec"


def queue_email(*, to, subject, template, context=None, secret=False, attachment=None):
    """Render `emails/<template>.txt|.html`, store the row, send it once the transaction commits.

    `secret=True` for an email carrying a personal link: its body is erased once sent.
    `attachment`: (file name, bytes) of one file to join, emptied once sent.
    """
    context = {"site_url": settings.SITE_URL, **(context or {})}
    text = render_to_string(f"emails/{template}.txt", context).strip() + "\n"
    html = render_to_string(f"emails/{template}.html", context)
    return queue_raw_email(
        to=to, subject=subject, body_text=text, body_html=html, secret=secret, attachment=attachment
    )


def queue_raw_email(*, to, subject, body_text, body_html="", secret=False, attachment=None):
    """An outbox row, sent after commit. None for the address of a deactivated account: it
    receives nothing (addresses without an account, such as invitations, are sent)."""
    if get_user_model().objects.filter(email__iexact=to, is_active=False).exists():
        return None
    name, content = attachment or ("", b"")
    email = OutboxEmail.objects.create(
        recipient=to,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        contains_secret=secret,
        attachment_name=name,
        attachment=content,
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


def retry_delay(attempts):
    """Wait after the `attempts`-th failure: 1, 2, 4, 8… minutes, capped."""
    minutes = min(2 ** min(attempts - 1, 20), settings.EMAIL_RETRY_MAX_DELAY_MINUTES)
    return datetime.timedelta(minutes=max(minutes, 1))


def failed_emails_url():
    return f"{reverse('admin:mail_outboxemail_changelist')}?envoi={FAILED_FILTER}"


def _message(email):
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.recipient],
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    if email.attachment_name and email.attachment:
        content_type = mimetypes.guess_type(email.attachment_name)[0]
        message.attach(
            email.attachment_name,
            bytes(email.attachment),
            content_type or "application/octet-stream",
        )
    return message


def deliver_email(*, email_id):
    """Try to send one email if it is due. Returns True when it is (or already was) sent."""
    now = timezone.now()
    with transaction.atomic():
        email = OutboxEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None or email.status not in (EmailStatus.PENDING, EmailStatus.RETRYING):
            return email is not None and email.status == EmailStatus.SENT
        if email.status == EmailStatus.RETRYING and email.next_attempt_at > now:
            return False
        email.attempts += 1
        try:
            _message(email).send()
        except Exception as exc:
            email.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            email.give_up_at = email.give_up_at or now + datetime.timedelta(
                hours=settings.EMAIL_RETRY_FOR_HOURS
            )
            if now >= email.give_up_at:
                email.status = EmailStatus.FAILED
                email.next_attempt_at = None
                if email.contains_secret:
                    # A personal link that never left must not stay readable either.
                    email.body_text, email.body_html = SCRUBBED, ""
                logger.error("Courriel %s abandonné après %s essais", email.pk, email.attempts)
                email_given_up.send(sender=OutboxEmail, email=email)
            else:
                email.status = EmailStatus.RETRYING
                email.next_attempt_at = now + retry_delay(email.attempts)
                logger.warning(
                    "Courriel %s non envoyé (essai %s, %s) : nouvel essai à %s",
                    email.pk,
                    email.attempts,
                    email.last_error,
                    email.next_attempt_at.isoformat(),
                )
        else:
            email.status = EmailStatus.SENT
            email.sent_at = now
            email.next_attempt_at = None
            # The file was delivered: no copy stays in the database.
            email.attachment = b""
            if email.contains_secret:
                email.body_text = SCRUBBED
                email.body_html = ""
        email.save(
            update_fields=[
                "attempts",
                "last_error",
                "status",
                "sent_at",
                "next_attempt_at",
                "give_up_at",
                "body_text",
                "body_html",
                "attachment",
            ]
        )
    return email.status == EmailStatus.SENT


def due_email_ids(*, now=None):
    """Emails to try now: retries that are due, and pending ones whose task was lost."""
    now = now or timezone.now()
    return list(
        OutboxEmail.objects.filter(
            Q(status=EmailStatus.RETRYING, next_attempt_at__lte=now)
            | Q(status=EmailStatus.PENDING, created_at__lt=now - LOST_AFTER)
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:RETRY_BATCH]
    )


def erase_sent_bodies(*, now=None):
    """Empty the bodies of emails sent more than EMAIL_BODY_RETENTION_DAYS ago. Returns how many."""
    now = now or timezone.now()
    limit = now - datetime.timedelta(days=settings.EMAIL_BODY_RETENTION_DAYS)
    return (
        OutboxEmail.objects.filter(status=EmailStatus.SENT, sent_at__lt=limit)
        .exclude(body_text__in=[SCRUBBED, ERASED], body_html="")
        .update(body_text=ERASED, body_html="")
    )
