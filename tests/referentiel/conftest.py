import pytest
from django.contrib.auth import get_user_model


@pytest.fixture
def user_client(client):
    user = get_user_model().objects.create_user(
        email="lecteur@example.fr", password="mot-de-passe-solide"
    )
    client.force_login(user)
    return client


@pytest.fixture
def admin_client_fr(client):
    admin = get_user_model().objects.create_superuser(
        email="secretariat@example.fr", password="mot-de-passe-solide"
    )
    client.force_login(admin)
    return client
