from django.db import models


class CertificationKind(models.TextChoices):
    CQP = "cqp", "CQP"
    CQPI = "cqpi", "CQPI"


class RegisterType(models.TextChoices):
    """The national register a certification is recorded in (France compétences)."""

    RNCP = "RNCP", "RNCP (répertoire national des certifications professionnelles)"
    RS = "RS", "RS (répertoire spécifique)"
