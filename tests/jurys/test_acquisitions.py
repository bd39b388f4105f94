import datetime

import pytest
from django.utils import timezone

from jurys.models import CarriedCompetence, JuryDecision, JurySession
from jurys.services import decision_rows
from tests.factories.accounts import UserFactory
from tests.factories.dossiers import DossierFactory

pytestmark = pytest.mark.django_db


def test_expired_acquisition_is_decided_again():
    dossier = DossierFactory(awaiting_jury=True)
    competence = dossier.certification.competences.order_by("number").first()
    today = timezone.localdate()
    session = JurySession.objects.create(date=today, registration_deadline=today)
    decision = JuryDecision.objects.create(
        dossier=DossierFactory(partially_validated=True),
        session=session,
        outcome="partially_validated",
        recorded_by=UserFactory(),
    )
    CarriedCompetence.objects.create(
        dossier=dossier,
        competence=competence,
        source_decision=decision,
        valid_until=today - datetime.timedelta(days=1),
    )
    rows = {c.number: carried for c, _result, carried in decision_rows(dossier)}
    assert rows[competence.number] is None
