from celery import shared_task

from . import services


@shared_task(name="mail.send", bind=True, max_retries=4, acks_late=True)
def send_outbox_email(self, email_id):
    try:
        services.deliver_email(email_id=email_id)
    except Exception as exc:
        # Exponential backoff: 1, 2, 4, 8 minutes.
        raise self.retry(exc=exc, countdown=60 * 2**self.request.retries) from exc


@shared_task(name="mail.retry_pending")
def retry_pending_emails():
    for email_id in services.pending_email_ids():
        send_outbox_email.delay(email_id)
