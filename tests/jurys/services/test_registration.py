"""Jury services (SPEC §3): sessions, registrations, decisions, revocation, reopening,
capitalisation and document numbers. Dossiers reach the jury through the real services."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from dossiers.enums import DossierState
from dossiers.exceptions import NOT_ALLOWED
from ecertif.mail.models import OutboxEmail
from jurys import services
from jurys.enums import SessionStatus
from jurys.models import SessionRegistration
from jurys.rules import active_registration
from tests.factories.dossiers import DossierFactory
from tests.factories.jurys import JurySessionFactory
from tests.jurys.services.helpers import (
    ALREADY_REGISTERED,
    NOT_REGISTERED,
    ONLY_AWAITING_JURY,
    TOO_LATE,
    WITHDRAW_TOO_LATE,
    fmt,
    noon,
    refusal,
)


def test_registration_create_registers_and_emails_secretariat(
    awaiting, session, owner, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        registration = services.registration_create(dossier=awaiting, session=session, by=owner)

    assert (registration.dossier, registration.session, registration.registered_by) == (
        awaiting,
        session,
        owner,
    )
    assert registration.ended_at is None
    assert active_registration(awaiting) == registration
    assert [message.to for message in mailoutbox] == [[settings.SECRETARIAT_EMAIL]]
    assert mailoutbox[0].subject == (
        f"[e-Certif] Dossier {awaiting.number} inscrit au jury du {fmt(session.date)}"
    )
    assert f"/jurys/sessions/{session.pk}/" in mailoutbox[0].body
    awaiting.refresh_from_db()
    assert awaiting.state == DossierState.AWAITING_JURY


def test_registration_create_after_deadline_refused(awaiting, owner):
    today = timezone.localdate()
    late = JurySessionFactory(
        open=True,
        date=today + datetime.timedelta(days=10),
        registration_deadline=today - datetime.timedelta(days=1),
    )
    emails = OutboxEmail.objects.count()

    messages = refusal(
        lambda: services.registration_create(dossier=awaiting, session=late, by=owner)
    )

    assert messages == [TOO_LATE]
    assert not SessionRegistration.objects.filter(dossier=awaiting).exists()
    assert OutboxEmail.objects.count() == emails


def test_registration_create_on_deadline_day_accepted(awaiting, owner):
    today = timezone.localdate()
    last_day = JurySessionFactory(
        open=True, date=today + datetime.timedelta(days=10), registration_deadline=today
    )

    registration = services.registration_create(dossier=awaiting, session=last_day, by=owner)

    assert registration.session == last_day


@pytest.mark.parametrize("status", [SessionStatus.PLANNED, SessionStatus.CLOSED])
def test_registration_create_session_not_open_refused(awaiting, owner, status):
    session = JurySessionFactory(status=status)

    messages = refusal(
        lambda: services.registration_create(dossier=awaiting, session=session, by=owner)
    )

    assert messages == [TOO_LATE]
    assert not SessionRegistration.objects.filter(dossier=awaiting).exists()


def test_registration_create_not_awaiting_jury_refused(establishment, owner, session):
    dossier = DossierFactory(establishment=establishment, awaiting_assessment=True)

    messages = refusal(
        lambda: services.registration_create(dossier=dossier, session=session, by=owner)
    )

    assert messages == [ONLY_AWAITING_JURY]
    assert not SessionRegistration.objects.exists()


def test_registration_create_decided_dossier_refused(partial, owner, session):
    messages = refusal(
        lambda: services.registration_create(dossier=partial, session=session, by=owner)
    )

    assert messages == [ONLY_AWAITING_JURY]


def test_registration_create_already_registered_refused(registered, owner, session):
    other = JurySessionFactory(open=True)

    messages = refusal(
        lambda: services.registration_create(dossier=registered, session=other, by=owner)
    )

    assert messages == [ALREADY_REGISTERED]
    assert [r.session for r in SessionRegistration.objects.filter(dossier=registered)] == [session]


@pytest.mark.parametrize("who", ["secretariat", "other_employer", "assessor", "session_member"])
def test_registration_create_by_non_employer_not_allowed(awaiting, session, who, request):
    user = request.getfixturevalue(who)

    messages = refusal(
        lambda: services.registration_create(dossier=awaiting, session=session, by=user)
    )

    assert messages == [NOT_ALLOWED]
    assert not SessionRegistration.objects.exists()


def test_open_sessions_only_open_and_before_deadline(db):
    today = timezone.localdate()
    later = JurySessionFactory(open=True, date=today + datetime.timedelta(days=60))
    sooner = JurySessionFactory(
        open=True, date=today + datetime.timedelta(days=5), registration_deadline=today
    )
    JurySessionFactory(
        open=True,
        date=today + datetime.timedelta(days=5),
        registration_deadline=today - datetime.timedelta(days=1),
    )
    JurySessionFactory()  # planned
    JurySessionFactory(closed=True)

    assert list(services.open_sessions()) == [sooner, later]


def test_registration_withdraw_before_deadline(awaiting, owner, employers_member):
    future = JurySessionFactory(open=True, members=[employers_member])
    services.registration_create(dossier=awaiting, session=future, by=owner)

    registration = services.registration_withdraw(dossier=awaiting, by=owner)

    assert registration.ended_at is not None
    assert registration.end_reason == "Retiré par l'employeur"
    assert active_registration(awaiting) is None
    # « À inscrire » again: it may be registered anew.
    again = services.registration_create(dossier=awaiting, session=future, by=owner)
    assert again.pk != registration.pk


def test_registration_withdraw_after_deadline_refused(awaiting, owner):
    future = JurySessionFactory(open=True)
    services.registration_create(dossier=awaiting, session=future, by=owner)

    with time_machine.travel(noon(future.registration_deadline + datetime.timedelta(days=1))):
        messages = refusal(lambda: services.registration_withdraw(dossier=awaiting, by=owner))

    assert messages == [WITHDRAW_TOO_LATE]
    assert active_registration(awaiting).session == future


def test_registration_withdraw_unregistered_refused(awaiting, owner):
    assert refusal(lambda: services.registration_withdraw(dossier=awaiting, by=owner)) == [
        NOT_REGISTERED
    ]


def test_registration_withdraw_by_assessor_before_deadline_not_allowed(awaiting, owner, assessor):
    future = JurySessionFactory(open=True)
    services.registration_create(dossier=awaiting, session=future, by=owner)

    assert refusal(lambda: services.registration_withdraw(dossier=awaiting, by=assessor)) == [
        NOT_ALLOWED
    ]
    assert active_registration(awaiting).session == future


def test_registration_withdraw_by_assessor_after_deadline_not_allowed(awaiting, owner, assessor):
    future = JurySessionFactory(open=True)
    services.registration_create(dossier=awaiting, session=future, by=owner)

    with time_machine.travel(noon(future.registration_deadline + datetime.timedelta(days=1))):
        messages = refusal(lambda: services.registration_withdraw(dossier=awaiting, by=assessor))

    assert messages == [NOT_ALLOWED]


def test_registration_move_by_secretariat(registered, session, secretariat):
    target = JurySessionFactory()

    moved = services.registration_move(dossier=registered, session=target, by=secretariat)

    assert (moved.session, moved.registered_by, moved.ended_at) == (target, secretariat, None)
    previous = SessionRegistration.objects.get(dossier=registered, session=session)
    assert previous.ended_at is not None
    assert previous.end_reason == f"Déplacé vers le jury du {fmt(target.date)}"
    assert active_registration(registered) == moved


def test_registration_move_by_employer_not_allowed(registered, session, owner):
    target = JurySessionFactory(open=True)

    messages = refusal(
        lambda: services.registration_move(dossier=registered, session=target, by=owner)
    )

    assert messages == [NOT_ALLOWED]
    assert active_registration(registered).session == session


def test_registration_move_to_same_session_refused(registered, session, secretariat):
    messages = refusal(
        lambda: services.registration_move(dossier=registered, session=session, by=secretariat)
    )

    assert messages == ["Le dossier est déjà inscrit à cette session."]


def test_registration_move_to_closed_session_refused(registered, session, secretariat):
    closed = JurySessionFactory(closed=True)

    messages = refusal(
        lambda: services.registration_move(dossier=registered, session=closed, by=secretariat)
    )

    assert messages == ["Impossible d'inscrire un dossier à une session clôturée."]
    assert active_registration(registered).session == session


def test_registration_move_unregistered_refused(awaiting, secretariat):
    messages = refusal(
        lambda: services.registration_move(
            dossier=awaiting, session=JurySessionFactory(), by=secretariat
        )
    )

    assert messages == [NOT_REGISTERED]
