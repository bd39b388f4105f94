"""The assessment services: invitation first, results, observations, outil n°4, closing."""

import base64
import datetime
import hashlib
import os

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from dossiers import services as dossier_services
from dossiers.enums import DossierState, Transition
from dossiers.exceptions import ALREADY_MOVED, NOT_ALLOWED, DossierActionError
from dossiers.models import Dossier, DossierTransition
from ecertif.notifications.models import Notification
from evaluations import services
from evaluations.enums import INVITATION_VALIDITY_DAYS, ResultChoice
from evaluations.guards import complete_missing
from evaluations.models import Assessment, CompetenceResult, WorkplaceAssessorInvitation
from evaluations.services import CLOSED, NO_INVITATION
from tests.evaluations.conftest import WORKPLACE, invite, pdf_upload
from tests.factories.accounts import UserFactory
from tests.factories.dossiers import DossierFactory
from tests.factories.evaluations import AccreditationFactory
from tests.factories.referentiel import CompetenceFactory

pytestmark = pytest.mark.django_db

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


# --- Opening the assessment on submit ----------------------------------------------------------


def test_submit_opens_assessment_with_one_result_per_competence(submitted):
    assessment = Assessment.objects.get(dossier=submitted)
    assert assessment.assessor == submitted.assessor
    assert assessment.completed_at is None
    assert [(r.competence.number, r.result, r.comment) for r in _rows(submitted)] == [
        (1, "", ""),
        (2, "", ""),
        (3, "", ""),
    ]


def test_submit_again_after_return_reuses_assessment(submitted, owner, assigned_assessor):
    first_assessment = submitted.assessment
    first_rows = [row.pk for row in _rows(submitted)]
    dossier_services.dossier_return_for_completion(
        dossier=submitted, by=assigned_assessor, reason="Le diplôme est illisible."
    )
    returned = Dossier.objects.get(pk=submitted.pk)
    assert returned.state == DossierState.REGISTERING
    dossier_services.assessor_confirm(dossier=returned, by=owner, assessor=returned.assessor)
    dossier_services.dossier_submit(dossier=returned, by=owner)
    assert Assessment.objects.filter(dossier=submitted).count() == 1
    assert Assessment.objects.get(dossier=submitted).pk == first_assessment.pk
    assert [row.pk for row in _rows(submitted)] == first_rows
    assert CompetenceResult.objects.count() == 3


def test_submit_again_after_return_adds_new_competence_and_new_assessor(
    submitted, owner, assigned_assessor
):
    dossier_services.dossier_return_for_completion(
        dossier=submitted, by=assigned_assessor, reason="Changement d'évaluateur."
    )
    CompetenceFactory(certification=submitted.certification, number=4)
    new_assessor = AccreditationFactory(certifications=[submitted.certification]).assessor
    returned = Dossier.objects.get(pk=submitted.pk)
    dossier_services.assessor_confirm(dossier=returned, by=owner, assessor=new_assessor)
    dossier_services.dossier_submit(dossier=returned, by=owner)
    assessment = Assessment.objects.get(dossier=submitted)
    assert assessment.assessor == new_assessor
    assert [row.competence.number for row in _rows(submitted)] == [1, 2, 3, 4]


# --- Invitation ------------------------------------------------------------------------------


def test_invitation_create_stores_only_token_hash(assessment):
    invitation, token = invite(assessment.dossier)
    stored = WorkplaceAssessorInvitation.objects.filter(pk=invitation.pk).values().get()
    assert stored["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert [name for name, value in stored.items() if token in str(value)] == []
    assert (stored["name"], stored["email"], stored["function"]) == (
        "Paul Tuteur",
        "paul.tuteur@exemple.fr",
        "Chef d'équipe de fabrication",
    )


def test_invitation_create_token_has_at_least_120_bits(assessment):
    _invitation, token = invite(assessment.dossier)
    assert len(token) == 32
    assert len(base64.urlsafe_b64decode(token)) == 24


def test_invitation_create_tokens_differ(assessment):
    first = invite(assessment.dossier)[1]
    second = invite(assessment.dossier)[1]
    assert first != second


@time_machine.travel(NOW, tick=False)
def test_invitation_create_stamps_sent_and_expiry(assessment, assigned_assessor):
    invitation, _token = invite(assessment.dossier)
    assert invitation.sent_at == NOW
    assert invitation.expires_at == NOW + datetime.timedelta(days=INVITATION_VALIDITY_DAYS)
    assert invitation.created_by == assigned_assessor
    assert invitation.reminder_sent_at is None
    assert invitation.revoked_at is None


def test_invitation_create_sends_one_email_with_link(
    assessment, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invitation, token = invite(assessment.dossier)
    assert [m.to for m in mailoutbox] == [["paul.tuteur@exemple.fr"]]
    email = mailoutbox[0]
    candidate = assessment.dossier.candidate
    assert email.subject == (
        f"[e-Certif] Vos observations sur l'évaluation de {candidate.full_name}"
    )
    link = f"{settings.SITE_URL}/evaluation-metier/{token}/"
    assert link in email.body
    assert link in email.alternatives[0].content


def test_invitation_resend_changes_hash_and_resets_reminder(
    assessment, assigned_assessor, mailoutbox, django_capture_on_commit_callbacks
):
    invitation, old_token = invite(assessment.dossier)
    WorkplaceAssessorInvitation.objects.filter(pk=invitation.pk).update(
        reminder_sent_at=timezone.now()
    )
    later = timezone.now() + datetime.timedelta(days=3)
    with (
        time_machine.travel(later, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        resent, new_token = services.invitation_resend(invitation=invitation, by=assigned_assessor)
    resent.refresh_from_db()
    assert new_token != old_token
    assert resent.token_hash == hashlib.sha256(new_token.encode()).hexdigest()
    assert resent.token_hash != hashlib.sha256(old_token.encode()).hexdigest()
    assert resent.reminder_sent_at is None
    assert resent.sent_at == later
    assert resent.expires_at == later + datetime.timedelta(days=INVITATION_VALIDITY_DAYS)
    assert [m.to for m in mailoutbox] == [["paul.tuteur@exemple.fr"]]
    assert f"/evaluation-metier/{new_token}/" in mailoutbox[0].body


@time_machine.travel(NOW, tick=False)
def test_invitation_revoke_sets_revoked_at(invited, assigned_assessor):
    invitation, _token = invited
    services.invitation_revoke(invitation=invitation, by=assigned_assessor)
    invitation.refresh_from_db()
    assert invitation.revoked_at == NOW
    assert invitation.is_active is False


def test_invitation_revoke_twice_keeps_first_date(invited, assigned_assessor):
    invitation, _token = invited
    with time_machine.travel(NOW, tick=False):
        services.invitation_revoke(invitation=invitation, by=assigned_assessor)
    with time_machine.travel(NOW + datetime.timedelta(days=1), tick=False):
        services.invitation_revoke(invitation=invitation, by=assigned_assessor)
    invitation.refresh_from_db()
    assert invitation.revoked_at == NOW


def test_invitation_resend_after_revoke_refused(
    invited, assigned_assessor, mailoutbox, django_capture_on_commit_callbacks
):
    invitation, _token = invited
    services.invitation_revoke(invitation=invitation, by=assigned_assessor)
    hash_before = WorkplaceAssessorInvitation.objects.get(pk=invitation.pk).token_hash
    with django_capture_on_commit_callbacks(execute=True):
        messages = _refusal(
            lambda: services.invitation_resend(invitation=invitation, by=assigned_assessor)
        )
    assert messages == [REVOKED]
    assert WorkplaceAssessorInvitation.objects.get(pk=invitation.pk).token_hash == hash_before
    assert mailoutbox == []


# --- Nothing before the invitation -----------------------------------------------------------


def test_results_save_before_invitation_refused(assessment, assigned_assessor):
    row = _rows(assessment.dossier)[0]
    messages = _refusal(
        lambda: services.results_save(
            assessment=assessment, by=assigned_assessor, results={row.pk: ("acquired", "Bien")}
        )
    )
    assert messages == [NO_INVITATION]
    row.refresh_from_db()
    assert (row.result, row.comment) == ("", "")


def test_assessment_update_before_invitation_refused(assessment, assigned_assessor):
    messages = _refusal(
        lambda: services.assessment_update(
            assessment=assessment, by=assigned_assessor, candidate_observations="Content."
        )
    )
    assert messages == [NO_INVITATION]
    assessment.refresh_from_db()
    assert assessment.candidate_observations == ""


def test_guide_upload_before_invitation_refused(assessment, assigned_assessor):
    messages = _refusal(
        lambda: services.guide_upload(
            assessment=assessment, by=assigned_assessor, uploaded_file=pdf_upload()
        )
    )
    assert messages == [NO_INVITATION]
    assessment.refresh_from_db()
    assert assessment.guide_scan.name == ""
    assert _stored_files() == []


def test_results_save_after_revoking_only_invitation_refused(
    invited, assessment, assigned_assessor
):
    services.invitation_revoke(invitation=invited[0], by=assigned_assessor)
    row = _rows(assessment.dossier)[0]
    messages = _refusal(
        lambda: services.results_save(
            assessment=assessment, by=assigned_assessor, results={row.pk: ("acquired", "Bien")}
        )
    )
    assert messages == [NO_INVITATION]


# --- Writing ---------------------------------------------------------------------------------


def test_results_save_stores_result_and_stripped_comment(invited, assessment, assigned_assessor):
    first, second, third = _rows(assessment.dossier)
    services.results_save(
        assessment=assessment,
        by=assigned_assessor,
        results={
            first.pk: (ResultChoice.ACQUIRED, "  Maîtrise la conduite de l'unité.  "),
            second.pk: (ResultChoice.NOT_ACQUIRED, "À retravailler."),
        },
    )
    assert [(r.result, r.comment) for r in _rows(assessment.dossier)] == [
        ("acquired", "Maîtrise la conduite de l'unité."),
        ("not_acquired", "À retravailler."),
        ("", ""),
    ]
    assert third.pk == _rows(assessment.dossier)[2].pk


def test_results_save_rejects_row_of_another_assessment(invited, assessment, assigned_assessor):
    other = DossierFactory(
        assessor=assessment.assessor, certification=assessment.dossier.certification
    )
    other_owner = other.establishment.memberships.create(user=UserFactory()).user
    dossier_services.dossier_submit(dossier=other, by=other_owner)
    foreign = _rows(other)[0]
    own = _rows(assessment.dossier)[0]
    messages = _refusal(
        lambda: services.results_save(
            assessment=assessment,
            by=assigned_assessor,
            results={own.pk: ("acquired", "Bien"), foreign.pk: ("acquired", "Intrus")},
        )
    )
    assert messages == [FOREIGN_ROW]
    foreign.refresh_from_db()
    own.refresh_from_db()
    assert (foreign.result, foreign.comment) == ("", "")
    assert (own.result, own.comment) == ("", "")


def test_assessment_update_saves_details(invited, assessment, assigned_assessor):
    services.assessment_update(
        assessment=assessment,
        by=assigned_assessor,
        first_date=datetime.date(2026, 10, 5),
        last_date=datetime.date(2026, 10, 9),
        candidate_observations="Évaluation conforme à mon travail.",
        workplace_missing_reason="",
    )
    assessment.refresh_from_db()
    assert (
        assessment.first_date,
        assessment.last_date,
        assessment.candidate_observations,
    ) == (
        datetime.date(2026, 10, 5),
        datetime.date(2026, 10, 9),
        "Évaluation conforme à mon travail.",
    )


def test_guide_upload_stores_file_under_generated_name(invited, assessment, assigned_assessor):
    services.guide_upload(
        assessment=assessment, by=assigned_assessor, uploaded_file=pdf_upload("Outil 4 Julie.pdf")
    )
    assessment.refresh_from_db()
    assert assessment.guide_scan.name.startswith("prive/")
    assert assessment.guide_scan.name.endswith(".pdf")
    assert "Julie" not in assessment.guide_scan.name
    assert assessment.guide_original_name == "Outil 4 Julie.pdf"
    assert assessment.guide_content_type == "application/pdf"
    assert assessment.guide_size == len(pdf_upload().read())
    assert assessment.guide_sha256 == hashlib.sha256(pdf_upload().read()).hexdigest()
    assert len(_stored_files()) == 1


def test_guide_upload_replacement_deletes_previous_file(
    invited, assessment, assigned_assessor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.guide_upload(
            assessment=assessment, by=assigned_assessor, uploaded_file=pdf_upload()
        )
    first_name = Assessment.objects.get(pk=assessment.pk).guide_scan.name
    with django_capture_on_commit_callbacks(execute=True):
        services.guide_upload(
            assessment=assessment, by=assigned_assessor, uploaded_file=pdf_upload()
        )
    second_name = Assessment.objects.get(pk=assessment.pk).guide_scan.name
    assert second_name != first_name
    assert _stored_files() == [os.path.join(settings.MEDIA_ROOT, second_name)]


# --- Who writes: only the assigned assessor ------------------------------------------------


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


# --- « Clôturer l'évaluation »: what is missing ----------------------------------------------


def _complete_refused(dossier, by, expected):
    assert complete_missing(Dossier.objects.get(pk=dossier.pk)) == expected
    assert _refusal(lambda: services.assessment_complete(dossier=dossier, by=by)) == expected
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.state == DossierState.AWAITING_ASSESSMENT
    assert dossier.assessment.completed_at is None
    assert not DossierTransition.objects.filter(
        dossier=dossier, transition=Transition.COMPLETE_ASSESSMENT
    ).exists()


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


# --- Return for completion and the results --------------------------------------------------


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
