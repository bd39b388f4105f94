"""Conditions of the jury's transitions, as French lists of what is missing."""

from django.utils import timezone

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


def can_be_decided(dossier):
    return not decide_missing(dossier)


def reopen_missing(dossier):
    if active_registration(dossier) is not None:
        return ["Le dossier est inscrit à une session : retirez-le d'abord de la session."]
    return []


def can_be_reopened(dossier):
    return not reopen_missing(dossier)
