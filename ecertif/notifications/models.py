from django.conf import settings
from django.db import models


class Notification(models.Model):
    """One in-app message for one user, shown under the navbar bell."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="destinataire",
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    text = models.CharField("texte", max_length=300)
    link = models.CharField(
        "lien",
        max_length=500,
        blank=True,
        help_text="Chemin interne de l'application, par exemple /dossiers/12/.",
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True, db_index=True)
    read_at = models.DateTimeField("lue le", null=True, blank=True)

    class Meta:
        verbose_name = "notification"
        verbose_name_plural = "notifications"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notif_recipient_read_idx"),
        ]

    def __str__(self):
        return self.text
