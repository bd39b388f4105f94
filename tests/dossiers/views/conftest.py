import pytest

from dossiers import services
from dossiers.enums import DossierState
from tests.factories.accounts import EmployerFactory
from tests.factories.dossiers import CandidateFactory, DossierFactory


@pytest.fixture
def employer_client(client):
    """A logged-in employer of a new establishment; its establishment is `client.establishment`."""
    user = EmployerFactory()
    client.force_login(user)
    client.user = user
    client.establishment = user.membership.establishment
    return client


@pytest.fixture
def three_sortable(employer_client):
    """Created in this order: Bernard (registering), Dubois (validated), Aubert (submitted)."""
    establishment = employer_client.establishment
    rows = []
    for name, state in [
        ("Bernard", DossierState.REGISTERING),
        ("Dubois", DossierState.VALIDATED),
        ("Aubert", DossierState.AWAITING_ASSESSMENT),
    ]:
        candidate = CandidateFactory(establishment=establishment, birth_name=name)
        rows.append(DossierFactory(establishment=establishment, candidate=candidate, state=state))
    return [row.number for row in rows]


@pytest.fixture
def twenty_five(employer_client):
    first = DossierFactory(establishment=employer_client.establishment)
    DossierFactory.create_batch(
        24,
        establishment=employer_client.establishment,
        certification=first.certification,
        training_scheme=first.training_scheme,
        assessor=first.assessor,
    )


@pytest.fixture
def one_per_state(db):
    """One dossier per state, all in one establishment and with the same assessor."""
    first = DossierFactory()
    dossiers = {DossierState.REGISTERING: first}
    for state in list(DossierState)[1:]:
        dossiers[state] = DossierFactory(
            establishment=first.establishment,
            certification=first.certification,
            assessor=first.assessor,
            state=state,
        )
    return dossiers


@pytest.fixture
def submitted(dossier, owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.dossier_submit(dossier=dossier, by=owner)
    dossier.refresh_from_db()
    return dossier
