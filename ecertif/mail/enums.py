from django.db import models


class EmailStatus(models.TextChoices):
    PENDING = "pending", "En attente d'envoi"
    SENT = "sent", "Envoyé"
    FAILED = "failed", "Échec définitif"
