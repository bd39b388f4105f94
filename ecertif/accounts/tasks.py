import logging

from celery import shared_task
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone

logger = logging.getLogger(__name__)


@shared_task(name="accounts.clear_sessions")
def clear_sessions():
    """Django's `clearsessions`: expired sessions out of the database."""
    expired = Session.objects.filter(expire_date__lt=timezone.now()).count()
    call_command("clearsessions")
    logger.info("Ménage des sessions : %s session(s) expirée(s) supprimée(s)", expired)
    return expired
