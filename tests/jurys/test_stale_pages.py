"""A lost race or a stale page ends in « Déjà traité » with what was typed, never a bare 403."""

import threading

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from dossiers.enums import DossierState, Transition
from dossiers.models import DossierTransition
from tests.factories.accounts import StaffFactory

REASON = "L'outil n°4 scanné est illisible à partir de la page 3, merci de le déposer à nouveau."


def _reopen(client, dossier):
    return client.post(f"/jurys/dossiers/{dossier.pk}/rouvrir-evaluation/", {"reason": REASON})


@pytest.mark.django_db
def test_second_reopen_gets_a_french_message_not_a_403(client, awaiting, secretariat):
    other = StaffFactory()
    first = Client()
    first.force_login(other)
    assert _reopen(first, awaiting).status_code == 302

    client.force_login(secretariat)
    response = _reopen(client, awaiting)

    assert response.status_code in (302, 409)
    html = client.get(f"/dossiers/{awaiting.pk}/").content.decode()
    assert "plus rapide" in html or "Déjà traité" in response.content.decode()
    assert (
        DossierTransition.objects.filter(
            dossier=awaiting, transition=Transition.REOPEN_ASSESSMENT
        ).count()
        == 1
    )


@pytest.mark.django_db
def test_reopen_never_possible_for_employer_stays_403(client, awaiting, owner):
    client.force_login(owner)
    assert _reopen(client, awaiting).status_code in (403, 404)


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="needs PostgreSQL: SQLite has no SELECT … FOR UPDATE and serialises writers",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_reopens_one_wins_others_get_a_message(awaiting):
    users = [StaffFactory() for _ in range(8)]
    barrier = threading.Barrier(len(users), timeout=30)
    statuses, errors = [None] * len(users), []

    def run(index):
        try:
            client = Client()
            client.force_login(users[index])
            barrier.wait()
            response = _reopen(client, awaiting)
            statuses[index] = (response.status_code, response.content.decode())
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(users))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    codes = sorted(code for code, _ in statuses)
    assert 403 not in codes and 500 not in codes
    assert codes.count(409) + codes.count(302) == len(users)
    assert (
        DossierTransition.objects.filter(
            dossier=awaiting, transition=Transition.REOPEN_ASSESSMENT
        ).count()
        == 1
    )
    awaiting.refresh_from_db()
    assert awaiting.state == DossierState.AWAITING_ASSESSMENT
