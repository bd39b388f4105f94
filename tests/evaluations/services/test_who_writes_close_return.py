"""The assessment services: invitation first, results, observations, outil n°4, closing."""

import pytest
import time_machine

from dossiers import services as dossier_services
from dossiers.enums import DossierState, Transition
from dossiers.exceptions import ALREADY_MOVED, NOT_ALLOWED
from dossiers.models import Dossier, DossierTransition
from ecertif.notifications.models import Notification
from evaluations import services
from evaluations.guards import complete_missing
from evaluations.models import Assessment, CompetenceResult, WorkplaceAssessorInvitation
from evaluations.services import CLOSED
from tests.evaluations.conftest import invite
from tests.evaluations.services.helpers import (
    MISSING_CANDIDATE_OBSERVATIONS,
    MISSING_GUIDE,
    MISSING_INVITATION,
    MISSING_WORKPLACE,
    NOW,
    RESULTS_ENTERED,
    WRITE_ACTIONS,
    _complete_refused,
    _refusal,
    _row,
    _rows,
    _stored_files,
    _write_actions,
)
from tests.factories.accounts import UserFactory
from tests.factories.dossiers import DossierFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("action", WRITE_ACTIONS)
@pytest.mark.parametrize("role", ["owner", "other_assessor", "secretariat", "other_employer"])
def test_write_by_other_than_assigned_assessor_not_allowed(request, invited, action, role):
    dossier = Dossier.objects.get(pk=invited[0].assessment.dossier_id)
    user = request.getfixturevalue(role)
    invitations_before = list(WorkplaceAssessorInvitation.objects.values())
    results_before = list(CompetenceResult.objects.values())
    assert _refusal(lambda: _write_actions(dossier)[action](user)) == [NOT_ALLOWED]
    assert list(WorkplaceAssessorInvitation.objects.values()) == invitations_before
    assert list(CompetenceResult.objects.values()) == results_before
    assert Assessment.objects.get(dossier=dossier).guide_scan.name == ""
    assert _stored_files() == []


@pytest.mark.parametrize("action", WRITE_ACTIONS)
def test_write_after_completion_closed(ready, assigned_assessor, action):
    completed = services.assessment_complete(dossier=ready, by=assigned_assessor)
    assert completed.state == DossierState.AWAITING_JURY
    dossier = Dossier.objects.get(pk=ready.pk)
    guide_before = Assessment.objects.get(dossier=dossier).guide_scan.name
    results_before = list(CompetenceResult.objects.values())
    assert _refusal(lambda: _write_actions(dossier)[action](assigned_assessor)) == [CLOSED]
    assert list(CompetenceResult.objects.values()) == results_before
    assert Assessment.objects.get(dossier=dossier).guide_scan.name == guide_before
    assert len(_stored_files()) == 1


def test_write_after_return_for_completion_closed(invited, assigned_assessor):
    dossier = Dossier.objects.get(pk=invited[0].assessment.dossier_id)
    dossier_services.dossier_return_for_completion(
        dossier=dossier, by=assigned_assessor, reason="Pièce manquante."
    )
    assert _refusal(lambda: _write_actions(dossier)["results_save"](assigned_assessor)) == [CLOSED]


def test_complete_missing_empty_when_everything_is_there(ready):
    assert complete_missing(Dossier.objects.get(pk=ready.pk)) == []


def test_complete_missing_assessment_not_open(db):
    dossier = DossierFactory(awaiting_assessment=True)
    assert complete_missing(dossier) == ["L'évaluation de ce dossier n'est pas ouverte."]


def test_complete_missing_everything_after_submit(submitted):
    assert complete_missing(Dossier.objects.get(pk=submitted.pk)) == [
        MISSING_INVITATION,
        "Saisissez le résultat (acquis / non acquis) des compétences : C1, C2, C3.",
        "Saisissez le commentaire des compétences : C1, C2, C3.",
        MISSING_CANDIDATE_OBSERVATIONS,
        MISSING_GUIDE,
    ]


def test_complete_refused_without_invitation(ready, assigned_assessor):
    for invitation in ready.assessment.invitations.all():
        services.invitation_revoke(invitation=invitation, by=assigned_assessor)
    _complete_refused(ready, assigned_assessor, [MISSING_INVITATION])


def test_complete_refused_without_workplace_observations_nor_reason(ready, assigned_assessor):
    WorkplaceAssessorInvitation.objects.filter(assessment__dossier=ready).update(
        observations_submitted_at=None
    )
    _complete_refused(ready, assigned_assessor, [MISSING_WORKPLACE])


def test_complete_refused_with_blank_missing_reason(ready, assigned_assessor):
    WorkplaceAssessorInvitation.objects.filter(assessment__dossier=ready).update(
        observations_submitted_at=None
    )
    services.assessment_update(
        assessment=ready.assessment, by=assigned_assessor, workplace_missing_reason="   "
    )
    _complete_refused(ready, assigned_assessor, [MISSING_WORKPLACE])


def test_complete_refused_when_only_revoked_invitation_has_observations(ready, assigned_assessor):
    first = ready.assessment.invitations.get()
    services.invitation_revoke(invitation=first, by=assigned_assessor)
    invite(ready)
    _complete_refused(ready, assigned_assessor, [MISSING_WORKPLACE])


def test_complete_refused_without_result_for_c2(ready, assigned_assessor):
    CompetenceResult.objects.filter(pk=_row(ready, 2).pk).update(result="")
    _complete_refused(
        ready,
        assigned_assessor,
        ["Saisissez le résultat (acquis / non acquis) des compétences : C2."],
    )


def test_complete_refused_without_comment_for_c3(ready, assigned_assessor):
    row = _row(ready, 3)
    services.results_save(
        assessment=ready.assessment, by=assigned_assessor, results={row.pk: ("acquired", "  ")}
    )
    _complete_refused(ready, assigned_assessor, ["Saisissez le commentaire des compétences : C3."])


def test_complete_refused_without_results_and_comments_for_c1_and_c3(ready, assigned_assessor):
    CompetenceResult.objects.filter(
        assessment__dossier=ready, competence__number__in=[1, 3]
    ).update(result="", comment="")
    _complete_refused(
        ready,
        assigned_assessor,
        [
            "Saisissez le résultat (acquis / non acquis) des compétences : C1, C3.",
            "Saisissez le commentaire des compétences : C1, C3.",
        ],
    )


@pytest.mark.parametrize("observations", ["", "  \n "])
def test_complete_refused_without_candidate_observations(ready, assigned_assessor, observations):
    services.assessment_update(
        assessment=ready.assessment, by=assigned_assessor, candidate_observations=observations
    )
    _complete_refused(ready, assigned_assessor, [MISSING_CANDIDATE_OBSERVATIONS])


def test_complete_refused_without_guide(ready, assigned_assessor):
    Assessment.objects.filter(dossier=ready).update(guide_scan="")
    _complete_refused(ready, assigned_assessor, [MISSING_GUIDE])


def test_complete_accepts_missing_reason_instead_of_workplace_observations(
    ready, assigned_assessor
):
    WorkplaceAssessorInvitation.objects.filter(assessment__dossier=ready).update(
        observations_submitted_at=None
    )
    services.assessment_update(
        assessment=ready.assessment,
        by=assigned_assessor,
        workplace_missing_reason="L'évaluateur métier a quitté l'entreprise.",
    )
    assert complete_missing(Dossier.objects.get(pk=ready.pk)) == []
    completed = services.assessment_complete(dossier=ready, by=assigned_assessor)
    assert completed.state == DossierState.AWAITING_JURY


@time_machine.travel(NOW, tick=False)
def test_complete_everything_present(
    ready, owner, assigned_assessor, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.assessment_complete(dossier=ready, by=assigned_assessor)
    dossier = Dossier.objects.get(pk=ready.pk)
    assert dossier.state == DossierState.AWAITING_JURY
    assert dossier.assessment.completed_at == NOW
    row = DossierTransition.objects.get(dossier=dossier, transition="complete_assessment")
    assert (row.source, row.target, row.actor, row.reason) == (
        DossierState.AWAITING_ASSESSMENT,
        DossierState.AWAITING_JURY,
        assigned_assessor,
        "",
    )
    notification = Notification.objects.get(recipient=owner)
    assert notification.link == f"/dossiers/{dossier.pk}/"
    assert notification.text == (
        f"Évaluation terminée pour le dossier {dossier.number} : vous pouvez l'inscrire à un jury."
    )
    assert [m.to for m in mailoutbox] == [[owner.email]]
    assert mailoutbox[0].subject == (
        f"[e-Certif] Dossier {dossier.number} évalué : à inscrire à un jury"
    )


def test_complete_notifies_every_employer_of_establishment(
    ready, owner, assigned_assessor, mailoutbox, django_capture_on_commit_callbacks
):
    second = ready.establishment.memberships.create(user=UserFactory()).user
    with django_capture_on_commit_callbacks(execute=True):
        services.assessment_complete(dossier=ready, by=assigned_assessor)
    assert sorted(m.to[0] for m in mailoutbox) == sorted([owner.email, second.email])
    assert Notification.objects.filter(recipient__in=[owner, second]).count() == 2


@pytest.mark.parametrize("role", ["owner", "other_assessor", "secretariat"])
def test_complete_by_other_than_assigned_assessor_not_allowed(
    request, ready, role, mailoutbox, django_capture_on_commit_callbacks
):
    user = request.getfixturevalue(role)
    with django_capture_on_commit_callbacks(execute=True):
        messages = _refusal(lambda: services.assessment_complete(dossier=ready, by=user))
    assert messages == [NOT_ALLOWED]
    dossier = Dossier.objects.get(pk=ready.pk)
    assert dossier.state == DossierState.AWAITING_ASSESSMENT
    assert dossier.assessment.completed_at is None
    assert mailoutbox == []


def test_complete_twice_already_moved(ready, assigned_assessor):
    services.assessment_complete(dossier=ready, by=assigned_assessor)
    assert _refusal(lambda: services.assessment_complete(dossier=ready, by=assigned_assessor)) == [
        ALREADY_MOVED
    ]
    assert (
        DossierTransition.objects.filter(
            dossier=ready, transition=Transition.COMPLETE_ASSESSMENT
        ).count()
        == 1
    )


def test_return_for_completion_allowed_before_any_result(invited, assigned_assessor):
    dossier = Dossier.objects.get(pk=invited[0].assessment.dossier_id)
    returned = dossier_services.dossier_return_for_completion(
        dossier=dossier, by=assigned_assessor, reason="Le diplôme est illisible."
    )
    assert returned.state == DossierState.REGISTERING


def test_return_for_completion_allowed_with_comment_but_no_result(invited, assigned_assessor):
    dossier = Dossier.objects.get(pk=invited[0].assessment.dossier_id)
    row = _rows(dossier)[0]
    services.results_save(
        assessment=dossier.assessment, by=assigned_assessor, results={row.pk: ("", "Brouillon")}
    )
    returned = dossier_services.dossier_return_for_completion(
        dossier=dossier, by=assigned_assessor, reason="Le diplôme est illisible."
    )
    assert returned.state == DossierState.REGISTERING


def test_return_for_completion_refused_once_result_entered(invited, assigned_assessor):
    dossier = Dossier.objects.get(pk=invited[0].assessment.dossier_id)
    row = _rows(dossier)[1]
    services.results_save(
        assessment=dossier.assessment,
        by=assigned_assessor,
        results={row.pk: ("not_acquired", "")},
    )
    messages = _refusal(
        lambda: dossier_services.dossier_return_for_completion(
            dossier=dossier, by=assigned_assessor, reason="Le diplôme est illisible."
        )
    )
    assert messages == [RESULTS_ENTERED]
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.AWAITING_ASSESSMENT
