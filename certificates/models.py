from django.conf import settings
from django.db import models

from .enums import EntryReason


class AccrochageFlow(models.Model):
    """One XML file for the Caisse des Dépôts (« accrochage certificateurs »), kept as sent."""

    flow_id = models.CharField("identifiant du flux", max_length=50, unique=True)
    created_at = models.DateTimeField("produit le")
    period_start = models.DateField("période du")
    period_end = models.DateField("au")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="produit par",
        help_text="Vide : produit par la commande export_accrochage.",
    )
    file_name = models.CharField("nom du fichier", max_length=100)
    xml = models.TextField("contenu XML")

    class Meta:
        verbose_name = "flux de déclaration à la Caisse des Dépôts"
        verbose_name_plural = "flux de déclaration à la Caisse des Dépôts"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.flow_id


class AccrochageEntry(models.Model):
    """A passage reported in a flow: what was sent for one decision, to report it only once."""

    flow = models.ForeignKey(
        AccrochageFlow, on_delete=models.PROTECT, related_name="entries", verbose_name="flux"
    )
    decision = models.ForeignKey(
        "jurys.JuryDecision",
        on_delete=models.PROTECT,
        related_name="accrochage_entries",
        verbose_name="décision",
    )
    id_technique = models.CharField("idTechnique", max_length=50)
    reason = models.CharField("motif", max_length=12, choices=EntryReason.choices)
    fingerprint = models.CharField(
        "empreinte", max_length=64, help_text="SHA-256 du passage envoyé : change s'il est corrigé."
    )

    class Meta:
        verbose_name = "passage déclaré"
        verbose_name_plural = "passages déclarés"
        ordering = ["flow", "id_technique"]
        indexes = [models.Index(fields=["decision", "-flow"], name="accrochage_decision_idx")]

    def __str__(self):
        return f"{self.id_technique} ({self.get_reason_display()})"


class DocumentSend(models.Model):
    """A parchemin or attestation sent to its holder by email (link to its verification page):
    who sent it, when, to which address. Each send is a row, a re-send another one."""

    document = models.ForeignKey(
        "jurys.IssuedDocument",
        on_delete=models.PROTECT,
        related_name="sends",
        verbose_name="document",
    )
    # The dossier's timeline reads these rows by dossier (dossiers sits below certificates).
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        on_delete=models.PROTECT,
        related_name="document_sends",
        verbose_name="dossier",
    )
    recipient = models.EmailField(
        "envoyé à", blank=True, help_text="Vide après l'anonymisation du candidat."
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="par"
    )
    sent_at = models.DateTimeField("envoyé le", auto_now_add=True, db_index=True)
    email = models.ForeignKey(
        "mail.OutboxEmail",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="courriel",
    )

    class Meta:
        verbose_name = "envoi d'un document au candidat"
        verbose_name_plural = "envois de documents aux candidats"
        ordering = ["-sent_at", "-pk"]

    def __str__(self):
        return f"{self.document} → {self.recipient or '(anonymisé)'}"
