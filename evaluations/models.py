from django.conf import settings
from django.db import models
from django.utils import timezone


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

    class Meta:
        verbose_name = "évaluateur habilité"
        verbose_name_plural = "évaluateurs habilités"
        ordering = ["user__last_name", "user__first_name"]

    def __str__(self):
        return f"{self.user.get_full_name() or self.user.email} ({self.accreditation_number})"


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
