from django.apps import AppConfig


class JurysConfig(AppConfig):
    name = "jurys"
    verbose_name = "Jurys"
