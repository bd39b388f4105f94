"""Jury services (SPEC §3): sessions, registrations, decisions, revocation, reopening,
capitalisation and document numbers. Dossiers reach the jury through the real services."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from dossiers.enums import DossierState, Transition
from dossiers.exceptions import ALREADY_MOVED, NOT_ALLOWED
from ecertif.notifications.models import Notification
from jurys import services
from jurys.enums import DocumentKind, Outcome
from jurys.models import DocumentSeries, IssuedDocument, JuryDecision, SessionRegistration
from jurys.rules import active_registration
from tests.factories.jurys import JurySessionFactory
from tests.jurys.conftest import decide, evaluated_dossier, verdicts
from tests.jurys.services.helpers import NO_SESSION, assert_undecided, fmt, history, lines, refusal


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
