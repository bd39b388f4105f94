import pytest

from tests.factories.accounts import MembershipFactory, UserFactory
from tests.factories.dossiers import DossierFactory
from tests.factories.evaluations import AssessorFactory


@pytest.fixture
def dossier(db):
    """A complete dossier in registration, ready to submit."""
    return DossierFactory()


@pytest.fixture
def owner(dossier):
    """An employer of the dossier's establishment."""
    user = UserFactory()
    MembershipFactory(user=user, establishment=dossier.establishment)
    return user


@pytest.fixture
def assigned_assessor(dossier):
    return dossier.assessor.user


@pytest.fixture
def other_assessor(db):
    return AssessorFactory().user
