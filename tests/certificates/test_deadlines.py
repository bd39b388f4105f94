"""Reporting deadlines (issue #11 item 4): 3 months after issue, frozen clock."""

import datetime

import pytest
import time_machine
from celery.schedules import crontab
from django.core import mail

from certificates.accrochage import accrochage_export
from certificates.deadlines import add_months, reporting_status, send_reporting_reminder
from ecertif.celery import app
from jurys import services
from jurys.models import IssuedDocument
from tests.certificates.conftest import decided

PARIS = datetime.timezone(datetime.timedelta(hours=1))


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2026, 11, 30), 3, datetime.date(2027, 2, 28)),
        (datetime.date(2027, 11, 30), 3, datetime.date(2028, 2, 29)),
        (datetime.date(2026, 1, 15), 3, datetime.date(2026, 4, 15)),
        (datetime.date(2026, 5, 31), -3, datetime.date(2026, 2, 28)),
        (datetime.date(2026, 10, 31), 3, datetime.date(2027, 1, 31)),
    ],
)
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


@pytest.fixture
def three_parchemins(session, certification, establishment, president, partial):
    """Parchemins issued on 15/08, 30/11 (Paris) and 01/12/2026; `partial` is an attestation."""
    documents = []
    for index in range(3):
        dossier = decided(
            session,
            certification,
            establishment,
            president.user,
            validated={1, 2, 3},
            birth_name=f"Nom{index}",
        )
        documents.append(dossier.decisions.get().document)
    for document, day in zip(
        documents,
        [
            datetime.datetime(2026, 8, 15, 10, tzinfo=PARIS),
            datetime.datetime(2026, 11, 30, 23, 30, tzinfo=PARIS),
            datetime.datetime(2026, 12, 1, 9, tzinfo=PARIS),
        ],
        strict=True,
    ):
        IssuedDocument.objects.filter(pk=document.pk).update(issued_at=day)
    return documents


@pytest.mark.parametrize(
    ("today", "due", "late", "next_deadline"),
    [
        ((2026, 12, 1), 3, 1, (2027, 2, 28)),
        ((2026, 11, 15), 3, 0, (2026, 11, 15)),
        ((2026, 11, 16), 3, 1, (2027, 2, 28)),
        ((2027, 2, 28), 3, 1, (2027, 2, 28)),
        ((2027, 3, 1), 3, 2, (2027, 3, 1)),
        ((2027, 3, 2), 3, 3, None),
    ],
)
def test_reporting_status_with_a_frozen_clock(three_parchemins, today, due, late, next_deadline):
    with time_machine.travel(datetime.datetime(*today, 12, tzinfo=PARIS), tick=False):
        status = reporting_status()

    assert (status.due, status.late) == (due, late)
    assert status.next_deadline == (datetime.date(*next_deadline) if next_deadline else None)


def test_reported_and_revoked_parchemins_are_not_due(
    three_parchemins, settings, secretariat, certification
):
    settings.ACCROCHAGE_ID_CLIENT, settings.ACCROCHAGE_ID_CONTRAT = "AB123CDE", "MCFCER000123"
    certification.register_number = "35185"
    certification.save()
    first = three_parchemins[0]
    services.decision_revoke(dossier=first.decision.dossier, by=secretariat, reason="Erreur")
    assert reporting_status(datetime.date(2027, 3, 2)).due == 2

    accrochage_export(period_start=datetime.date(2000, 1, 1), period_end=datetime.date(2099, 1, 1))

    assert reporting_status(datetime.date(2027, 3, 2)).due == 0


def test_monthly_reminder_tells_the_secretariat(
    three_parchemins, secretariat, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sent = send_reporting_reminder(today=datetime.date(2027, 3, 1))

    assert sent == 1
    assert [m.to for m in mail.outbox] == [[secretariat.email]]
    assert mail.outbox[0].subject == ("[e-Certif] 3 parchemin(s) à déclarer à la Caisse des Dépôts")
    assert "dont 2 en retard" in mail.outbox[0].body
    assert "Prochaine échéance : 01/03/2027." in mail.outbox[0].body
    assert secretariat.notifications.get().text == (
        "Caisse des Dépôts : 3 parchemin(s) à déclarer, dont 2 en retard."
    )


def test_monthly_reminder_silent_when_nothing_waits(secretariat, db):
    assert send_reporting_reminder(today=datetime.date(2027, 3, 1)) == 0
    assert mail.outbox == []


def test_secretariat_home_shows_the_deadlines(client, three_parchemins, secretariat):
    with time_machine.travel(datetime.datetime(2027, 3, 1, 12, tzinfo=PARIS), tick=False):
        client.force_login(secretariat)
        response = client.get("/")

    content = " ".join(response.content.decode().split())
    assert (
        '<strong>3</strong> parchemins à déclarer, dont <span class="badge text-bg-danger">'
        "2 en retard</span> — prochaine échéance le 01/03/2027."
    ) in content


def test_beat_schedule_sends_the_reminder_monthly():
    entries = {entry["task"]: entry["schedule"] for entry in app.conf.beat_schedule.values()}

    assert entries["certificates.send_reporting_reminder"] == crontab(
        day_of_month=1, hour=8, minute=15
    )
