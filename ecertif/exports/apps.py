from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "ecertif.exports"
    label = "exports"
    verbose_name = "Exports"
