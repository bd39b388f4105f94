import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from .enums import (
    VERIFICATION_ALPHABET,
    VERIFICATION_CODE_LENGTH,
    College,
    DocumentKind,
    Outcome,
    RegistrationEnd,
    SessionStatus,
)


class JuryMember(models.Model):
    """A member of the national joint jury (« jury paritaire national »)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="jury_member",
        verbose_name="utilisateur",
    )
    college = models.CharField("collège", max_length=10, choices=College.choices)
    # Titles agree with it: « présidente », « vice-présidente » (documents and pages).
    feminine = models.BooleanField(
        "titre au féminin",
        default=False,
        help_text="Cochez pour « Présidente » / « Vice-présidente » sur les pages et documents.",
    )
    organisation = models.CharField(
        "organisation", max_length=200, help_text="Par exemple France Chimie, FCE-CFDT."
    )
    active = models.BooleanField("actif", default=True)

    # Field-level history (old → new, who, when), shown in the admin.
    history = HistoricalRecords()

    class Meta:
        verbose_name = "membre du jury"
        verbose_name_plural = "membres du jury"
        ordering = ["user__last_name", "user__first_name"]

    def __str__(self):
        return f"{self.user.get_full_name() or self.user.email} ({self.get_college_display()})"

    @property
    def president_title(self):
        return "présidente" if self.feminine else "président"

    @property
    def vice_president_title(self):
        return "vice-présidente" if self.feminine else "vice-président"


class JurySession(models.Model):
    date = models.DateField("date de la session")
    place = models.CharField("lieu", max_length=255, blank=True)
    video_link = models.URLField("lien de visioconférence", blank=True)
    registration_deadline = models.DateField("date limite d'inscription")
    status = models.CharField(
        "statut",
        max_length=20,
        choices=SessionStatus.choices,
        default=SessionStatus.PLANNED,
        db_index=True,
    )
    members = models.ManyToManyField(
        JuryMember, related_name="sessions", verbose_name="membres", blank=True
    )
    president = models.ForeignKey(
        JuryMember,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="président",
    )
    vice_president = models.ForeignKey(
        JuryMember,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="vice-président",
    )
    reminder_sent_at = models.DateTimeField("rappel envoyé le", null=True, blank=True)
    created_at = models.DateTimeField("créée le", auto_now_add=True)

    # Field-level history (old → new, who, when), shown in the admin.
    history = HistoricalRecords()

    class Meta:
        verbose_name = "session du jury"
        verbose_name_plural = "sessions du jury"
        ordering = ["-date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(registration_deadline__lte=models.F("date")),
                name="deadline_before_session",
                violation_error_message="La date limite d'inscription doit précéder la session.",
            )
        ]

    def __str__(self):
        return f"Jury du {self.date:%d/%m/%Y}" + (f" — {self.place}" if self.place else "")


class SessionRegistration(models.Model):
    """A dossier registered to a session (not a state change: the dossier stays in jury)."""

    session = models.ForeignKey(
        JurySession, on_delete=models.PROTECT, related_name="registrations", verbose_name="session"
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name="dossier",
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="par"
    )
    registered_at = models.DateTimeField("inscrit le", auto_now_add=True)
    ended_at = models.DateTimeField("inscription terminée le", null=True, blank=True)
    end_kind = models.CharField(
        "type de fin d'inscription", max_length=10, choices=RegistrationEnd.choices, blank=True
    )
    end_reason = models.CharField("motif de fin", max_length=200, blank=True)

    class Meta:
        verbose_name = "inscription à une session"
        verbose_name_plural = "inscriptions aux sessions"
        ordering = ["registered_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier"],
                condition=Q(ended_at__isnull=True),
                name="one_active_registration_per_dossier",
            )
        ]

    def __str__(self):
        return f"{self.dossier} → {self.session}"


class JuryDecision(models.Model):
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        on_delete=models.PROTECT,
        related_name="decisions",
        verbose_name="dossier",
    )
    session = models.ForeignKey(
        JurySession, on_delete=models.PROTECT, related_name="decisions", verbose_name="session"
    )
    outcome = models.CharField("décision", max_length=20, choices=Outcome.choices)
    motivation = models.TextField("motivation", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="enregistrée par",
    )
    recorded_at = models.DateTimeField("enregistrée le", auto_now_add=True)
    revoked_at = models.DateTimeField("annulée le", null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="annulée par",
    )
    revoke_reason = models.TextField("motif de l'annulation", blank=True)

    class Meta:
        verbose_name = "décision du jury"
        verbose_name_plural = "décisions du jury"
        ordering = ["-recorded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier"],
                condition=Q(revoked_at__isnull=True),
                name="one_standing_decision_per_dossier",
            )
        ]

    def __str__(self):
        return f"{self.dossier} : {self.get_outcome_display()}"


class CompetenceDecision(models.Model):
    decision = models.ForeignKey(
        JuryDecision, on_delete=models.CASCADE, related_name="competences", verbose_name="décision"
    )
    competence = models.ForeignKey(
        "referentiel.Competence",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="compétence",
    )
    validated = models.BooleanField("validée")
    motivation = models.TextField("motivation", blank=True)
    carried = models.BooleanField(
        "acquise lors d'un jury précédent",
        default=False,
        help_text="Compétence capitalisée : reportée d'un dossier antérieur, non réévaluée.",
    )

    class Meta:
        verbose_name = "décision par compétence"
        verbose_name_plural = "décisions par compétence"
        ordering = ["competence__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "competence"], name="one_decision_per_competence"
            )
        ]

    def __str__(self):
        return f"{self.competence} : {'validée' if self.validated else 'non validée'}"


class CarriedCompetence(models.Model):
    """Capitalisation: a competence validated by an earlier jury, carried into a new dossier."""

    dossier = models.ForeignKey(
        "dossiers.Dossier",
        on_delete=models.CASCADE,
        related_name="carried_competences",
        verbose_name="dossier",
    )
    competence = models.ForeignKey(
        "referentiel.Competence",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="compétence",
    )
    source_decision = models.ForeignKey(
        JuryDecision, on_delete=models.PROTECT, related_name="+", verbose_name="décision d'origine"
    )
    valid_until = models.DateField("acquise jusqu'au")

    class Meta:
        verbose_name = "compétence capitalisée"
        verbose_name_plural = "compétences capitalisées"
        ordering = ["competence__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "competence"], name="one_carry_per_competence"
            )
        ]

    def __str__(self):
        return f"{self.competence} (jusqu'au {self.valid_until:%d/%m/%Y})"


class DocumentSeries(models.Model):
    """One number series per kind of document and per year: P-2026-00001, A-2026-00001…"""

    kind = models.CharField("type", max_length=12, choices=DocumentKind.choices)
    year = models.PositiveSmallIntegerField("année")
    last_value = models.PositiveIntegerField("dernier numéro attribué", default=0)

    class Meta:
        verbose_name = "série de numéros de documents"
        verbose_name_plural = "séries de numéros de documents"
        ordering = ["-year", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "year"], name="one_series_per_kind_and_year")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.year} : {self.last_value}"


def new_verification_code():
    """Random (99 bits), unrelated to the sequential number: it cannot be guessed nor
    enumerated."""
    return "".join(secrets.choice(VERIFICATION_ALPHABET) for _ in range(VERIFICATION_CODE_LENGTH))


class IssuedDocument(models.Model):
    """A numbered certificate (parchemin) or attestation: its number is never reused."""

    decision = models.OneToOneField(
        JuryDecision, on_delete=models.PROTECT, related_name="document", verbose_name="décision"
    )
    kind = models.CharField("type", max_length=12, choices=DocumentKind.choices)
    number = models.CharField("numéro", max_length=20, unique=True)
    verification_code = models.CharField(
        "code de vérification",
        max_length=VERIFICATION_CODE_LENGTH,
        unique=True,
        default=new_verification_code,
        editable=False,
        help_text="Imprimé sur le document (QR code) : ouvre sa page publique de vérification.",
    )
    issued_at = models.DateTimeField("délivré le", auto_now_add=True)

    class Meta:
        verbose_name = "document délivré"
        verbose_name_plural = "documents délivrés"
        ordering = ["-issued_at"]

    def __str__(self):
        return f"{self.get_kind_display()} n° {self.number}"
