"""Jury services (SPEC §3): sessions, registrations, decisions, revocation, reopening,
capitalisation and document numbers. Dossiers reach the jury through the real services."""

import contextlib
import datetime

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.utils import timezone

from dossiers.enums import DossierState, Transition
from dossiers.exceptions import ALREADY_MOVED, NOT_ALLOWED, DossierActionError
from dossiers.models import Dossier
from dossiers.services import dossier_delete, dossier_submit
from ecertif.notifications.models import Notification
from evaluations.models import Assessment
from jurys import services
from jurys.enums import DocumentKind, Outcome
from jurys.models import (
    CarriedCompetence,
    IssuedDocument,
    JuryDecision,
    SessionRegistration,
)
from tests.factories.accounts import UserFactory
from tests.factories.dossiers import DossierFactory
from tests.factories.evaluations import AccreditationFactory
from tests.factories.jurys import JurySessionFactory
from tests.jurys.conftest import decide, evaluate, evaluated_dossier, prepare_represented, verdicts
from tests.jurys.services.helpers import (
    ONLY_PARTIAL,
    REOPEN_REGISTERED,
    history,
    lines,
    noon,
    refusal,
    years_later,
)


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
