from .models import Notification


def notifications_for(user):
    """The notifications `user` may see: their own, newest first."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def unread_count(user):
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
