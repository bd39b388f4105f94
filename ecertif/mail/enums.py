from django.db import models


class EmailStatus(models.TextChoices):
    PENDING = "pending", "En attente d'envoi"
    RETRYING = "retrying", "Nouvel essai prévu"
    SENT = "sent", "Envoyé"
    FAILED = "failed", "Échec définitif"
    # Demo data (seed_demo, generate_load_data): kept for display, never handed to SMTP.
    SUPPRESSED = "suppressed", "Non envoyé (démonstration)"
