"""Concurrent jury writes on real connections (SPEC §10 « Integrity »): PostgreSQL row locks."""

import pytest

from dossiers.enums import DossierState, Transition
from dossiers.exceptions import ALREADY_MOVED, DossierActionError
from dossiers.models import Dossier, DossierTransition
from ecertif.mail.models import OutboxEmail
from jurys import services
from jurys.enums import DocumentKind
from jurys.models import IssuedDocument, JuryDecision, SessionRegistration
from tests.factories.jurys import JurySessionFactory
from tests.jurys.conftest import verdicts
from tests.utils import needs_postgresql, run_together

pytestmark = [
    needs_postgresql,
    pytest.mark.django_db(transaction=True),
]


def test_decide_twice_concurrently_exactly_one_wins(registered, employers_member, employees_member):
    members = [employers_member.user, employees_member.user]
    competences = verdicts(registered, {1, 2, 3})

    def decide(index):
        # Each thread loads its own copy, as two browsers would.
        return services.decide(
            dossier=Dossier.objects.get(pk=registered.pk),
            by=members[index],
            competences=competences,
        )

    results, errors = run_together(2, decide)

    winners = [index for index in range(2) if errors[index] is None]
    losers = [index for index in range(2) if errors[index] is not None]
    assert len(winners) == 1, errors
    assert len(losers) == 1
    error = errors[losers[0]]
    assert isinstance(error, DossierActionError), repr(error)
    assert error.messages == [ALREADY_MOVED]
    assert error.messages[0].startswith("Quelqu'un a été plus rapide que vous")

    registered.refresh_from_db()
    assert registered.state == DossierState.VALIDATED
    decision = JuryDecision.objects.get(dossier=registered)
    assert decision.pk == results[winners[0]].pk
    assert decision.recorded_by == members[winners[0]]
    assert decision.competences.count() == 3
    rows = DossierTransition.objects.filter(dossier=registered, transition=Transition.DECIDE)
    assert [(row.actor_id, row.source, row.target) for row in rows] == [
        (members[winners[0]].pk, DossierState.AWAITING_JURY, DossierState.VALIDATED)
    ]
    assert list(IssuedDocument.objects.values_list("kind", flat=True)) == [DocumentKind.CERTIFICATE]
    subject = f"[e-Certif] Décision du jury — dossier {registered.number} : Validé"
    assert OutboxEmail.objects.filter(subject=subject).count() == 2


def test_registration_create_twice_concurrently_exactly_one_wins(awaiting, owner, session):
    other = JurySessionFactory(open=True)
    sessions = [session, other]

    def register(index):
        return services.registration_create(
            dossier=Dossier.objects.get(pk=awaiting.pk), session=sessions[index], by=owner
        )

    results, errors = run_together(2, register)

    winners = [index for index in range(2) if errors[index] is None]
    assert len(winners) == 1, errors
    loser = errors[1 - winners[0]]
    assert isinstance(loser, DossierActionError), repr(loser)
    assert loser.messages == ["Ce dossier est déjà inscrit à une session."]
    assert list(
        SessionRegistration.objects.filter(dossier=awaiting).values_list("session", "ended_at")
    ) == [(sessions[winners[0]].pk, None)]


def test_next_document_number_concurrent_separate_series_without_gaps():
    def allocate(index):
        kind = DocumentKind.CERTIFICATE if index % 2 else DocumentKind.ATTESTATION
        return [services.next_document_number(kind=kind, year=2030) for _ in range(5)]

    services.next_document_number(kind=DocumentKind.CERTIFICATE, year=2030)

    results, errors = run_together(8, allocate)

    assert errors == [None] * 8
    numbers = sorted(number for batch in results for number in batch)
    assert numbers == [f"A-2030-{value:05d}" for value in range(1, 21)] + [
        f"P-2030-{value:05d}" for value in range(2, 22)
    ]


def test_next_document_number_concurrent_new_year_all_distinct():
    # No counter row yet for that year: every thread races to create it.
    def allocate(index):
        return [
            services.next_document_number(kind=DocumentKind.CERTIFICATE, year=2099)
            for _ in range(5)
        ]

    results, errors = run_together(8, allocate)

    assert errors == [None] * 8
    numbers = sorted(number for batch in results for number in batch)
    assert numbers == [f"P-2099-{value:05d}" for value in range(1, 41)]
