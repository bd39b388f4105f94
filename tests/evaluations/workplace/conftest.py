import pytest

from tests.evaluations.workplace.helpers import enter_url, invite, submitted_dossier


@pytest.fixture
def dossier(db):
    return submitted_dossier()


@pytest.fixture
def invited(dossier):
    return invite(dossier)


@pytest.fixture
def invitation(invited):
    return invited[0]


@pytest.fixture
def token(invited):
    return invited[1]


@pytest.fixture
def workplace_client(client, token):
    """A browser that opened the invitation link."""
    response = client.get(enter_url(token))
    assert response.status_code == 302
    return client
