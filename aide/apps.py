from django.apps import AppConfig


class AideConfig(AppConfig):
    name = "aide"
    verbose_name = "Aide"
