"""Concurrent writes on real connections (SPEC §10 « Integrity »): PostgreSQL row locks only."""

import pytest

from dossiers import services
from dossiers.enums import DossierState, Transition
from dossiers.exceptions import ALREADY_MOVED, DossierActionError
from dossiers.models import Dossier, DossierTransition
from ecertif.mail.models import OutboxEmail
from tests.factories.accounts import MembershipFactory, UserFactory
from tests.factories.dossiers import DossierFactory
from tests.utils import needs_postgresql, run_together

pytestmark = [
    needs_postgresql,
    pytest.mark.django_db(transaction=True),
]


def test_submit_twice_concurrently_exactly_one_wins(mailoutbox):
    dossier = DossierFactory()
    employers = []
    for _ in range(2):
        user = UserFactory()
        MembershipFactory(user=user, establishment=dossier.establishment)
        employers.append(user)

    def submit(index):
        # Each thread loads its own copy, as two browsers would.
        return services.dossier_submit(
            dossier=Dossier.objects.get(pk=dossier.pk), by=employers[index]
        )

    results, errors = run_together(2, submit)

    winners = [index for index in range(2) if errors[index] is None]
    losers = [index for index in range(2) if errors[index] is not None]
    assert len(winners) == 1, errors
    assert len(losers) == 1
    error = errors[losers[0]]
    assert isinstance(error, DossierActionError), repr(error)
    assert error.messages == [ALREADY_MOVED]
    assert error.messages[0].startswith("Quelqu'un a été plus rapide que vous")
    assert results[winners[0]].state == DossierState.AWAITING_ASSESSMENT

    dossier.refresh_from_db()
    assert dossier.state == DossierState.AWAITING_ASSESSMENT
    rows = DossierTransition.objects.filter(dossier=dossier, transition=Transition.SUBMIT)
    assert [(row.actor_id, row.source, row.target) for row in rows] == [
        (employers[winners[0]].pk, DossierState.REGISTERING, DossierState.AWAITING_ASSESSMENT)
    ]
    assessor_email = dossier.assessor.user.email
    assert list(OutboxEmail.objects.values_list("recipient", "subject")) == [
        (assessor_email, f"[e-Certif] Nouveau dossier à évaluer : {dossier.number}")
    ]
    assert [message.to for message in mailoutbox] == [[assessor_email]]


def test_next_dossier_number_concurrent_all_distinct():
    def allocate(index):
        return [services.next_dossier_number() for _ in range(5)]

    results, errors = run_together(8, allocate)

    assert errors == [None] * 8
    numbers = [number for batch in results for number in batch]
    assert len(numbers) == 40
    assert len(set(numbers)) == 40
    assert sorted(int(number[-6:]) for number in numbers) == list(range(1, 41))


def test_next_dossier_number_concurrent_new_year_all_distinct():
    # No counter row yet for that year: every thread races to create it.
    def allocate(index):
        return [services.next_dossier_number(year=2099) for _ in range(5)]

    results, errors = run_together(8, allocate)

    assert errors == [None] * 8
    numbers = sorted(number for batch in results for number in batch)
    assert numbers == [f"CQP-2099-{value:06d}" for value in range(1, 41)]
