import datetime

import pytest
from django.utils import timezone

from tests.dossiers.wizard.helpers import _assessor
from tests.factories.accounts import EmployerFactory
from tests.factories.dossiers import (
    DossierFactory,
)
from tests.factories.referentiel import (
    CertificationFactory,
    CertificationOptionFactory,
    TrainingSchemeFactory,
)


@pytest.fixture
def certification(db):
    return CertificationFactory(label="Responsable de secteur industriel")


@pytest.fixture
def option(certification):
    CertificationOptionFactory(certification=certification, label="Logistique")
    return CertificationOptionFactory(certification=certification, label="Production")


@pytest.fixture
def scheme(db):
    return TrainingSchemeFactory(label="Contrat de professionnalisation")


@pytest.fixture
def assessors(certification):
    """The accredited assessor, and three who must not be offered."""
    today = timezone.localdate()
    return {
        "accredited": _assessor("Valide", certification),
        "expired": _assessor(
            "Expiree",
            certification,
            valid_from=today - datetime.timedelta(days=730),
            valid_until=today - datetime.timedelta(days=1),
        ),
        "not_yet": _assessor(
            "Future",
            certification,
            valid_from=today + datetime.timedelta(days=1),
            valid_until=today + datetime.timedelta(days=365),
        ),
        "other_certification": _assessor("Autre", CertificationFactory()),
    }


@pytest.fixture
def employer(db):
    return EmployerFactory()


@pytest.fixture
def employer_client(client, employer):
    client.force_login(employer)
    return client


@pytest.fixture
def draft(employer, certification):
    """A dossier just created by the employer, nothing else filled."""
    return DossierFactory(
        establishment=employer.membership.establishment,
        certification=certification,
        candidate=None,
        training_scheme=None,
        assessor=None,
        assessor_confirmed_at=None,
    )


@pytest.fixture
def at_diplomas(employer, certification):
    """A dossier whose candidate declares a diploma: the upload step is next."""
    dossier = DossierFactory(
        establishment=employer.membership.establishment,
        certification=certification,
        assessor_confirmed_at=None,
    )
    dossier.candidate.declares_diploma = True
    dossier.candidate.save()
    return dossier
