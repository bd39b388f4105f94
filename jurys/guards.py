"""Conditions of the jury's transitions, as French lists of what is missing."""

from django.utils import timezone

from .models import CarriedCompetence
from .rules import active_registration


def decide_missing(dossier, *, day=None):
    day = day or timezone.localdate()
    registration = active_registration(dossier)
    if registration is None:
        return ["Le dossier n'est inscrit à aucune session du jury."]
    session = registration.session
    if session.date > day:
        return [
            f"La session du {session.date:%d/%m/%Y} n'a pas encore eu lieu : la décision "
            "s'enregistre à partir de cette date."
        ]
    return []


def reopen_missing(dossier):
    if active_registration(dossier) is not None:
        return ["Le dossier est inscrit à une session : retirez-le d'abord de la session."]
    return []


def revoke_missing(dossier):
    """Competences validated by the standing decision and carried into a new dossier
    (« Représenter le candidat ») must not lose their source."""
    carried_into = sorted(
        CarriedCompetence.objects.filter(
            source_decision__dossier=dossier, source_decision__revoked_at__isnull=True
        )
        .values_list("dossier__number", flat=True)
        .distinct()
    )
    if carried_into:
        return [
            "Des compétences validées par cette décision sont reportées dans le dossier "
            f"{', '.join(carried_into)} (« Représenter le candidat ») : supprimez ou "
            "corrigez d'abord ce dossier."
        ]
    return []
