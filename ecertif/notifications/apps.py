from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "ecertif.notifications"
    label = "notifications"
    verbose_name = "Notifications"
