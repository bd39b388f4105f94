from .models import Notification


def notifications_for(user):
    """The notifications `user` may see: their own, newest first."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def unread_count(user):
    # Counted with the user of the session by the authentication backend (home/backends.py).
    counted = getattr(user, "unread_notifications", None)
    if counted is not None:
        return counted
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
