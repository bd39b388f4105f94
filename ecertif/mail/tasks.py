import logging

from celery import shared_task

from . import services

logger = logging.getLogger(__name__)


@shared_task(name="mail.send", soft_time_limit=60, time_limit=90)
def send_outbox_email(email_id):
    # A failure is recorded on the row with its next attempt; `mail.retry_pending` (beat, every
    # minute) queues it again when due, so no countdown outlives the broker's visibility timeout.
    services.deliver_email(email_id=email_id)


@shared_task(name="mail.retry_pending")
def retry_pending_emails():
    ids = services.due_email_ids()
    for email_id in ids:
        send_outbox_email.delay(email_id)
    if ids:
        logger.info("Courriels remis en file d'envoi : %s", len(ids))
    return len(ids)


@shared_task(name="mail.erase_sent_bodies")
def erase_sent_bodies():
    count = services.erase_sent_bodies()
    logger.info("Ménage des courriels : %s corps de courriel(s) envoyé(s) effacé(s)", count)
    return count
