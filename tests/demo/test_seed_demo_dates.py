"""The demo's dates tell a possible story: every step in the past and in order, a decided
dossier decided on its jury's day after registering before the deadline, the assessor's
confirmation before the submission, the assessment's dates before its closing."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from dossiers.enums import Transition
from dossiers.models import Dossier
from jurys.models import SessionRegistration

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _seeded(settings):
    settings.DEBUG = True  # the demo commands refuse to run without it
    call_command("seed_demo", verbosity=0)


def test_every_step_is_in_the_past_and_in_order():
    now = timezone.now()
    for dossier in Dossier.objects.prefetch_related("transitions"):
        dates = [row.at for row in dossier.transitions.order_by("pk")]
        assert dates == sorted(dates), dossier.number
        assert all(at < now for at in dates), dossier.number
        assert dossier.created_at <= dates[0], dossier.number
        if dossier.assessor_confirmed_at and dossier.submitted_at:
            assert dossier.assessor_confirmed_at < dossier.submitted_at, dossier.number


def test_decided_dossiers_follow_their_session():
    decided = SessionRegistration.objects.filter(ended_at__isnull=False).select_related(
        "session", "dossier__assessment"
    )
    assert decided.count() == 3
    for registration in decided:
        session, dossier = registration.session, registration.dossier
        decision = dossier.transitions.get(transition=Transition.DECIDE)
        closing = dossier.transitions.get(transition=Transition.COMPLETE_ASSESSMENT)
        assert timezone.localtime(decision.at).date() == session.date
        assert registration.ended_at == decision.at
        assert closing.at < registration.registered_at
        assert timezone.localtime(registration.registered_at).date() < (
            session.registration_deadline
        )
        assessment = dossier.assessment
        assert assessment.last_date < timezone.localtime(closing.at).date()
        assert assessment.first_date <= assessment.last_date
        assert assessment.completed_at == closing.at
        assert session.date < datetime.date.today()
