from django.db import models


class EmailStatus(models.TextChoices):
    PENDING = "pending", "En attente d'envoi"
    RETRYING = "retrying", "Nouvel essai prévu"
    SENT = "sent", "Envoyé"
    FAILED = "failed", "Échec définitif"
