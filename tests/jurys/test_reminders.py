"""« Session approaching » reminders (SPEC §6): one email per member, a week before, once."""

import datetime

import pytest
import time_machine
from celery.schedules import crontab
from django.utils import timezone

from ecertif.celery import app
from ecertif.notifications.models import Notification
from jurys import services, tasks
from jurys.enums import College, SessionStatus
from jurys.models import JurySession
from tests.factories.accounts import UserFactory
from tests.factories.dossiers import DossierFactory
from tests.factories.jurys import (
    JuryMemberFactory,
    JurySessionFactory,
    SessionRegistrationFactory,
)

pytestmark = pytest.mark.django_db

DAY = datetime.date(2027, 3, 1)
IN_A_WEEK = datetime.date(2027, 3, 8)


@pytest.fixture
def members(db):
    return [
        JuryMemberFactory(college=College.EMPLOYERS, user=UserFactory(email="alice@jury.fr")),
        JuryMemberFactory(college=College.EMPLOYEES, user=UserFactory(email="bruno@jury.fr")),
    ]


@pytest.fixture
def upcoming(members, establishment):
    """A session in a week with two registered dossiers and a withdrawn one."""
    session = JurySessionFactory(
        open=True,
        date=IN_A_WEEK,
        registration_deadline=IN_A_WEEK - datetime.timedelta(days=14),
        members=members,
    )
    for _ in range(2):
        SessionRegistrationFactory(
            session=session, dossier=DossierFactory(awaiting_jury=True, establishment=establishment)
        )
    SessionRegistrationFactory(
        session=session,
        dossier=DossierFactory(awaiting_jury=True, establishment=establishment),
        ended_at=timezone.now(),
        end_reason="Retiré par l'employeur",
    )
    return session


def test_send_session_reminders_emails_every_member_once(
    upcoming, members, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        count = services.send_session_reminders(day=DAY)

    assert count == 2
    assert sorted(message.to for message in mailoutbox) == [["alice@jury.fr"], ["bruno@jury.fr"]]
    assert {message.subject for message in mailoutbox} == {
        "[e-Certif] Jury du 08/03/2027 : 2 dossier(s)"
    }
    body = mailoutbox[0].body
    assert (
        "Le jury paritaire national se réunit le 08/03/2027 (Maison de la Chimie, Paris)." in body
    )
    assert "2 dossiers y sont inscrits." in body
    assert f"/jurys/sessions/{upcoming.pk}/" in body
    assert sorted(Notification.objects.values_list("recipient__email", "text", "link")) == [
        (
            email,
            "Jury du 08/03/2027 dans 7 jours : 2 dossier(s).",
            f"/jurys/sessions/{upcoming.pk}/",
        )
        for email in ["alice@jury.fr", "bruno@jury.fr"]
    ]
    upcoming.refresh_from_db()
    assert upcoming.reminder_sent_at is not None


def test_send_session_reminders_never_twice(
    upcoming, mailoutbox, django_capture_on_commit_callbacks
):
    services.send_session_reminders(day=DAY)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_session_reminders(day=DAY) == 0
        assert services.send_session_reminders(day=DAY + datetime.timedelta(days=1)) == 0

    assert mailoutbox == []
    assert Notification.objects.count() == 2


def test_send_session_reminders_one_dossier_singular(
    members, establishment, mailoutbox, django_capture_on_commit_callbacks
):
    session = JurySessionFactory(
        open=True, date=IN_A_WEEK, registration_deadline=IN_A_WEEK, members=members[:1]
    )
    SessionRegistrationFactory(
        session=session, dossier=DossierFactory(awaiting_jury=True, establishment=establishment)
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_session_reminders(day=DAY) == 1

    assert mailoutbox[0].subject == "[e-Certif] Jury du 08/03/2027 : 1 dossier(s)"
    assert "1 dossier y est inscrit." in mailoutbox[0].body


@pytest.mark.parametrize("days", [0, 6, 8, 14])
def test_send_session_reminders_other_dates_ignored(members, mailoutbox, days):
    day = DAY + datetime.timedelta(days=days)
    JurySessionFactory(open=True, date=day, registration_deadline=day, members=members)

    assert services.send_session_reminders(day=DAY) == 0
    assert not Notification.objects.exists()
    assert JurySession.objects.get().reminder_sent_at is None


def test_send_session_reminders_closed_session_ignored(members, mailoutbox):
    JurySessionFactory(
        closed=True, date=IN_A_WEEK, registration_deadline=IN_A_WEEK, members=members
    )

    assert services.send_session_reminders(day=DAY) == 0
    assert not Notification.objects.exists()


def test_send_session_reminders_skips_inactive_members(members, mailoutbox):
    members[1].active = False
    members[1].save()
    JurySessionFactory(open=True, date=IN_A_WEEK, registration_deadline=IN_A_WEEK, members=members)

    assert services.send_session_reminders(day=DAY) == 1
    assert list(Notification.objects.values_list("recipient__email", flat=True)) == [
        "alice@jury.fr"
    ]


def test_send_session_reminders_task_uses_today(
    upcoming, mailoutbox, django_capture_on_commit_callbacks
):
    with (
        time_machine.travel(datetime.datetime(2027, 3, 1, 7, 30, tzinfo=datetime.UTC), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert tasks.send_session_reminders.delay().get() == 2

    assert len(mailoutbox) == 2
    upcoming.refresh_from_db()
    # The daily task also follows the calendar: its deadline passed a week ago.
    assert upcoming.status == SessionStatus.REGISTRATION_CLOSED
    assert upcoming.reminder_sent_at == datetime.datetime(2027, 3, 1, 7, 30, tzinfo=datetime.UTC)


def test_beat_schedule_runs_session_reminders_daily():
    entries = {entry["task"]: entry["schedule"] for entry in app.conf.beat_schedule.values()}

    assert entries["jurys.send_session_reminders"] == crontab(hour=7, minute=30)
    assert tasks.send_session_reminders.name == "jurys.send_session_reminders"


def test_sessions_refresh_statuses_follow_the_calendar(db):
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    upcoming = JurySessionFactory(open=True, date=today + 10 * day, registration_deadline=today)
    deadline_passed = JurySessionFactory(
        open=True, date=today + 5 * day, registration_deadline=today - day
    )
    held_empty = JurySessionFactory(open=True, date=today - day, registration_deadline=today - day)
    held_waiting = JurySessionFactory(
        open=True, date=today - day, registration_deadline=today - 2 * day
    )
    SessionRegistrationFactory(session=held_waiting)

    services.sessions_refresh_statuses(day=today)

    statuses = dict(JurySession.objects.values_list("pk", "status"))
    assert statuses == {
        upcoming.pk: SessionStatus.OPEN,
        deadline_passed.pk: SessionStatus.REGISTRATION_CLOSED,
        held_empty.pk: SessionStatus.CLOSED,
        held_waiting.pk: SessionStatus.HELD,
    }
