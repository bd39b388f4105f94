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
from dossiers.enums import DossierState
from dossiers.models import Dossier
from evaluations import services
from evaluations.enums import INVITATION_VALIDITY_DAYS, ResultChoice
from evaluations.models import Assessment, CompetenceResult, WorkplaceAssessorInvitation
from evaluations.services import NO_INVITATION
from tests.evaluations.conftest import invite, pdf_upload
from tests.evaluations.services.helpers import (
    FOREIGN_ROW,
    NOW,
    REVOKED,
    _refusal,
    _rows,
    _stored_files,
)
from tests.factories.accounts import UserFactory
from tests.factories.dossiers import DossierFactory
from tests.factories.evaluations import AccreditationFactory
from tests.factories.referentiel import CompetenceFactory

pytestmark = pytest.mark.django_db


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
