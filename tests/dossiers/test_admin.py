import pytest
from django.urls import reverse

from tests.factories.accounts import StaffFactory
from tests.factories.dossiers import DossierFactory

pytestmark = pytest.mark.django_db


def test_admin_dossier_setup_read_only_once_submitted(client):
    submitted = DossierFactory(awaiting_assessment=True)
    registering = DossierFactory()
    client.force_login(StaffFactory())
    locked = client.get(reverse("admin:dossiers_dossier_change", args=[submitted.pk]))
    editable = client.get(reverse("admin:dossiers_dossier_change", args=[registering.pk]))
    assert 'name="certification"' not in locked.content.decode()
    assert 'name="certification"' in editable.content.decode()
