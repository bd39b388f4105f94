"""Constants and helpers shared by the tests of test_services.py."""

import datetime

import pytest
from django.utils import timezone

from dossiers.enums import DossierState, Transition
from dossiers.exceptions import DossierActionError
from dossiers.models import DossierTransition
from jurys.models import IssuedDocument, JuryDecision

TOO_LATE = (
    "Cette session n'accepte plus d'inscriptions (date limite dépassée ou session fermée) : "
    "choisissez-en une autre."
)


ONLY_AWAITING_JURY = "Seul un dossier « En attente de jury » peut être inscrit à une session."


ALREADY_REGISTERED = "Ce dossier est déjà inscrit à une session."


NOT_REGISTERED = "Ce dossier n'est inscrit à aucune session."


WITHDRAW_TOO_LATE = (
    "La date limite d'inscription est passée : le retrait n'est plus possible. "
    "Contactez le secrétariat des CQP."
)


NO_SESSION = "Le dossier n'est inscrit à aucune session du jury."


REOPEN_REGISTERED = "Le dossier est inscrit à une session : retirez-le d'abord de la session."


ONLY_PARTIAL = "Seul un dossier « Partiel » permet de représenter le candidat."


NO_EMPLOYERS = "Ajoutez au moins un membre du collège employeurs."


NO_EMPLOYEES = "Ajoutez au moins un membre du collège salariés."


def refusal(call):
    with pytest.raises(DossierActionError) as caught:
        call()
    return caught.value.messages


def years_later(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def fmt(day):
    return f"{day:%d/%m/%Y}"


def noon(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12, 0)))


def history(dossier):
    return [
        (row.transition, row.source, row.target, row.actor_id, row.reason)
        for row in DossierTransition.objects.filter(dossier=dossier).exclude(
            transition__in=[Transition.SUBMIT, Transition.COMPLETE_ASSESSMENT]
        )
    ]


def lines(decision):
    return [
        (line.competence.number, line.validated, line.motivation, line.carried)
        for line in decision.competences.select_related("competence").order_by("competence__number")
    ]


def assert_undecided(dossier):
    """A refused decision leaves no trace."""
    dossier.refresh_from_db()
    assert dossier.state == DossierState.AWAITING_JURY
    assert not JuryDecision.objects.filter(dossier=dossier).exists()
    assert not IssuedDocument.objects.exists()
    assert not DossierTransition.objects.filter(
        dossier=dossier, transition=Transition.DECIDE
    ).exists()
