from django.db import models

from .enums import EmailStatus


class OutboxEmail(models.Model):
    """One email to send: created in the transaction of the action that causes it."""

    recipient = models.EmailField("destinataire")
    subject = models.CharField("objet", max_length=255)
    body_text = models.TextField("texte")
    body_html = models.TextField("HTML", blank=True)
    # One file joined to the email (a parchemin's PDF): kept until it is sent, then emptied
    # (the name stays as a record of what was sent).
    # Database defaults too: bulk writers (demo.load_data) insert rows without these columns.
    attachment_name = models.CharField(
        "pièce jointe", max_length=100, blank=True, default="", db_default=""
    )
    attachment = models.BinaryField(
        "contenu de la pièce jointe", blank=True, default=b"", db_default=b""
    )
    status = models.CharField(
        "statut",
        max_length=10,
        choices=EmailStatus.choices,
        default=EmailStatus.PENDING,
        db_index=True,
    )
    contains_secret = models.BooleanField(
        "contient un lien personnel",
        default=False,
        help_text="Le corps est effacé une fois le courriel envoyé.",
    )
    attempts = models.PositiveSmallIntegerField("tentatives", default=0)
    last_error = models.TextField("dernière erreur", blank=True)
    next_attempt_at = models.DateTimeField("prochain essai", null=True, blank=True, db_index=True)
    give_up_at = models.DateTimeField(
        "abandon prévu le",
        null=True,
        blank=True,
        help_text="Fixé au premier échec : sans envoi réussi d'ici là, le courriel est abandonné.",
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField("envoyé le", null=True, blank=True)

    class Meta:
        verbose_name = "courriel"
        verbose_name_plural = "courriels (file d'envoi)"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.subject} → {self.recipient}"
