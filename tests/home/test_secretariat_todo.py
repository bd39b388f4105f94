"""The secretariat's home page is a to-do list (issue #12): registrations to check, sessions to
prepare, decisions to record, failed emails, accreditations about to expire."""

import datetime

import pytest
from django.utils import timezone

from ecertif.mail.enums import EmailStatus
from ecertif.mail.models import OutboxEmail
from home.todo import secretariat_todo
from tests.factories.accounts import StaffFactory
from tests.factories.evaluations import AccreditationFactory
from tests.factories.jurys import JurySessionFactory, SessionRegistrationFactory

pytestmark = pytest.mark.django_db


def _days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def todo_data():
    upcoming = JurySessionFactory(open=True)
    registration = SessionRegistrationFactory(session=upcoming)
    held = JurySessionFactory(open=True, date=_days(-3), registration_deadline=_days(-10))
    SessionRegistrationFactory(session=held)
    OutboxEmail.objects.create(
        recipient="perdu@exemple.fr", subject="Dossier soumis", status=EmailStatus.FAILED
    )
    OutboxEmail.objects.create(recipient="ok@exemple.fr", subject="Envoyé", status="sent")
    expiring = AccreditationFactory(valid_until=_days(20))
    AccreditationFactory(valid_until=_days(200))
    return {"upcoming": upcoming, "registration": registration, "held": held, "expiring": expiring}


def test_secretariat_todo_lists_what_waits(todo_data):
    todo = secretariat_todo()

    assert todo["registrations"][0] == [todo_data["registration"]]
    assert todo["to_prepare"][0] == [todo_data["upcoming"]]
    assert todo["to_prepare"][0][0].registered == 1
    assert todo["to_decide"][0] == [todo_data["held"]]
    assert todo["to_decide"][0][0].undecided == 1
    assert [email.recipient for email in todo["failed_emails"][0]] == ["perdu@exemple.fr"]
    assert todo["expiring"] == ([todo_data["expiring"]], 1)


def test_secretariat_home_shows_every_list(client, todo_data):
    client.force_login(StaffFactory())
    html = client.get("/").content.decode().replace("&#x27;", "'")

    for title in [
        "Inscriptions aux jurys à vérifier",
        "Sessions à préparer",
        "Décisions à enregistrer",
        "Courriels en échec",
        "Habilitations bientôt expirées",
        "Demandes de création de compte à traiter",
    ]:
        assert title in html
    assert "Dossier soumis → perdu@exemple.fr" in html
    assert f"valable jusqu'au {_days(20):%d/%m/%Y}" in html
    assert "1 dossier sans décision" in html
