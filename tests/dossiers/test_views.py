"""Dossier screens: list (search, filters, sort, pagination), detail, delete, duplicate, return."""

import datetime
import html
import re

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from dossiers import services
from dossiers.enums import DossierState, Transition, WizardStep
from dossiers.exceptions import ALREADY_MOVED
from dossiers.models import Attachment, Candidate, Dossier, DossierTransition
from tests.factories.accounts import EmployerFactory, MembershipFactory, StaffFactory, UserFactory
from tests.factories.dossiers import (
    AttachmentFactory,
    CandidateFactory,
    DossierFactory,
    TrainingProviderFactory,
)
from tests.factories.referentiel import CertificationFactory, CertificationOptionFactory

pytestmark = pytest.mark.django_db

LIST_URL = "/dossiers/"
EMPTY_EMPLOYER = (
    "Aucun dossier pour l'instant. Créez le premier dossier candidat de votre établissement."
)
EMPTY_FILTERED = "Aucun dossier ne correspond à ces critères."
EMPTY_OTHERS = "Aucun dossier à afficher."
RETURN_DONE = "Dossier renvoyé à l'employeur pour complément."
REASON_REQUIRED = "Indiquez le motif du renvoi : l'employeur le recevra."


def _text(response):
    """The page as a person reads it: entities decoded (« l'instant », not « l&#x27;instant »)."""
    return html.unescape(response.content.decode())


def _messages(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def _numbers(response):
    return [dossier.number for dossier in response.context["page_obj"].object_list]


def _employer_of(establishment):
    user = UserFactory()
    MembershipFactory(user=user, establishment=establishment)
    return user


@pytest.fixture
def employer_client(client):
    """A logged-in employer of a new establishment; its establishment is `client.establishment`."""
    user = EmployerFactory()
    client.force_login(user)
    client.user = user
    client.establishment = user.membership.establishment
    return client


# --- List: number of queries does not grow with the rows shown ------------------------------

ROW_STATES = [
    DossierState.REGISTERING,
    DossierState.AWAITING_ASSESSMENT,
    DossierState.VALIDATED,
]


@pytest.mark.parametrize("count", [1, 3])
def test_list_employer_queries_constant(employer_client, django_assert_num_queries, count):
    for state in ROW_STATES[:count]:
        DossierFactory(establishment=employer_client.establishment, state=state)
    with django_assert_num_queries(0):
        response = employer_client.get(LIST_URL)
    assert response.status_code == 200
    assert len(response.context["page_obj"].object_list) == count


@pytest.mark.parametrize("count", [1, 3])
def test_list_secretariat_queries_constant(client, django_assert_num_queries, count):
    for state in ROW_STATES[:count]:
        DossierFactory(state=state)
    client.force_login(StaffFactory())
    with django_assert_num_queries(0):
        response = client.get(LIST_URL)
    assert response.status_code == 200
    assert len(response.context["page_obj"].object_list) == count


@pytest.mark.parametrize("count", [1, 3])
def test_list_assessor_queries_constant(client, django_assert_num_queries, count):
    first = DossierFactory(awaiting_assessment=True)
    for _ in range(count - 1):
        DossierFactory(awaiting_assessment=True, assessor=first.assessor)
    client.force_login(first.assessor.user)
    with django_assert_num_queries(0):
        response = client.get(LIST_URL)
    assert response.status_code == 200
    assert len(response.context["page_obj"].object_list) == count
