from django.db import models


class StatisticsSnapshot(models.Model):
    """The secretariat's statistics for one set of filters, as computed at `computed_at`.

    Refreshed every 10 minutes by the `stats.refresh_snapshots` task (the unfiltered page), or
    on the first visit after 10 minutes (other filters): the page reads one row, whatever the
    number of dossiers, and says when its figures were computed."""

    key = models.CharField("clé", max_length=64, unique=True)
    computed_at = models.DateTimeField("calculé le")
    tables = models.JSONField("tableaux")

    class Meta:
        verbose_name = "instantané des statistiques"
        verbose_name_plural = "instantanés des statistiques"

    def __str__(self):
        return f"{self.key[:8]} ({self.computed_at:%d/%m/%Y %H:%M})"
