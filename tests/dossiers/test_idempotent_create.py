"""Creating a dossier is idempotent (the form's token), and a deleted one answers in French."""

import threading
import uuid

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from dossiers import services
from dossiers.models import Dossier
from tests.factories.accounts import MembershipFactory, UserFactory
from tests.factories.dossiers import DossierFactory
from tests.factories.referentiel import CertificationFactory


def _post(client, certification, token):
    return client.post(
        "/dossiers/nouveau/", {"certification": certification.pk, "creation_token": token}
    )


@pytest.mark.django_db
def test_create_form_carries_a_token(client, owner):
    client.force_login(owner)
    html = client.get("/dossiers/nouveau/").content.decode()
    assert 'type="hidden" name="creation_token"' in html


@pytest.mark.django_db
def test_same_form_sent_twice_creates_one_dossier(client, owner):
    certification = CertificationFactory()
    client.force_login(owner)
    token = str(uuid.uuid4())
    first = _post(client, certification, token)
    second = _post(client, certification, token)
    dossier = Dossier.objects.get(created_by=owner)
    assert first["Location"] == second["Location"] == f"/dossiers/{dossier.pk}/etape/dispositif/"
    assert _post(client, certification, str(uuid.uuid4())).status_code == 302
    assert Dossier.objects.filter(created_by=owner).count() == 2


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="needs PostgreSQL: SQLite serialises writers",
)
@pytest.mark.django_db(transaction=True)
def test_fifty_parallel_identical_submissions_create_one_dossier(owner):
    certification = CertificationFactory()
    token = str(uuid.uuid4())
    count = 50
    barrier = threading.Barrier(count, timeout=60)
    statuses, errors = [None] * count, []

    def run(index):
        try:
            client = Client()
            client.force_login(owner)
            barrier.wait()
            statuses[index] = _post(client, certification, token).status_code
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert statuses == [302] * count
    assert Dossier.objects.filter(created_by=owner).count() == 1


@pytest.mark.django_db
def test_deleted_dossier_answers_a_french_page(client):
    dossier = DossierFactory()
    deleter, colleague, stranger = UserFactory(), UserFactory(), UserFactory()
    for user in (deleter, colleague):
        MembershipFactory(user=user, establishment=dossier.establishment)
    MembershipFactory(user=stranger)
    services.dossier_delete(dossier=dossier, by=deleter)

    client.force_login(colleague)
    response = client.post(
        f"/dossiers/{dossier.pk}/renvoyer/", {"reason": "Un texte assez long pour être gardé."}
    )
    assert response.status_code == 410
    html = response.content.decode()
    assert '<h1 class="h3">Ce dossier a été supprimé</h1>' in html
    assert f"Le dossier {dossier.number} a été supprimé le" in html
    assert "Un texte assez long pour être gardé." in html
    assert client.get(f"/dossiers/{dossier.pk}/").status_code == 410

    client.force_login(stranger)
    assert client.get(f"/dossiers/{dossier.pk}/").status_code == 404
