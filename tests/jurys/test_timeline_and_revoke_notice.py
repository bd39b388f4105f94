"""The dossier's timeline shows its jury registrations; revoking a decision tells the employer
and the assessor (issue #12)."""

import html

import pytest

from ecertif.notifications.models import Notification
from jurys import services

pytestmark = pytest.mark.django_db


def test_timeline_shows_registration_and_its_end(client, partial, owner, session):
    client.force_login(owner)
    page = html.unescape(client.get(f"/dossiers/{partial.pk}/").content.decode())
    history = page[page.index('id="historique"') :]

    registered = f"Inscription au jury du {session.date:%d/%m/%Y}"
    ended = f"Fin de l'inscription au jury du {session.date:%d/%m/%Y} : Examiné par le jury"
    assert registered in history
    assert ended in history
    assert history.index(registered) < history.index(ended)


def test_revoking_a_decision_notifies_employer_and_assessor(partial, owner, secretariat):
    services.decision_revoke(dossier=partial, by=secretariat, reason="Erreur de saisie sur C3")

    text = (
        f"La décision du jury sur le dossier {partial.number} est annulée : Erreur de saisie "
        "sur C3. Le dossier attend une nouvelle décision."
    )
    recipients = set(
        Notification.objects.filter(text=text).values_list("recipient__email", flat=True)
    )
    assert recipients == {owner.email, partial.assessor.user.email}
