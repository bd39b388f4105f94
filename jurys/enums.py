from django.db import models


class College(models.TextChoices):
    EMPLOYERS = "employers", "Collège employeurs"
    EMPLOYEES = "employees", "Collège salariés"


class SessionStatus(models.TextChoices):
    PLANNED = "planned", "Planifiée"
    OPEN = "open", "Ouverte aux inscriptions"
    REGISTRATION_CLOSED = "registration_closed", "Inscriptions closes"
    HELD = "held", "Tenue"
    CLOSED = "closed", "Clôturée"


SESSION_BADGES = {
    SessionStatus.PLANNED: "secondary",
    SessionStatus.OPEN: "success",
    SessionStatus.REGISTRATION_CLOSED: "warning",
    SessionStatus.HELD: "info",
    SessionStatus.CLOSED: "dark",
}


class RegistrationEnd(models.TextChoices):
    WITHDRAWN = "withdrawn", "Retiré par l'employeur"
    MOVED = "moved", "Déplacé vers une autre session"
    DECIDED = "decided", "Examiné par le jury"
    RELEASED = "released", "Non examiné (session clôturée)"


class Outcome(models.TextChoices):
    VALIDATED = "validated", "Validé"
    PARTIALLY_VALIDATED = "partially_validated", "Partiel"
    NOT_VALIDATED = "not_validated", "Non validé"


class DocumentKind(models.TextChoices):
    CERTIFICATE = "certificate", "Parchemin"
    ATTESTATION = "attestation", "Attestation de compétences"


# Jury members are reminded this many days before their session.
SESSION_REMINDER_DAYS = 7

# Verification codes of issued documents: 20 characters of a 31-sign alphabet (no i, l, o, 0,
# 1: read aloud without doubt) = 99 bits of randomness.
VERIFICATION_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
VERIFICATION_CODE_LENGTH = 20
