from django.db import models


class DocumentStatus(models.TextChoices):
    VALID = "valid", "Valide"
    REVOKED = "revoked", "Révoqué"


class EntryReason(models.TextChoices):
    AWARD = "award", "Déclaration"
    CORRECTION = "correction", "Correction"
    REVOCATION = "revocation", "Révocation"


# Rows per page of the register of certificates.
REGISTER_PAGE_SIZE = 25

# Dispositif de formation (référentiel code) → CDC `modaliteAcces`. A scheme missing here
# (« autre », or one the secretariat adds) is reported as unknown (`xsi:nil`), which the
# schema allows.
ACCESS_ROUTES = {
    "contrat-professionnalisation": "FORMATION_CONTINUE_CONTRAT_DE_PROFESSIONNALISATION",
    "pro-a": "FORMATION_CONTINUE_HORS_CONTRAT_DE_PROFESSIONNALISATION",
    "plan-developpement-competences": "FORMATION_CONTINUE_HORS_CONTRAT_DE_PROFESSIONNALISATION",
    "cpf": "FORMATION_CONTINUE_HORS_CONTRAT_DE_PROFESSIONNALISATION",
    "vae": "VAE",
    "apprentissage": "FORMATION_INITIALE_APPRENTISSAGE",
    "autre": None,
}
