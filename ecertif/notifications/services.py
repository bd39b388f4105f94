"""Write side of in-app notifications: callers run these inside their own transaction.

Emails are not sent from here: callers queue them with ecertif.mail.services.queue_email.
"""

from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import Truncator

from ecertif.mail.services import queue_email

from .models import Notification

TEXT_MAX_LENGTH = Notification._meta.get_field("text").max_length
LINK_MAX_LENGTH = Notification._meta.get_field("link").max_length


def safe_link(link):
    """`link` when it is a path inside the application, else "" (no open redirect)."""
    link = (link or "").strip()
    if (
        link.startswith("/")
        and not link.startswith("//")
        and len(link) <= LINK_MAX_LENGTH
        # Also rejects "/\evil.example", which browsers read as "//evil.example".
        and url_has_allowed_host_and_scheme(link, allowed_hosts=None)
    ):
        return link
    return ""


def _build(*, recipient, text, link):
    return Notification(
        recipient=recipient,
        text=Truncator(text).chars(TEXT_MAX_LENGTH),
        link=safe_link(link),
    )


def notify(*, recipient, text, link=""):
    """One notification for `recipient`; `link` is an internal path such as "/dossiers/12/".
    A deactivated user receives nothing (None)."""
    if not recipient.is_active:
        return None
    notification = _build(recipient=recipient, text=text, link=link)
    notification.save()
    return notification


def notify_many(*, recipients, text, link=""):
    """The same notification for several users (each once), in one INSERT."""
    unique = {recipient.pk: recipient for recipient in recipients if recipient.is_active}
    return Notification.objects.bulk_create(
        [_build(recipient=recipient, text=text, link=link) for recipient in unique.values()]
    )


def mark_read(*, notification):
    """Stamp `read_at` once; a second call keeps the first date."""
    if notification.read_at is None:
        now = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.read_at = now
    return notification


def mark_all_read(*, user):
    """Mark every unread notification of `user` as read; returns how many changed."""
    user.unread_notifications = 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notify_by_mail_too(*, recipients, text, link, subject, template, context):
    """The usual pair (SPEC §6): a bell notification and an email per recipient, both inside the
    caller's transaction (the emails leave after commit, through the outbox)."""
    recipients = list(recipients)
    notify_many(recipients=recipients, text=text, link=link)
    for user in recipients:
        if not user.is_active:
            continue  # a deactivated account receives nothing
        queue_email(to=user.email, subject=subject, template=template, context=context)
