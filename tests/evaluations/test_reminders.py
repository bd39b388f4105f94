"""One reminder to a workplace assessor whose observations are still awaited after a week."""

import datetime

import pytest
import time_machine
from celery.schedules import crontab

from dossiers.enums import DossierState
from dossiers.models import Dossier
from dossiers.services import dossier_return_for_completion
from ecertif.celery import app
from evaluations import services
from evaluations.models import WorkplaceAssessorInvitation
from evaluations.tasks import send_invitation_reminders
from tests.evaluations.conftest import invite

pytestmark = pytest.mark.django_db

SENT = datetime.datetime(2026, 11, 2, 9, 30, tzinfo=datetime.UTC)
SUBJECT = "[e-Certif] Rappel : vos observations sont attendues"


@pytest.fixture
def invitation(submitted):
    with time_machine.travel(SENT, tick=False):
        invitation, _token = invite(submitted)
    return invitation


def _run(when, django_capture_on_commit_callbacks):
    with (
        time_machine.travel(when, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        return services.send_invitation_reminders()


def test_reminder_sent_once_after_seven_days(
    invitation, mailoutbox, django_capture_on_commit_callbacks
):
    when = SENT + datetime.timedelta(days=7)
    assert _run(when, django_capture_on_commit_callbacks) == 1
    assert [m.to for m in mailoutbox] == [["paul.tuteur@exemple.fr"]]
    email = mailoutbox[0]
    assert email.subject == SUBJECT
    assert "02/11/2026" in email.body
    assert "/evaluation-metier/" not in email.body
    invitation.refresh_from_db()
    assert invitation.reminder_sent_at == when


def test_reminder_not_sent_twice(invitation, mailoutbox, django_capture_on_commit_callbacks):
    _run(SENT + datetime.timedelta(days=7), django_capture_on_commit_callbacks)
    assert _run(SENT + datetime.timedelta(days=8), django_capture_on_commit_callbacks) == 0
    assert _run(SENT + datetime.timedelta(days=30), django_capture_on_commit_callbacks) == 0
    assert len(mailoutbox) == 1
    invitation.refresh_from_db()
    assert invitation.reminder_sent_at == SENT + datetime.timedelta(days=7)


def test_reminder_not_sent_after_six_days(
    invitation, mailoutbox, django_capture_on_commit_callbacks
):
    when = SENT + datetime.timedelta(days=6, hours=23, minutes=59)
    assert _run(when, django_capture_on_commit_callbacks) == 0
    assert mailoutbox == []
    invitation.refresh_from_db()
    assert invitation.reminder_sent_at is None


def test_reminder_not_sent_to_revoked_invitation(
    invitation, assigned_assessor, mailoutbox, django_capture_on_commit_callbacks
):
    services.invitation_revoke(invitation=invitation, by=assigned_assessor)
    assert _run(SENT + datetime.timedelta(days=7), django_capture_on_commit_callbacks) == 0
    assert mailoutbox == []


def test_reminder_not_sent_once_observations_received(
    invitation, mailoutbox, django_capture_on_commit_callbacks
):
    with time_machine.travel(SENT + datetime.timedelta(days=2), tick=False):
        services.workplace_observations_save(
            invitation=invitation, observations={}, general_observation="Très bien.", send=True
        )
    assert _run(SENT + datetime.timedelta(days=7), django_capture_on_commit_callbacks) == 0
    assert mailoutbox == []


def test_reminder_not_sent_to_expired_invitation(
    invitation, mailoutbox, django_capture_on_commit_callbacks
):
    WorkplaceAssessorInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=SENT + datetime.timedelta(days=5)
    )
    assert _run(SENT + datetime.timedelta(days=7), django_capture_on_commit_callbacks) == 0
    assert mailoutbox == []


def test_reminder_not_sent_after_natural_expiry(
    invitation, mailoutbox, django_capture_on_commit_callbacks
):
    assert _run(SENT + datetime.timedelta(days=60), django_capture_on_commit_callbacks) == 0
    assert mailoutbox == []


def test_reminder_not_sent_when_dossier_returned_for_completion(
    invitation, assigned_assessor, mailoutbox, django_capture_on_commit_callbacks
):
    dossier = Dossier.objects.get(pk=invitation.assessment.dossier_id)
    dossier_return_for_completion(dossier=dossier, by=assigned_assessor, reason="Pièce manquante.")
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.REGISTERING
    assert _run(SENT + datetime.timedelta(days=7), django_capture_on_commit_callbacks) == 0
    assert mailoutbox == []


def test_reminder_not_sent_when_assessment_closed(
    invitation, assigned_assessor, mailoutbox, django_capture_on_commit_callbacks
):
    Dossier.objects.filter(pk=invitation.assessment.dossier_id).update(
        state=DossierState.AWAITING_JURY
    )
    assert _run(SENT + datetime.timedelta(days=7), django_capture_on_commit_callbacks) == 0
    assert mailoutbox == []


def test_reminder_after_resend_waits_a_week_from_new_link(
    invitation, assigned_assessor, mailoutbox, django_capture_on_commit_callbacks
):
    resent_at = SENT + datetime.timedelta(days=5)
    with time_machine.travel(resent_at, tick=False):
        services.invitation_resend(invitation=invitation, by=assigned_assessor)
    assert _run(SENT + datetime.timedelta(days=7), django_capture_on_commit_callbacks) == 0
    assert _run(resent_at + datetime.timedelta(days=7), django_capture_on_commit_callbacks) == 1
    assert [m.subject for m in mailoutbox] == [SUBJECT]


def test_task_is_in_beat_schedule():
    entry = app.conf.beat_schedule["evaluations-invitation-reminders"]
    assert entry["task"] == "evaluations.send_invitation_reminders"
    assert entry["schedule"] == crontab(hour=8, minute=0)
    assert send_invitation_reminders.name == "evaluations.send_invitation_reminders"
    assert "evaluations.send_invitation_reminders" in app.tasks


def test_task_runs_eagerly(invitation, mailoutbox, django_capture_on_commit_callbacks):
    with (
        time_machine.travel(SENT + datetime.timedelta(days=7), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        result = send_invitation_reminders.delay()
    assert result.get() == 1
    assert [(m.to, m.subject) for m in mailoutbox] == [(["paul.tuteur@exemple.fr"], SUBJECT)]
    invitation.refresh_from_db()
    assert invitation.reminder_sent_at == SENT + datetime.timedelta(days=7)
