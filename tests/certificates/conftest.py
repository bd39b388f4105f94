"""Issued parchemins and attestations, decided through the jury's real service."""

import datetime

import pytest
from django.utils import timezone

from ecertif.files.signing import create_self_signed
from jurys import services
from jurys.enums import College, SessionStatus
from jurys.models import JuryMember, JurySession, SessionRegistration
from tests.factories.accounts import SIRETS, EstablishmentFactory, StaffFactory, UserFactory
from tests.factories.dossiers import DossierFactory
from tests.factories.referentiel import CertificationFactory


def decided(session, certification, establishment, by, *, validated, birth_name, **kwargs):
    """A dossier of `establishment` decided by `by` at `session`: `validated` competence
    numbers (all → parchemin, some → attestation)."""
    dossier = DossierFactory(
        awaiting_jury=True,
        establishment=establishment,
        certification=certification,
        candidate__birth_name=birth_name,
        **kwargs,
    )
    SessionRegistration.objects.create(session=session, dossier=dossier, registered_by=by)
    services.decide(
        dossier=dossier,
        by=by,
        competences={
            c.pk: (c.number in validated, "" if c.number in validated else "Non acquise.")
            for c in certification.competences.all()
        },
    )
    dossier.refresh_from_db()
    return dossier


@pytest.fixture
def president(db):
    user = UserFactory(first_name="Hélène", last_name="Garnier")
    return JuryMember.objects.create(
        user=user, college=College.EMPLOYERS, organisation="France Chimie"
    )


@pytest.fixture
def session(president):
    day = timezone.localdate() - datetime.timedelta(days=1)
    session = JurySession.objects.create(
        date=day,
        place="Paris",
        registration_deadline=day - datetime.timedelta(days=14),
        status=SessionStatus.REGISTRATION_CLOSED,
        president=president,
    )
    session.members.set([president])
    return session


@pytest.fixture
def certification(db):
    return CertificationFactory(label="Conducteur d'appareils", competences=3)


@pytest.fixture
def establishment(db):
    return EstablishmentFactory(siret=SIRETS[0], name="Chimie du Rhône")


@pytest.fixture
def validated(session, certification, establishment, president):
    """A parchemin: Camille Petit, every competence validated."""
    return decided(
        session,
        certification,
        establishment,
        president.user,
        validated={1, 2, 3},
        birth_name="Petit",
        candidate__first_names="Camille Marie",
    )


@pytest.fixture
def partial(session, certification, establishment, president):
    """An attestation: Louis Moreau, C1 and C2 validated."""
    return decided(
        session,
        certification,
        establishment,
        president.user,
        validated={1, 2},
        birth_name="Moreau",
        candidate__first_names="Louis",
    )


@pytest.fixture
def secretariat(db):
    return StaffFactory()


@pytest.fixture(scope="session")
def signing_pair(tmp_path_factory):
    """A self-signed key and certificate made for this test run (never committed)."""
    folder = tmp_path_factory.mktemp("signing")
    key, certificate = folder / "key.pem", folder / "certificate.pem"
    create_self_signed(key, certificate, common_name="e-Certif tests")
    return key, certificate


@pytest.fixture
def signing(settings, signing_pair):
    settings.DOCUMENT_SIGNING_KEY, settings.DOCUMENT_SIGNING_CERTIFICATE = map(str, signing_pair)
    return signing_pair
