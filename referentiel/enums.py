from django.db import models


class CertificationKind(models.TextChoices):
    CQP = "cqp", "CQP"
    CQPI = "cqpi", "CQPI"
