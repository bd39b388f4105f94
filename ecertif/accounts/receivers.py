from ecertif.mail.services import failed_emails_url
from ecertif.notifications.models import Notification
from ecertif.notifications.services import notify_many

from .groups import secretariat_users


def alert_secretariat(sender, email, **kwargs):
    """An email was given up: one unread bell notification per secretariat member, leading to
    the admin list filtered on « en échec », however many emails fail."""
    link = failed_emails_url()
    already = Notification.objects.filter(link=link, read_at__isnull=True)
    recipients = secretariat_users().exclude(pk__in=already.values("recipient_id"))
    notify_many(
        recipients=list(recipients),
        text=(
            "Des courriels n'ont pas pu être envoyés malgré plusieurs heures d'essais : "
            "voir les courriels en échec."
        ),
        link=link,
    )
