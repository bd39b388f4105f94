from django.db import models


class DocumentStatus(models.TextChoices):
    VALID = "valid", "Valide"
    REVOKED = "revoked", "Révoqué"


# Rows per page of the register of certificates.
REGISTER_PAGE_SIZE = 25
