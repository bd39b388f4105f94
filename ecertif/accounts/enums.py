from django.db import models


class Role(models.TextChoices):
    SECRETARIAT = "secretariat", "Secrétariat des CQP"
    JURY_MEMBER = "jury_member", "Membre du jury"
    ASSESSOR = "assessor", "Évaluateur habilité CPNE"
    EMPLOYER = "employer", "Employeur"


# When a person holds several roles, the home page shows the first one of this order.
ROLE_PRIORITY = [Role.SECRETARIAT, Role.JURY_MEMBER, Role.ASSESSOR, Role.EMPLOYER]
# Roles whose accounts must use a second factor when settings.ECERTIF_MFA_REQUIRED is on.
MFA_REQUIRED_ROLES = {Role.SECRETARIAT, Role.JURY_MEMBER}

SECRETARIAT_GROUP = "Secrétariat"


class AccountRequestStatus(models.TextChoices):
    PENDING = "pending", "En attente"
    APPROVED = "approved", "Approuvée"
    REFUSED = "refused", "Refusée"
