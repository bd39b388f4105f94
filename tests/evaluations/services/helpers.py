"""Constants and helpers shared by the tests of test_services.py."""

import datetime
import os

import pytest
from django.conf import settings

from dossiers.enums import DossierState, Transition
from dossiers.exceptions import DossierActionError
from dossiers.models import Dossier, DossierTransition
from evaluations import services
from evaluations.guards import complete_missing
from evaluations.models import CompetenceResult
from tests.evaluations.conftest import WORKPLACE, pdf_upload

MISSING_INVITATION = "Invitez d'abord l'évaluateur métier."


MISSING_WORKPLACE = (
    "Les observations de l'évaluateur métier ne sont pas arrivées : attendez-les, "
    "ou indiquez pourquoi elles manquent."
)


MISSING_CANDIDATE_OBSERVATIONS = "Saisissez les observations du candidat."


MISSING_GUIDE = "Joignez l'outil n°4 scanné (guide d'évaluation des compétences)."


REVOKED = "Cette invitation a été révoquée : créez-en une nouvelle."


FOREIGN_ROW = "Cette compétence n'appartient pas à l'évaluation."


RESULTS_ENTERED = "Des résultats ont déjà été saisis : le dossier ne peut plus être renvoyé."


NOW = datetime.datetime(2026, 11, 27, 10, 0, tzinfo=datetime.UTC)


def _rows(dossier):
    return list(
        CompetenceResult.objects.filter(assessment__dossier=dossier).order_by("competence__number")
    )


def _row(dossier, number):
    return CompetenceResult.objects.get(assessment__dossier=dossier, competence__number=number)


def _stored_files():
    return [
        os.path.join(root, name)
        for root, _dirs, names in os.walk(settings.MEDIA_ROOT)
        for name in names
    ]


def _refusal(call):
    with pytest.raises(DossierActionError) as excinfo:
        call()
    return excinfo.value.messages


def _write_actions(dossier):
    """Every write of the assessment, as callables taking the acting user."""
    assessment = dossier.assessment
    invitation = assessment.invitations.first()
    row = _rows(dossier)[0]
    return {
        "invitation_create": lambda by: services.invitation_create(
            assessment=assessment, by=by, **WORKPLACE
        ),
        "invitation_resend": lambda by: services.invitation_resend(invitation=invitation, by=by),
        "invitation_revoke": lambda by: services.invitation_revoke(invitation=invitation, by=by),
        "results_save": lambda by: services.results_save(
            assessment=assessment, by=by, results={row.pk: ("acquired", "Bien")}
        ),
        "assessment_update": lambda by: services.assessment_update(
            assessment=assessment, by=by, candidate_observations="Modifié."
        ),
        "guide_upload": lambda by: services.guide_upload(
            assessment=assessment, by=by, uploaded_file=pdf_upload()
        ),
    }


WRITE_ACTIONS = [
    "invitation_create",
    "invitation_resend",
    "invitation_revoke",
    "results_save",
    "assessment_update",
    "guide_upload",
]


def _complete_refused(dossier, by, expected):
    assert complete_missing(Dossier.objects.get(pk=dossier.pk)) == expected
    assert _refusal(lambda: services.assessment_complete(dossier=dossier, by=by)) == expected
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.state == DossierState.AWAITING_ASSESSMENT
    assert dossier.assessment.completed_at is None
    assert not DossierTransition.objects.filter(
        dossier=dossier, transition=Transition.COMPLETE_ASSESSMENT
    ).exists()
