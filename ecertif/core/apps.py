from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ecertif.core"
    label = "core"
    verbose_name = "Socle"
