from django.db import models


class DossierState(models.TextChoices):
    REGISTERING = "registering", "En cours d'inscription"
    AWAITING_ASSESSMENT = "awaiting_assessment", "En attente d'évaluation"
    AWAITING_JURY = "awaiting_jury", "En attente de jury"
    VALIDATED = "validated", "Validé"
    PARTIALLY_VALIDATED = "partially_validated", "Partiel"
    NOT_VALIDATED = "not_validated", "Non validé"


EDITABLE_STATES = {DossierState.REGISTERING}
DECIDED_STATES = {
    DossierState.VALIDATED,
    DossierState.PARTIALLY_VALIDATED,
    DossierState.NOT_VALIDATED,
}
# Bootstrap colour of each state's badge.
STATE_BADGES = {
    DossierState.REGISTERING: "secondary",
    DossierState.AWAITING_ASSESSMENT: "info",
    DossierState.AWAITING_JURY: "warning",
    DossierState.VALIDATED: "success",
    DossierState.PARTIALLY_VALIDATED: "primary",
    DossierState.NOT_VALIDATED: "danger",
}


class Transition(models.TextChoices):
    CREATE = "create", "Création du dossier"
    SUBMIT = "submit", "Soumission à l'évaluateur"
    RETURN_FOR_COMPLETION = "return_for_completion", "Renvoi à l'employeur pour complément"
    COMPLETE_ASSESSMENT = "complete_assessment", "Clôture de l'évaluation"
    REOPEN_ASSESSMENT = "reopen_assessment", "Réouverture de l'évaluation"
    DECIDE = "decide", "Décision du jury"
    REVOKE_DECISION = "revoke_decision", "Annulation de la décision"


class Civility(models.TextChoices):
    MADAME = "mme", "Madame"
    MONSIEUR = "m", "Monsieur"


class DiplomaLevel(models.TextChoices):
    NONE = "none", "Aucun diplôme"
    LEVEL_3 = "3", "Niveau 3 (CAP, BEP)"
    LEVEL_4 = "4", "Niveau 4 (baccalauréat)"
    LEVEL_5 = "5", "Niveau 5 (bac + 2 : BTS, DUT)"
    LEVEL_6 = "6", "Niveau 6 (bac + 3 ou 4 : licence)"
    LEVEL_7 = "7", "Niveau 7 (bac + 5 : master, ingénieur)"
    LEVEL_8 = "8", "Niveau 8 (doctorat)"


class AttachmentKind(models.TextChoices):
    DIPLOMA = "diploma", "Diplôme obtenu (copie)"
    OTHER = "other", "Autre pièce"


class WizardStep(models.TextChoices):
    CERTIFICATION = "certification", "Certification"
    SCHEME = "dispositif", "Dispositif de formation"
    CANDIDATE = "candidat", "Candidat"
    DIPLOMAS = "diplomes", "Diplômes"
    PROVIDER = "organisme", "Organisme de formation"
    ASSESSOR = "evaluateur", "Évaluateur habilité"
    REVIEW = "recapitulatif", "Récapitulatif et soumission"


WIZARD_STEPS = list(WizardStep)
