"""Personal-data access log: who read which candidate's data, when, from where — never what.

Ground floor: candidates and dossiers are referenced by id only (no foreign key), so a purge or
a deleted draft never rewrites a log row, and this app imports no domain app.
"""

from django.conf import settings
from django.db import models

from .triggers import NO_UPDATE, delete_only_older_than

# The purge may never go below six months (CNIL: 6 to 12 months of access logs).
MIN_RETENTION_DAYS = 183


class AccessAction(models.TextChoices):
    VIEW_DOSSIER = "view_dossier", "Consultation du dossier"
    DOSSIER_PDF = "dossier_pdf", "Téléchargement du dossier PDF"
    DOWNLOAD_FILE = "download_file", "Téléchargement d'une pièce"
    EXPORT = "export", "Export contenant des candidats"


class AccessLog(models.Model):
    at = models.DateTimeField("le", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name="par",
    )
    action = models.CharField("action", max_length=20, choices=AccessAction.choices)
    # What was read: a dossier, a file, an export (type + id), never its content.
    object_type = models.CharField("type d'objet", max_length=30)
    object_id = models.CharField("identifiant", max_length=40)
    dossier_id = models.BigIntegerField("dossier", null=True, blank=True, db_index=True)
    # The candidates whose data was read, as ",12,34," (an export may hold thousands).
    candidate_ids = models.TextField("candidats", blank=True)
    ip = models.GenericIPAddressField("adresse IP", null=True, blank=True)

    class Meta:
        verbose_name = "accès aux données personnelles"
        verbose_name_plural = "journal des accès aux données personnelles"
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["actor", "-at"])]
        triggers = [NO_UPDATE, delete_only_older_than(days=MIN_RETENTION_DAYS)]

    def __str__(self):
        return f"{self.get_action_display()} {self.object_type} {self.object_id}"

    @property
    def candidate_id_list(self):
        return [int(value) for value in self.candidate_ids.strip(",").split(",") if value]
