from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "ecertif.stats"
    label = "stats"
    verbose_name = "Statistiques"
