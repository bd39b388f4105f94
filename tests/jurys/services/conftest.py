import pytest

from jurys import services
from tests.jurys.conftest import decide, evaluated_dossier


@pytest.fixture
def partial_other(establishment, certification, owner, session, session_member):
    """A second dossier of the session, decided « Partiel »."""
    dossier = evaluated_dossier(
        establishment=establishment, certification=certification, owner=owner
    )
    services.registration_create(dossier=dossier, session=session, by=owner)
    decide(dossier, session_member, {1, 2}, motivations={3: "Non démontrée."})
    return dossier
