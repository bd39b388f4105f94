"""Jury services (SPEC §3): sessions, registrations, decisions, revocation, reopening,
capitalisation and document numbers. Dossiers reach the jury through the real services."""

import contextlib
import datetime

import pytest
import time_machine
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from dossiers.enums import DossierState, Transition
from dossiers.exceptions import ALREADY_MOVED, NOT_ALLOWED, DossierActionError
from dossiers.models import Dossier, DossierTransition
from dossiers.services import dossier_delete, dossier_submit
from ecertif.mail.models import OutboxEmail
from ecertif.notifications.models import Notification
from evaluations.models import Assessment
from jurys import services
from jurys.enums import College, DocumentKind, Outcome, SessionStatus
from jurys.models import (
    CarriedCompetence,
    DocumentSeries,
    IssuedDocument,
    JuryDecision,
    SessionRegistration,
)
from jurys.rules import active_registration
from tests.factories.accounts import UserFactory
from tests.factories.dossiers import DossierFactory
from tests.factories.evaluations import AccreditationFactory
from tests.factories.jurys import JuryMemberFactory, JurySessionFactory
from tests.jurys.conftest import (
    decide,
    evaluate,
    evaluated_dossier,
    prepare_represented,
    verdicts,
)

TOO_LATE = (
    "Cette session n'accepte plus d'inscriptions (date limite dépassée ou session fermée) : "
    "choisissez-en une autre."
)
ONLY_AWAITING_JURY = "Seul un dossier « En attente de jury » peut être inscrit à une session."
ALREADY_REGISTERED = "Ce dossier est déjà inscrit à une session."
NOT_REGISTERED = "Ce dossier n'est inscrit à aucune session."
WITHDRAW_TOO_LATE = (
    "La date limite d'inscription est passée : le retrait n'est plus possible. "
    "Contactez le secrétariat des CQP."
)
NO_SESSION = "Le dossier n'est inscrit à aucune session du jury."
REOPEN_REGISTERED = "Le dossier est inscrit à une session : retirez-le d'abord de la session."
ONLY_PARTIAL = "Seul un dossier « Partiel » permet de représenter le candidat."
NO_EMPLOYERS = "Ajoutez au moins un membre du collège employeurs."
NO_EMPLOYEES = "Ajoutez au moins un membre du collège salariés."


def refusal(call):
    with pytest.raises(DossierActionError) as caught:
        call()
    return caught.value.messages


def years_later(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def fmt(day):
    return f"{day:%d/%m/%Y}"


def noon(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12, 0)))


def history(dossier):
    return [
        (row.transition, row.source, row.target, row.actor_id, row.reason)
        for row in DossierTransition.objects.filter(dossier=dossier).exclude(
            transition__in=[Transition.SUBMIT, Transition.COMPLETE_ASSESSMENT]
        )
    ]


def lines(decision):
    return [
        (line.competence.number, line.validated, line.motivation, line.carried)
        for line in decision.competences.select_related("competence").order_by("competence__number")
    ]


def assert_undecided(dossier):
    """A refused decision leaves no trace."""
    dossier.refresh_from_db()
    assert dossier.state == DossierState.AWAITING_JURY
    assert not JuryDecision.objects.filter(dossier=dossier).exists()
    assert not IssuedDocument.objects.exists()
    assert not DossierTransition.objects.filter(
        dossier=dossier, transition=Transition.DECIDE
    ).exists()


# Outcome


@pytest.mark.parametrize(
    ("flags", "outcome"),
    [
        ([True, True, True], Outcome.VALIDATED),
        ([True], Outcome.VALIDATED),
        ([True, False, True], Outcome.PARTIALLY_VALIDATED),
        ([False, True], Outcome.PARTIALLY_VALIDATED),
        ([False, False, False], Outcome.NOT_VALIDATED),
        ([False], Outcome.NOT_VALIDATED),
        ([], Outcome.NOT_VALIDATED),
    ],
)
def test_outcome_for_table(flags, outcome):
    assert services.outcome_for(flags) == outcome


def test_outcome_for_accepts_a_generator():
    assert services.outcome_for(flag for flag in [True, False]) == Outcome.PARTIALLY_VALIDATED


# Document numbers


def test_next_document_number_format_and_one_series_per_kind(db):
    year = timezone.localdate().year
    assert services.next_document_number(kind=DocumentKind.CERTIFICATE) == f"P-{year}-00001"
    assert services.next_document_number(kind=DocumentKind.ATTESTATION) == f"A-{year}-00001"
    assert services.next_document_number(kind=DocumentKind.CERTIFICATE) == f"P-{year}-00002"
    assert DocumentSeries.objects.get(year=year, kind=DocumentKind.CERTIFICATE).last_value == 2


def test_next_document_number_one_sequence_per_year(db):
    assert services.next_document_number(kind=DocumentKind.CERTIFICATE, year=2030) == (
        "P-2030-00001"
    )
    assert services.next_document_number(kind=DocumentKind.CERTIFICATE, year=2031) == (
        "P-2031-00001"
    )
    assert services.next_document_number(kind=DocumentKind.ATTESTATION, year=2030) == (
        "A-2030-00001"
    )
    assert sorted(DocumentSeries.objects.values_list("kind", "year", "last_value")) == [
        (DocumentKind.ATTESTATION, 2030, 1),
        (DocumentKind.CERTIFICATE, 2030, 1),
        (DocumentKind.CERTIFICATE, 2031, 1),
    ]


def test_next_document_number_follows_the_local_year(db):
    # 31 December 23:30 UTC is already 1 January in Paris.
    with time_machine.travel(datetime.datetime(2030, 12, 31, 23, 30, tzinfo=datetime.UTC)):
        assert services.next_document_number(kind=DocumentKind.CERTIFICATE) == "P-2031-00001"


# Decide: success


def test_decide_all_validated_records_everything(registered, session, session_member, owner):
    year = timezone.localdate().year

    decision = decide(registered, session_member, {1, 2, 3}, motivation="  Très bon dossier. ")

    registered.refresh_from_db()
    assert registered.state == DossierState.VALIDATED
    assert (decision.dossier, decision.session, decision.outcome) == (
        registered,
        session,
        Outcome.VALIDATED,
    )
    assert decision.motivation == "Très bon dossier."
    assert decision.recorded_by == session_member
    assert decision.revoked_at is None
    assert lines(decision) == [(1, True, "", False), (2, True, "", False), (3, True, "", False)]
    assert history(registered)[-1] == (
        Transition.DECIDE,
        DossierState.AWAITING_JURY,
        DossierState.VALIDATED,
        session_member.pk,
        "Très bon dossier.",
    )
    registration = SessionRegistration.objects.get(dossier=registered)
    assert registration.ended_at is not None
    assert registration.end_reason == "Examiné par le jury"
    assert active_registration(registered) is None
    document = IssuedDocument.objects.get()
    assert (document.decision, document.kind, document.number) == (
        decision,
        DocumentKind.CERTIFICATE,
        f"P-{year}-00001",
    )


def test_decide_partial_issues_an_attestation(registered, session_member):
    year = timezone.localdate().year

    decision = decide(registered, session_member, {1, 3}, motivations={2: " Non démontrée. "})

    registered.refresh_from_db()
    assert registered.state == DossierState.PARTIALLY_VALIDATED
    assert decision.outcome == Outcome.PARTIALLY_VALIDATED
    assert lines(decision) == [
        (1, True, "", False),
        (2, False, "Non démontrée.", False),
        (3, True, "", False),
    ]
    assert (decision.document.kind, decision.document.number) == (
        DocumentKind.ATTESTATION,
        f"A-{year}-00001",
    )


def test_decide_none_validated_issues_no_document(registered, session_member):
    motivations = {n: f"Insuffisant sur C{n}." for n in (1, 2, 3)}

    decision = decide(registered, session_member, set(), motivations=motivations)

    registered.refresh_from_db()
    assert registered.state == DossierState.NOT_VALIDATED
    assert decision.outcome == Outcome.NOT_VALIDATED
    assert [validated for _n, validated, _m, _c in lines(decision)] == [False, False, False]
    assert not IssuedDocument.objects.exists()
    assert not DocumentSeries.objects.exists()
    assert history(registered)[-1][:3] == (
        Transition.DECIDE,
        DossierState.AWAITING_JURY,
        DossierState.NOT_VALIDATED,
    )


def test_decide_notifies_employer_and_assessor(
    registered, session_member, owner, assessor, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        decide(registered, session_member, {1, 2}, motivations={3: "Non démontrée."})

    number = registered.number
    assert [message.to for message in mailoutbox] == [[owner.email], [assessor.email]]
    assert {message.subject for message in mailoutbox} == {
        f"[e-Certif] Décision du jury — dossier {number} : Partiel"
    }
    assert f"/dossiers/{registered.pk}/" in mailoutbox[0].body
    assert "Partiel" in mailoutbox[0].body
    notifications = Notification.objects.filter(text__startswith="Décision du jury")
    text = f"Décision du jury pour le dossier {number} : Partiel."
    link = f"/dossiers/{registered.pk}/"
    assert sorted((n.recipient_id, n.text, n.link) for n in notifications) == sorted(
        [(owner.pk, text, link), (assessor.pk, text, link)]
    )


def test_decide_by_secretariat_for_the_jury(registered, secretariat):
    decision = decide(registered, secretariat, {1, 2, 3})

    assert decision.recorded_by == secretariat
    registered.refresh_from_db()
    assert registered.state == DossierState.VALIDATED


def test_decide_motivation_given_when_departing_from_assessor_accepted(registered, session_member):
    decision = decide(registered, session_member, {1, 2}, motivations={3: "Écart motivé."})

    assert lines(decision)[2] == (3, False, "Écart motivé.", False)


def test_decide_agreeing_with_a_not_acquired_result_needs_no_motivation(
    establishment, certification, owner, session, session_member
):
    dossier = evaluated_dossier(
        establishment=establishment,
        certification=certification,
        owner=owner,
        results={2: "not_acquired"},
    )
    services.registration_create(dossier=dossier, session=session, by=owner)

    decision = decide(dossier, session_member, {1, 3})

    assert decision.outcome == Outcome.PARTIALLY_VALIDATED
    assert lines(decision)[1] == (2, False, "", False)


# Decide: refusals (each alone)


def test_decide_before_session_date_refused(awaiting, owner, employers_member, employees_member):
    future = JurySessionFactory(open=True, members=[employers_member, employees_member])
    services.registration_create(dossier=awaiting, session=future, by=owner)

    messages = refusal(lambda: decide(awaiting, employers_member.user, {1, 2, 3}))

    assert messages == [
        f"La session du {fmt(future.date)} n'a pas encore eu lieu : la décision s'enregistre "
        "à partir de cette date."
    ]
    assert_undecided(awaiting)
    assert active_registration(awaiting).session == future


def test_decide_unregistered_dossier_refused(awaiting, secretariat):
    assert refusal(lambda: decide(awaiting, secretariat, {1, 2, 3})) == [NO_SESSION]
    assert_undecided(awaiting)


def test_decide_unregistered_dossier_by_jury_member_not_allowed(awaiting, session_member):
    assert refusal(lambda: decide(awaiting, session_member, {1, 2, 3})) == [NOT_ALLOWED]
    assert_undecided(awaiting)


def test_decide_not_awaiting_jury_already_moved(partial, session_member):
    assert refusal(lambda: decide(partial, session_member, {1, 2, 3})) == [ALREADY_MOVED]
    partial.refresh_from_db()
    assert partial.state == DossierState.PARTIALLY_VALIDATED
    assert JuryDecision.objects.filter(dossier=partial).count() == 1


def test_decide_competence_missing_refused(registered, session_member):
    competences = verdicts(registered, {1, 2, 3})
    c2 = registered.certification.competences.get(number=2)
    del competences[c2.pk]

    messages = refusal(
        lambda: services.decide(dossier=registered, by=session_member, competences=competences)
    )

    assert messages == ["Décidez de la compétence C2."]
    assert_undecided(registered)


def test_decide_every_competence_missing_lists_each(registered, session_member):
    messages = refusal(
        lambda: services.decide(dossier=registered, by=session_member, competences={})
    )

    assert messages == [
        "Décidez de la compétence C1.",
        "Décidez de la compétence C2.",
        "Décidez de la compétence C3.",
    ]


@pytest.mark.parametrize("motivation", ["", "   "])
def test_decide_departing_from_assessor_without_motivation_refused(
    registered, session_member, motivation
):
    messages = refusal(
        lambda: decide(registered, session_member, {1, 2}, motivations={3: motivation})
    )

    assert messages == ["Motivez la décision sur C3 : elle diffère du résultat de l'évaluateur."]
    assert_undecided(registered)


def test_decide_validating_a_not_acquired_result_without_motivation_refused(
    establishment, certification, owner, session, session_member
):
    dossier = evaluated_dossier(
        establishment=establishment,
        certification=certification,
        owner=owner,
        results={1: "not_acquired"},
    )
    services.registration_create(dossier=dossier, session=session, by=owner)

    messages = refusal(lambda: decide(dossier, session_member, {1, 2, 3}))

    assert messages == ["Motivez la décision sur C1 : elle diffère du résultat de l'évaluateur."]
    assert_undecided(dossier)


@pytest.mark.parametrize("who", ["owner", "assessor", "other_session_member", "other_employer"])
def test_decide_by_someone_else_not_allowed(registered, who, request):
    user = request.getfixturevalue(who)

    assert refusal(lambda: decide(registered, user, {1, 2, 3})) == [NOT_ALLOWED]
    assert_undecided(registered)


def test_decide_by_inactive_member_not_allowed(registered, employers_member):
    employers_member.active = False
    employers_member.save()

    assert refusal(lambda: decide(registered, employers_member.user, {1, 2, 3})) == [NOT_ALLOWED]
    assert_undecided(registered)


# Registration


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


# Sessions


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


@pytest.fixture
def partial_other(establishment, certification, owner, session, session_member):
    """A second dossier of the session, decided « Partiel »."""
    dossier = evaluated_dossier(
        establishment=establishment, certification=certification, owner=owner
    )
    services.registration_create(dossier=dossier, session=session, by=owner)
    decide(dossier, session_member, {1, 2}, motivations={3: "Non démontrée."})
    return dossier


# Revoke


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_decision_revoke_requires_reason(partial, secretariat, reason):
    messages = refusal(
        lambda: services.decision_revoke(dossier=partial, by=secretariat, reason=reason)
    )

    assert messages == ["Indiquez le motif de l'annulation."]
    partial.refresh_from_db()
    assert partial.state == DossierState.PARTIALLY_VALIDATED


@pytest.mark.parametrize("who", ["owner", "session_member", "assessor"])
def test_decision_revoke_by_non_secretariat_not_allowed(partial, who, request):
    user = request.getfixturevalue(who)

    messages = refusal(
        lambda: services.decision_revoke(dossier=partial, by=user, reason="Erreur de saisie")
    )

    assert messages == [NOT_ALLOWED]
    assert JuryDecision.objects.get(dossier=partial).revoked_at is None


def test_decision_revoke_keeps_the_old_decision(partial, secretariat, session_member):
    decision = JuryDecision.objects.get(dossier=partial)
    document = decision.document

    revoked = services.decision_revoke(
        dossier=partial, by=secretariat, reason="  Erreur de saisie sur C2. "
    )

    partial.refresh_from_db()
    assert partial.state == DossierState.AWAITING_JURY
    assert revoked.pk == decision.pk
    decision.refresh_from_db()
    assert decision.revoked_at is not None
    assert decision.revoked_by == secretariat
    assert decision.revoke_reason == "Erreur de saisie sur C2."
    assert decision.outcome == Outcome.PARTIALLY_VALIDATED
    assert lines(decision) == [
        (1, True, "", False),
        (2, True, "", False),
        (3, False, "Consignation non maîtrisée.", False),
    ]
    assert IssuedDocument.objects.get() == document
    assert history(partial) == [
        (
            Transition.DECIDE,
            DossierState.AWAITING_JURY,
            DossierState.PARTIALLY_VALIDATED,
            session_member.pk,
            "",
        ),
        (
            Transition.REVOKE_DECISION,
            DossierState.PARTIALLY_VALIDATED,
            DossierState.AWAITING_JURY,
            secretariat.pk,
            "Erreur de saisie sur C2.",
        ),
    ]


def test_decision_revoke_twice_already_moved(partial, secretariat):
    services.decision_revoke(dossier=partial, by=secretariat, reason="Erreur")

    assert refusal(
        lambda: services.decision_revoke(dossier=partial, by=secretariat, reason="Encore")
    ) == [ALREADY_MOVED]


def test_decide_after_revoke_gets_a_new_document_number(
    partial, session, secretariat, owner, session_member
):
    year = timezone.localdate().year
    first = JuryDecision.objects.get(dossier=partial)
    services.decision_revoke(dossier=partial, by=secretariat, reason="Erreur sur C3")
    services.registration_create(dossier=partial, session=session, by=owner)

    second = decide(partial, session_member, {1, 2, 3})

    partial.refresh_from_db()
    assert partial.state == DossierState.VALIDATED
    assert second.pk != first.pk
    assert list(
        IssuedDocument.objects.order_by("number").values_list("decision", "kind", "number")
    ) == [
        (first.pk, DocumentKind.ATTESTATION, f"A-{year}-00001"),
        (second.pk, DocumentKind.CERTIFICATE, f"P-{year}-00001"),
    ]
    assert [(d.pk, d.revoked_at is None) for d in JuryDecision.objects.filter(dossier=partial)] == [
        (second.pk, True),
        (first.pk, False),
    ]
    assert [row[0] for row in history(partial)] == [
        Transition.DECIDE,
        Transition.REVOKE_DECISION,
        Transition.DECIDE,
    ]


# Reopen


def test_assessment_reopen_while_registered_refused(registered, secretariat):
    messages = refusal(
        lambda: services.assessment_reopen(dossier=registered, by=secretariat, reason="Pièce")
    )

    assert messages == [REOPEN_REGISTERED]
    registered.refresh_from_db()
    assert registered.state == DossierState.AWAITING_JURY


@pytest.mark.parametrize("reason", ["", "  "])
def test_assessment_reopen_requires_reason(awaiting, secretariat, reason):
    assert refusal(
        lambda: services.assessment_reopen(dossier=awaiting, by=secretariat, reason=reason)
    ) == ["Indiquez le motif de la réouverture : l'évaluateur le recevra."]


def test_assessment_reopen_by_employer_not_allowed(awaiting, owner):
    assert refusal(
        lambda: services.assessment_reopen(dossier=awaiting, by=owner, reason="Pièce")
    ) == [NOT_ALLOWED]


def test_assessment_reopen_decided_dossier_already_moved(partial, secretariat):
    assert refusal(
        lambda: services.assessment_reopen(dossier=partial, by=secretariat, reason="Pièce")
    ) == [ALREADY_MOVED]


def test_assessment_reopen_sends_back_to_assessor(awaiting, secretariat, assessor):
    assert Assessment.objects.get(dossier=awaiting).completed_at is not None

    services.assessment_reopen(
        dossier=awaiting, by=secretariat, reason=" Outil n°4 illisible : rescannez-le. "
    )

    awaiting.refresh_from_db()
    assert awaiting.state == DossierState.AWAITING_ASSESSMENT
    assert Assessment.objects.get(dossier=awaiting).completed_at is None
    assert history(awaiting)[-1] == (
        Transition.REOPEN_ASSESSMENT,
        DossierState.AWAITING_JURY,
        DossierState.AWAITING_ASSESSMENT,
        secretariat.pk,
        "Outil n°4 illisible : rescannez-le.",
    )
    assert list(
        Notification.objects.filter(recipient=assessor, text__contains="rouverte").values_list(
            "text", "link"
        )
    ) == [
        (
            f"Évaluation du dossier {awaiting.number} rouverte : "
            "Outil n°4 illisible : rescannez-le.",
            f"/evaluations/{awaiting.pk}/",
        )
    ]


def test_assessment_reopen_after_withdrawal(awaiting, owner, secretariat):
    future = JurySessionFactory(open=True)
    services.registration_create(dossier=awaiting, session=future, by=owner)
    services.registration_withdraw(dossier=awaiting, by=owner)

    services.assessment_reopen(dossier=awaiting, by=secretariat, reason="Pièce manquante")

    awaiting.refresh_from_db()
    assert awaiting.state == DossierState.AWAITING_ASSESSMENT


# Capitalisation


def test_represent_candidate_carries_validated_competences(partial, owner):
    decision = JuryDecision.objects.get(dossier=partial)
    until = years_later(timezone.localtime(decision.recorded_at).date(), 5)

    new = services.represent_candidate(dossier=partial, by=owner)

    assert new.state == DossierState.REGISTERING
    assert new.number != partial.number
    assert new.origin == partial
    assert (new.candidate, new.certification, new.establishment, new.assessor) == (
        partial.candidate,
        partial.certification,
        partial.establishment,
        partial.assessor,
    )
    assert [
        (c.competence.number, c.valid_until, c.source_decision)
        for c in CarriedCompetence.objects.filter(dossier=new).select_related("competence")
    ] == [(1, until, decision), (2, until, decision)]
    assert history(new) == [
        (
            Transition.CREATE,
            "",
            DossierState.REGISTERING,
            owner.pk,
            f"Représentation du candidat après le dossier {partial.number} "
            "(2 compétence(s) acquise(s) reportée(s))",
        )
    ]
    partial.refresh_from_db()
    assert partial.state == DossierState.PARTIALLY_VALIDATED


def test_represent_candidate_uses_certification_capitalisation_years(partial, owner):
    partial.certification.capitalisation_years = 2
    partial.certification.save()
    decision = JuryDecision.objects.get(dossier=partial)

    new = services.represent_candidate(dossier=partial, by=owner)

    assert set(CarriedCompetence.objects.filter(dossier=new).values_list("valid_until")) == {
        (years_later(timezone.localtime(decision.recorded_at).date(), 2),)
    }


def test_represent_candidate_on_last_valid_day_still_carries(partial, owner):
    decision = JuryDecision.objects.get(dossier=partial)
    until = years_later(timezone.localtime(decision.recorded_at).date(), 5)

    with time_machine.travel(noon(until), tick=False):
        new = services.represent_candidate(dossier=partial, by=owner)

    assert CarriedCompetence.objects.filter(dossier=new).count() == 2


def test_represent_candidate_expired_acquisitions_not_carried(partial, owner):
    decision = JuryDecision.objects.get(dossier=partial)
    until = years_later(timezone.localtime(decision.recorded_at).date(), 5)

    with time_machine.travel(noon(until + datetime.timedelta(days=1)), tick=False):
        new = services.represent_candidate(dossier=partial, by=owner)

    assert not CarriedCompetence.objects.filter(dossier=new).exists()
    assert history(new)[0][4].endswith("(0 compétence(s) acquise(s) reportée(s))")


@pytest.mark.parametrize("state", ["validated", "not_validated", "awaiting_jury"])
def test_represent_candidate_not_partial_refused(establishment, owner, state):
    dossier = DossierFactory(establishment=establishment, **{state: True})

    messages = refusal(lambda: services.represent_candidate(dossier=dossier, by=owner))

    assert messages == [ONLY_PARTIAL]
    assert Dossier.objects.count() == 1


@pytest.mark.parametrize("who", ["secretariat", "other_employer", "assessor"])
def test_represent_candidate_by_non_employer_not_allowed(partial, who, request):
    user = request.getfixturevalue(who)

    assert refusal(lambda: services.represent_candidate(dossier=partial, by=user)) == [NOT_ALLOWED]
    assert Dossier.objects.count() == 1


def test_represented_dossier_assessment_covers_only_missing_competences(partial, owner):
    new = services.represent_candidate(dossier=partial, by=owner)
    prepare_represented(new, owner)

    dossier_submit(dossier=new, by=owner)

    new.refresh_from_db()
    assert new.state == DossierState.AWAITING_ASSESSMENT
    assert [r.competence.number for r in new.assessment.results.select_related("competence")] == [3]


def test_represented_dossier_decision_covers_the_whole_certification(
    partial, owner, session, session_member
):
    year = timezone.localdate().year
    new = services.represent_candidate(dossier=partial, by=owner)
    prepare_represented(new, owner)
    evaluate(new, owner)
    services.registration_create(dossier=new, session=session, by=owner)

    competences = verdicts(new, {3})
    assert list(competences) == [new.certification.competences.get(number=3).pk]
    decision = decide(new, session_member, {3})

    new.refresh_from_db()
    assert new.state == DossierState.VALIDATED
    assert decision.outcome == Outcome.VALIDATED
    assert lines(decision) == [(1, True, "", True), (2, True, "", True), (3, True, "", False)]
    assert decision.document.kind == DocumentKind.CERTIFICATE
    assert decision.document.number == f"P-{year}-00001"


def test_represented_dossier_carried_plus_failed_remaining_is_partial(
    partial, owner, session, session_member
):
    new = services.represent_candidate(dossier=partial, by=owner)
    prepare_represented(new, owner)
    evaluate(new, owner, results={3: "not_acquired"})
    services.registration_create(dossier=new, session=session, by=owner)

    decision = decide(new, session_member, set())

    assert decision.outcome == Outcome.PARTIALLY_VALIDATED
    assert lines(decision) == [(1, True, "", True), (2, True, "", True), (3, False, "", False)]


def test_carried_for_keeps_each_competence_original_expiry(
    establishment, certification, owner, employers_member, employees_member
):
    """Chain: C1 acquired at T0 (carried), C2 at T0 + 3 years, C3 never; at T0 + 6 years the
    second partial dossier carries only C2, valid until T0 + 3 + 5 years."""
    members = [employers_member, employees_member]
    today = timezone.localdate()
    first = evaluated_dossier(establishment=establishment, certification=certification, owner=owner)
    session_t0 = JurySessionFactory(
        open=True, date=today, registration_deadline=today, members=members
    )
    services.registration_create(dossier=first, session=session_t0, by=owner)
    decide(first, employers_member.user, {1}, motivations={2: "Non.", 3: "Non."})
    first.refresh_from_db()
    t0 = timezone.localtime(JuryDecision.objects.get(dossier=first).recorded_at).date()
    second = services.represent_candidate(dossier=first, by=owner)
    assert list(second.carried_competences.values_list("competence__number", "valid_until")) == [
        (1, years_later(t0, 5))
    ]

    t1 = years_later(t0, 3)
    with time_machine.travel(noon(t1), tick=False):
        AccreditationFactory(assessor=second.assessor, certifications=[certification])
        prepare_represented(second, owner)
        evaluate(second, owner)
        session_t1 = JurySessionFactory(
            open=True, date=t1, registration_deadline=t1, members=members
        )
        services.registration_create(dossier=second, session=session_t1, by=owner)
        second_decision = decide(second, employers_member.user, {2}, motivations={3: "Non."})
    second.refresh_from_db()
    assert second.state == DossierState.PARTIALLY_VALIDATED
    assert lines(second_decision) == [
        (1, True, "", True),
        (2, True, "", False),
        (3, False, "Non.", False),
    ]
    second_day = timezone.localtime(second_decision.recorded_at).date()
    assert second_day == t1

    with time_machine.travel(noon(years_later(t0, 6)), tick=False):
        third = services.represent_candidate(dossier=second, by=owner)

    assert [
        (c.competence.number, c.valid_until, c.source_decision)
        for c in CarriedCompetence.objects.filter(dossier=third).select_related("competence")
    ] == [(2, years_later(t1, 5), second_decision)]

    # A second representation needs the first one gone (no double representation).
    with pytest.raises(DossierActionError) as excinfo:
        services.represent_candidate(dossier=second, by=owner)
    assert excinfo.value.messages == [f"Le candidat est déjà représenté : dossier {third.number}."]
    dossier_delete(dossier=third, by=owner)
    with time_machine.travel(noon(years_later(t0, 4)), tick=False):
        fourth = services.represent_candidate(dossier=second, by=owner)

    assert list(
        CarriedCompetence.objects.filter(dossier=fourth).values_list(
            "competence__number", "valid_until"
        )
    ) == [(1, years_later(t0, 5)), (2, years_later(t1, 5))]


def test_decision_revoke_leaves_no_competence_carried_from_a_revoked_decision(
    partial, owner, secretariat
):
    new = services.represent_candidate(dossier=partial, by=owner)

    # Refusing the revocation keeps the invariant too.
    with contextlib.suppress(DossierActionError):
        services.decision_revoke(dossier=partial, by=secretariat, reason="Erreur de saisie")

    assert not CarriedCompetence.objects.filter(
        dossier=new, source_decision__revoked_at__isnull=False
    ).exists()


def test_decision_rows_mark_carried_competences(partial, owner):
    new = services.represent_candidate(dossier=partial, by=owner)

    rows = services.decision_rows(new)

    assert [
        (competence.number, result, carried is not None) for competence, result, carried in rows
    ] == [(1, None, True), (2, None, True), (3, None, False)]


def test_registration_model_allows_a_single_active_registration(registered, session):
    # The database backs the service: a second active registration cannot exist.
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionRegistration.objects.create(
            session=JurySessionFactory(open=True), dossier=registered, registered_by=UserFactory()
        )
