"""Export fixtures: two establishments, a secretariat member, and helpers to read the files."""

import openpyxl
import pytest

from dossiers.services import dossier_submit
from evaluations.services import assessment_complete
from jurys import services as jury_services
from tests.evaluations.conftest import fill_assessment
from tests.factories.accounts import (
    SIRETS,
    EstablishmentFactory,
    MembershipFactory,
    UserFactory,
)
from tests.factories.dossiers import DossierFactory
from tests.factories.referentiel import CertificationFactory


def read_sheet(job):
    """(worksheet, rows as tuples of values) of a finished job's file, read back by openpyxl."""
    job.refresh_from_db()
    with job.file.open("rb") as stream:
        workbook = openpyxl.load_workbook(stream)
    sheet = workbook.worksheets[0]
    return sheet, [tuple(row) for row in sheet.iter_rows(values_only=True)]


def numbers(rows):
    """The first column of every data row (the dossier numbers of a dossier export)."""
    return [row[0] for row in rows[1:]]


@pytest.fixture
def certification(db):
    return CertificationFactory(competences=3, label="Conducteur(trice) d'équipements")


@pytest.fixture
def other_certification(db):
    return CertificationFactory(competences=2, label="Agent logistique")


@pytest.fixture
def establishment(db):
    return EstablishmentFactory(siret=SIRETS[0], name="Chimie du Rhône", postcode="69003")


@pytest.fixture
def other_establishment(db):
    return EstablishmentFactory(siret=SIRETS[5], name="Autre Chimie", postcode="44000")


@pytest.fixture
def employer(establishment):
    return MembershipFactory(
        user=UserFactory(email="rh@chimie-rhone.fr"), establishment=establishment
    ).user


@pytest.fixture
def other_employer(other_establishment):
    return MembershipFactory(
        user=UserFactory(email="rh@autre-chimie.fr"), establishment=other_establishment
    ).user


@pytest.fixture
def dossiers(establishment, other_establishment, certification, other_certification):
    """Five dossiers of `establishment` and two of `other_establishment`, various states."""
    mine = [
        DossierFactory(establishment=establishment, certification=certification),
        DossierFactory(
            establishment=establishment, certification=certification, awaiting_assessment=True
        ),
        DossierFactory(
            establishment=establishment, certification=other_certification, awaiting_jury=True
        ),
        DossierFactory(establishment=establishment, certification=certification, validated=True),
        DossierFactory(
            establishment=establishment, certification=other_certification, validated=True
        ),
    ]
    theirs = [
        DossierFactory(
            establishment=other_establishment, certification=certification, validated=True
        ),
        DossierFactory(establishment=other_establishment, certification=certification),
    ]
    return {"mine": mine, "theirs": theirs}


def evaluated_dossier(*, establishment, certification, owner, **kwargs):
    """A new dossier of `establishment` submitted, assessed (every competence acquired) and
    closed by its assessor through the real services: « En attente de jury »."""
    dossier = DossierFactory(establishment=establishment, certification=certification, **kwargs)
    dossier_submit(dossier=dossier, by=owner)
    dossier.refresh_from_db()
    fill_assessment(dossier)
    assessment_complete(dossier=dossier, by=dossier.assessor.user)
    dossier.refresh_from_db()
    return dossier


def decide(dossier, by, validated, motivations=None):
    """Record the jury's decision: `validated` is the set of validated competence numbers;
    a competence not validated needs a motivation (the assessor said « acquis »)."""
    motivations = motivations or {}
    return jury_services.decide(
        dossier=dossier,
        by=by,
        competences={
            competence.pk: (competence.number in validated, motivations.get(competence.number, ""))
            for competence in dossier.certification.competences.all()
        },
        motivation="",
    )
