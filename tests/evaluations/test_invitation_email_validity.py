"""The invitation email gives the link's last day, not « valable 1 mois, 4 semaines » (#12)."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from tests.evaluations.workplace.helpers import invite, submitted_dossier

pytestmark = pytest.mark.django_db


def test_invitation_email_says_valid_until_a_date(mailoutbox, django_capture_on_commit_callbacks):
    dossier = submitted_dossier()
    moment = datetime.datetime(2026, 11, 2, 9, 30, tzinfo=datetime.UTC)
    with time_machine.travel(moment, tick=False), django_capture_on_commit_callbacks(execute=True):
        invitation, _token = invite(dossier)

    mail = [m for m in mailoutbox if m.to == [invitation.email]][-1]
    last_day = timezone.localtime(invitation.expires_at).strftime("%d/%m/%Y")
    assert last_day == "01/01/2027"
    assert f"valable jusqu'au {last_day}, à ne pas transmettre" in mail.body
    assert f"valable jusqu'au {last_day}" in mail.alternatives[0][0]
    assert "mois" not in mail.body
