from django.core.validators import RegexValidator
from django.db import models
from simple_history.models import HistoricalRecords

from .enums import CertificationKind, RegisterType

register_number_validator = RegexValidator(
    r"^[0-9]{1,8}$", "Le numéro d'enregistrement ne contient que des chiffres (ex. 35185)."
)


class SectorManager(models.Manager):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class Sector(models.Model):
    code = models.SlugField("code", max_length=50, unique=True)
    name = models.CharField("nom", max_length=150)
    position = models.PositiveSmallIntegerField("position", default=0)

    objects = SectorManager()

    # Field-level history (old → new, who, when), shown in the admin.
    history = HistoricalRecords()

    class Meta:
        verbose_name = "filière"
        verbose_name_plural = "filières"
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.code,)


class CertificationManager(models.Manager):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class Certification(models.Model):
    code = models.SlugField("code", max_length=80, unique=True)
    kind = models.CharField(
        "type", max_length=4, choices=CertificationKind.choices, default=CertificationKind.CQP
    )
    label = models.CharField("intitulé", max_length=255)
    sector = models.ForeignKey(
        Sector,
        verbose_name="filière",
        on_delete=models.PROTECT,
        related_name="certifications",
    )
    level = models.PositiveSmallIntegerField(
        "niveau",
        null=True,
        blank=True,
        help_text="Niveau de la nomenclature nationale des certifications (2019).",
    )
    active = models.BooleanField("active", default=True)
    capitalisation_years = models.PositiveSmallIntegerField(
        "durée de validité des compétences acquises (années)", default=5
    )
    competences_provisional = models.BooleanField(
        "liste de compétences provisoire",
        default=True,
        help_text="Cochée tant que la liste officielle des compétences n'a pas été importée.",
    )
    register_type = models.CharField(
        "répertoire national",
        max_length=4,
        choices=RegisterType.choices,
        default=RegisterType.RNCP,
    )
    register_number = models.CharField(
        "numéro d'enregistrement",
        max_length=8,
        blank=True,
        validators=[register_number_validator],
        help_text=(
            "Numéro de la fiche France compétences, sans le préfixe (RNCP35185 → 35185). "
            "Vide : les titulaires ne peuvent pas être déclarés à la Caisse des Dépôts."
        ),
    )
    position = models.PositiveSmallIntegerField("position", default=0)

    objects = CertificationManager()

    # Field-level history (old → new, who, when), shown in the admin.
    history = HistoricalRecords()

    class Meta:
        verbose_name = "certification"
        verbose_name_plural = "certifications"
        ordering = ["sector__position", "position", "label"]

    def __str__(self):
        return self.label

    def natural_key(self):
        return (self.code,)

    @property
    def has_options(self):
        return bool(self.options.all())

    @property
    def register_code(self):
        """« RNCP35185 » as the Caisse des Dépôts expects it, or "" when the number is missing."""
        return f"{self.register_type}{self.register_number}" if self.register_number else ""


class CertificationOptionManager(models.Manager):
    def get_by_natural_key(self, certification_code, code):
        return self.get(certification__code=certification_code, code=code)


class CertificationOption(models.Model):
    certification = models.ForeignKey(
        Certification,
        verbose_name="certification",
        on_delete=models.CASCADE,
        related_name="options",
    )
    code = models.SlugField("code", max_length=50)
    label = models.CharField("intitulé", max_length=150)

    objects = CertificationOptionManager()

    # Field-level history (old → new, who, when), shown in the admin.
    history = HistoricalRecords()

    class Meta:
        verbose_name = "option"
        verbose_name_plural = "options"
        ordering = ["certification_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["certification", "code"], name="unique_option_per_certification"
            )
        ]

    def __str__(self):
        return self.label

    def natural_key(self):
        return (self.certification.code, self.code)

    natural_key.dependencies = ["referentiel.certification"]


class CompetenceManager(models.Manager):
    def get_by_natural_key(self, certification_code, number):
        return self.get(certification__code=certification_code, number=number)


class Competence(models.Model):
    certification = models.ForeignKey(
        Certification,
        verbose_name="certification",
        on_delete=models.CASCADE,
        related_name="competences",
    )
    number = models.PositiveSmallIntegerField("numéro")
    label = models.CharField("intitulé", max_length=255)

    objects = CompetenceManager()

    # Field-level history (old → new, who, when), shown in the admin.
    history = HistoricalRecords()

    class Meta:
        verbose_name = "compétence"
        verbose_name_plural = "compétences"
        ordering = ["certification_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["certification", "number"], name="unique_competence_number"
            )
        ]

    def __str__(self):
        return f"C{self.number} — {self.label}"

    def natural_key(self):
        return (self.certification.code, self.number)

    natural_key.dependencies = ["referentiel.certification"]


class TrainingSchemeManager(models.Manager):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class TrainingScheme(models.Model):
    code = models.SlugField("code", max_length=50, unique=True)
    label = models.CharField("intitulé", max_length=150)
    active = models.BooleanField("actif", default=True)
    position = models.PositiveSmallIntegerField("position", default=0)

    objects = TrainingSchemeManager()

    # Field-level history (old → new, who, when), shown in the admin.
    history = HistoricalRecords()

    class Meta:
        verbose_name = "dispositif de formation"
        verbose_name_plural = "dispositifs de formation"
        ordering = ["position", "label"]

    def __str__(self):
        return self.label

    def natural_key(self):
        return (self.code,)
