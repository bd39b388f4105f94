import pytest
from django.urls import reverse

from dossiers.enums import DossierState
from tests.factories.accounts import StaffFactory
from tests.jurys.conftest import decide


@pytest.mark.django_db
def test_dossier_admin_revokes_a_decision_through_the_service(client, registered, session):
    decide(registered, session.members.first().user, {1, 2, 3})
    client.force_login(StaffFactory())
    url = reverse("admin:dossiers_dossier_transition", args=[registered.pk, "revoke_decision"])
    assert "Annuler la décision du jury" in client.get(url).content.decode()
    client.post(url, {"reason": "Erreur de saisie."})
    registered.refresh_from_db()
    assert registered.state == DossierState.AWAITING_JURY
    assert registered.decisions.get().revoke_reason == "Erreur de saisie."


@pytest.mark.django_db
def test_dossier_admin_reopen_refused_while_registered(client, registered):
    client.force_login(StaffFactory())
    url = reverse("admin:dossiers_dossier_transition", args=[registered.pk, "reopen_assessment"])
    response = client.post(url, {"reason": "Pièce manquante."}, follow=True)
    registered.refresh_from_db()
    assert registered.state == DossierState.AWAITING_JURY
    assert "Le dossier est inscrit à une session : retirez-le d'abord de la session." in [
        str(m) for m in response.context["messages"]
    ]
