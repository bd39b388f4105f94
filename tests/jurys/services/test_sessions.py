"""Jury services (SPEC §3): sessions, registrations, decisions, revocation, reopening,
capitalisation and document numbers. Dossiers reach the jury through the real services."""

import pytest

from dossiers.enums import DossierState
from dossiers.exceptions import NOT_ALLOWED
from ecertif.notifications.models import Notification
from jurys import services
from jurys.enums import College, SessionStatus
from jurys.models import SessionRegistration
from jurys.rules import active_registration
from tests.factories.jurys import JuryMemberFactory, JurySessionFactory
from tests.jurys.services.helpers import NO_EMPLOYEES, NO_EMPLOYERS, fmt, refusal


def test_session_open_without_any_member_refused(secretariat):
    planned = JurySessionFactory()

    messages = refusal(lambda: services.session_open(session=planned, by=secretariat))

    assert messages == [NO_EMPLOYERS, NO_EMPLOYEES]
    planned.refresh_from_db()
    assert planned.status == SessionStatus.PLANNED


@pytest.mark.parametrize(
    ("college", "message"),
    [(College.EMPLOYEES, NO_EMPLOYERS), (College.EMPLOYERS, NO_EMPLOYEES)],
)
def test_session_open_with_one_college_refused(secretariat, college, message):
    planned = JurySessionFactory(members=[JuryMemberFactory(college=college)])

    assert refusal(lambda: services.session_open(session=planned, by=secretariat)) == [message]
    planned.refresh_from_db()
    assert planned.status == SessionStatus.PLANNED


def test_session_open_president_not_member_refused(secretariat, employers_member, employees_member):
    outsider = JuryMemberFactory()
    planned = JurySessionFactory(members=[employers_member, employees_member], president=outsider)

    assert refusal(lambda: services.session_open(session=planned, by=secretariat)) == [
        "Le président doit être membre de la session."
    ]


def test_session_open_with_both_colleges(secretariat, employers_member, employees_member):
    planned = JurySessionFactory(
        members=[employers_member, employees_member],
        president=employers_member,
        vice_president=employees_member,
    )

    opened = services.session_open(session=planned, by=secretariat)

    assert opened.status == SessionStatus.OPEN
    planned.refresh_from_db()
    assert planned.status == SessionStatus.OPEN


def test_session_open_already_open_refused(session, secretariat):
    assert refusal(lambda: services.session_open(session=session, by=secretariat)) == [
        "Seule une session planifiée peut être ouverte aux inscriptions."
    ]


def test_session_open_by_member_not_allowed(employers_member, employees_member):
    planned = JurySessionFactory(members=[employers_member, employees_member])

    assert refusal(lambda: services.session_open(session=planned, by=employers_member.user)) == [
        NOT_ALLOWED
    ]


def test_session_close_releases_undecided_dossiers(
    session, registered, partial_other, owner, secretariat
):
    released = services.session_close(session=session, by=secretariat)

    session.refresh_from_db()
    assert session.status == SessionStatus.CLOSED
    assert [registration.dossier for registration in released] == [registered]
    registration = SessionRegistration.objects.get(dossier=registered)
    assert registration.ended_at is not None
    assert registration.end_reason == "Non examiné : à inscrire à une autre session"
    assert active_registration(registered) is None
    registered.refresh_from_db()
    assert registered.state == DossierState.AWAITING_JURY
    assert list(
        Notification.objects.filter(text__contains="n'a pas été examiné").values_list(
            "recipient", "text", "link"
        )
    ) == [
        (
            owner.pk,
            f"Le dossier {registered.number} n'a pas été examiné par le jury du "
            f"{fmt(session.date)} : inscrivez-le à une autre session.",
            f"/dossiers/{registered.pk}/",
        )
    ]
    # The decided dossier keeps its registration as it was.
    decided = SessionRegistration.objects.get(dossier=partial_other)
    assert decided.end_reason == "Examiné par le jury"


def test_session_close_twice_refused(session, secretariat):
    services.session_close(session=session, by=secretariat)

    assert refusal(lambda: services.session_close(session=session, by=secretariat)) == [
        "Cette session est déjà clôturée."
    ]


def test_session_close_by_member_not_allowed(session, session_member, registered):
    assert refusal(lambda: services.session_close(session=session, by=session_member)) == [
        NOT_ALLOWED
    ]
    session.refresh_from_db()
    assert session.status == SessionStatus.OPEN
    assert active_registration(registered).session == session
