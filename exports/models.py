import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from .enums import ACTIVE_STATUSES, ExportKind, ExportStatus, file_type
from .timing import export_retention


def default_expiry():
    return timezone.now() + export_retention()


def export_file_name(instance, filename):
    """Private path "exports/YYYY/MM/<uuid4 hex>.xlsx": never served by URL, never guessable."""
    today = timezone.localdate()
    extension, _content_type = file_type(instance.kind)
    return f"exports/{today:%Y}/{today:%m}/{uuid.uuid4().hex}.{extension}"


class ExportJob(models.Model):
    """One Excel export asked for by one person, written by a Celery worker."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="export_jobs",
        verbose_name="demandeur",
    )
    kind = models.CharField("type d'export", max_length=20, choices=ExportKind.choices)
    title = models.CharField(
        "intitulé", max_length=200, blank=True, help_text="Ce qui est exporté, en clair."
    )
    parameters = models.JSONField(
        "paramètres",
        default=dict,
        blank=True,
        help_text="Filtres validés, session ou tableau demandés.",
    )
    status = models.CharField(
        "statut", max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField("avancement (%)", default=0)
    row_count = models.PositiveIntegerField("nombre de lignes", null=True, blank=True)
    file = models.FileField("fichier", upload_to=export_file_name, max_length=200, blank=True)
    error = models.TextField("erreur", blank=True)
    attempts = models.PositiveSmallIntegerField(
        "tentatives",
        default=0,
        help_text="Nombre de fois qu'un worker a commencé l'écriture (plus d'une après un arrêt).",
    )
    created_at = models.DateTimeField("demandé le", default=timezone.now)
    started_at = models.DateTimeField("commencé le", null=True, blank=True)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)
    expires_at = models.DateTimeField("expire le", default=default_expiry)

    class Meta:
        verbose_name = "export Excel"
        verbose_name_plural = "exports Excel"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["owner", "-created_at"], name="exports_owner_created_idx"),
            models.Index(fields=["expires_at"], name="exports_expires_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="exports_progress_at_most_100"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} du {timezone.localtime(self.created_at):%d/%m/%Y %H:%M}"

    def get_absolute_url(self):
        return reverse("exports:detail", args=[self.pk])

    @property
    def is_active(self):
        return self.status in ACTIVE_STATUSES

    @property
    def is_expired(self):
        return self.expires_at <= timezone.now()

    @property
    def is_downloadable(self):
        return self.status == ExportStatus.DONE and bool(self.file) and not self.is_expired

    @property
    def download_name(self):
        """« export-liste-des-dossiers-2026-11-27-42.xlsx »: ASCII, dated, unique per job."""
        slugs = {
            ExportKind.DOSSIERS: "liste-des-dossiers",
            ExportKind.SESSION: "resultats-session",
            ExportKind.STATISTICS: "statistiques",
            ExportKind.CERTIFICATES: "registre-des-certificats",
            ExportKind.ACCROCHAGE: "declaration-caisse-des-depots",
        }
        day = timezone.localtime(self.created_at).date()
        extension, _content_type = file_type(self.kind)
        return f"export-{slugs.get(self.kind, 'ecertif')}-{day:%Y-%m-%d}-{self.pk}.{extension}"

    @property
    def content_type(self):
        return file_type(self.kind)[1]
