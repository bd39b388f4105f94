from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from ecertif.accounts.geography import DEPARTMENTS
from ecertif.files.uploads import generated_name

from .enums import ResultChoice


def validate_departments(value):
    unknown = [code for code in value.split() if code not in DEPARTMENTS]
    if unknown:
        raise ValidationError(
            f"Département(s) inconnu(s) : {', '.join(unknown)}. Utilisez les codes INSEE "
            "(« 01 », « 2A », « 974 »…) séparés par des espaces."
        )


class Assessor(models.Model):
    """« Évaluateur habilité CPNE »: a person on the branch's accreditation list."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="assessor_profile",
        verbose_name="utilisateur",
    )
    accreditation_number = models.CharField("numéro d'habilitation", max_length=30, unique=True)
    organisation = models.CharField("organisme", max_length=200, blank=True)
    # Published in the public « Annuaire des évaluateurs habilités »: professional data only.
    professional_email = models.EmailField("adresse électronique professionnelle", blank=True)
    professional_phone = models.CharField("téléphone professionnel", max_length=30, blank=True)
    departments = models.CharField(
        "départements d'intervention",
        max_length=500,
        blank=True,
        help_text="Codes des départements séparés par des espaces, par exemple « 69 01 42 ».",
        validators=[validate_departments],
    )
    listed_in_directory = models.BooleanField(
        "publié dans l'annuaire",
        default=True,
        help_text="Nom, organisme, coordonnées professionnelles, habilitations et départements.",
    )

    # Field-level history (old → new, who, when), shown in the admin.
    history = HistoricalRecords()

    class Meta:
        verbose_name = "évaluateur habilité"
        verbose_name_plural = "évaluateurs habilités"
        ordering = ["user__last_name", "user__first_name"]

    def __str__(self):
        return f"{self.user.get_full_name() or self.user.email} ({self.accreditation_number})"

    @property
    def department_codes(self):
        return self.departments.split()


class Accreditation(models.Model):
    assessor = models.ForeignKey(
        Assessor,
        on_delete=models.CASCADE,
        related_name="accreditations",
        verbose_name="évaluateur",
    )
    certifications = models.ManyToManyField(
        "referentiel.Certification", related_name="accreditations", verbose_name="certifications"
    )
    valid_from = models.DateField("valable du")
    valid_until = models.DateField("valable jusqu'au")

    # Field-level history (old → new, who, when), shown in the admin; with the certifications.
    history = HistoricalRecords(m2m_fields=[certifications])

    class Meta:
        verbose_name = "habilitation"
        verbose_name_plural = "habilitations"
        ordering = ["-valid_until"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__gte=models.F("valid_from")),
                name="accreditation_dates_ordered",
                violation_error_message="La fin de validité doit suivre son début.",
            )
        ]

    def __str__(self):
        period = f"du {self.valid_from:%d/%m/%Y} au {self.valid_until:%d/%m/%Y}"
        return f"Habilitation de {self.assessor} {period}"

    def is_valid_on(self, day=None):
        day = day or timezone.localdate()
        return self.valid_from <= day <= self.valid_until


class Assessment(models.Model):
    """The assessor's evaluation of one dossier; opened when the dossier is submitted."""

    dossier = models.OneToOneField(
        "dossiers.Dossier",
        on_delete=models.CASCADE,
        related_name="assessment",
        verbose_name="dossier",
    )
    assessor = models.ForeignKey(
        Assessor, on_delete=models.PROTECT, related_name="assessments", verbose_name="évaluateur"
    )
    first_date = models.DateField("date de début de l'évaluation", null=True, blank=True)
    last_date = models.DateField("date de fin de l'évaluation", null=True, blank=True)
    candidate_observations = models.TextField("observations du candidat", blank=True)
    guide_scan = models.FileField(
        "outil n°4 scanné", upload_to=generated_name, max_length=200, blank=True
    )
    guide_original_name = models.CharField(
        "nom d'origine de l'outil n°4", max_length=200, blank=True
    )
    guide_content_type = models.CharField(max_length=50, blank=True)
    guide_size = models.PositiveIntegerField(null=True, blank=True)
    guide_sha256 = models.CharField(max_length=64, blank=True)
    workplace_missing_reason = models.TextField(
        "motif de l'absence d'observations de l'évaluateur métier", blank=True
    )
    created_at = models.DateTimeField("ouverte le", auto_now_add=True)
    completed_at = models.DateTimeField("clôturée le", null=True, blank=True)

    class Meta:
        verbose_name = "évaluation"
        verbose_name_plural = "évaluations"
        ordering = ["-created_at"]

    def __str__(self):
        return f"Évaluation du dossier {self.dossier}"

    def has_results(self):
        return self.results.exclude(result="").exists()


class CompetenceResult(models.Model):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="results", verbose_name="évaluation"
    )
    competence = models.ForeignKey(
        "referentiel.Competence",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="compétence",
    )
    result = models.CharField("résultat", max_length=12, choices=ResultChoice.choices, blank=True)
    comment = models.TextField("commentaire de l'évaluateur", blank=True)
    workplace_observation = models.TextField("observation de l'évaluateur métier", blank=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        verbose_name = "résultat par compétence"
        verbose_name_plural = "résultats par compétence"
        ordering = ["competence__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "competence"], name="one_result_per_competence"
            )
        ]

    def __str__(self):
        return f"{self.competence} : {self.get_result_display() or 'à évaluer'}"


class WorkplaceAssessorInvitation(models.Model):
    """« Évaluateur métier »: no account, an emailed link bound to one assessment."""

    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name="évaluation",
    )
    name = models.CharField("nom et prénom", max_length=200)
    email = models.EmailField("adresse électronique")
    function = models.CharField("fonction", max_length=200)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="par"
    )
    sent_at = models.DateTimeField("envoyée le")
    expires_at = models.DateTimeField("expire le")
    general_observation = models.TextField("observation générale", blank=True)
    # Saving keeps a draft; « J'ai terminé » sends the observations to the assessor.
    draft_saved_at = models.DateTimeField("brouillon enregistré le", null=True, blank=True)
    observations_submitted_at = models.DateTimeField(
        "observations transmises le", null=True, blank=True
    )
    reminder_sent_at = models.DateTimeField("relance envoyée le", null=True, blank=True)
    revoked_at = models.DateTimeField("révoquée le", null=True, blank=True)

    class Meta:
        verbose_name = "invitation de l'évaluateur métier"
        verbose_name_plural = "invitations des évaluateurs métier"
        ordering = ["-sent_at"]

    def __str__(self):
        return f"{self.name} <{self.email}> — {self.assessment.dossier}"

    @property
    def is_active(self):
        return self.revoked_at is None and self.expires_at > timezone.now()
