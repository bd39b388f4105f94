import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dossiers.services import dossier_submit
from evaluations import services
from tests.factories.accounts import MembershipFactory, UserFactory
from tests.factories.dossiers import MINIMAL_PDF, DossierFactory
from tests.factories.evaluations import AssessorFactory

WORKPLACE = {
    "name": "Paul Tuteur",
    "email": "Paul.Tuteur@exemple.fr",
    "function": "Chef d'équipe de fabrication",
}


def pdf_upload(name="outil4-scan.pdf"):
    return SimpleUploadedFile(name, MINIMAL_PDF, content_type="application/pdf")


def invite(dossier):
    """Invite the workplace assessor as the assigned assessor; returns (invitation, token)."""
    return services.invitation_create(
        assessment=dossier.assessment, by=dossier.assessor.user, **WORKPLACE
    )


def fill_assessment(dossier):
    """Everything « Clôturer l'évaluation » needs: after this, `complete_missing` is empty."""
    invitation, _token = invite(dossier)
    assessment = dossier.assessment
    rows = list(assessment.results.order_by("competence__number"))
    services.workplace_observations_save(
        invitation=invitation,
        observations={row.pk: f"Observation métier C{row.competence.number}" for row in rows},
        general_observation="Candidate rigoureuse.",
    )
    services.results_save(
        assessment=assessment,
        by=dossier.assessor.user,
        results={row.pk: ("acquired", f"Maîtrise C{row.competence.number}") for row in rows},
    )
    services.assessment_update(
        assessment=assessment,
        by=dossier.assessor.user,
        candidate_observations="Le candidat estime l'évaluation juste.",
    )
    services.guide_upload(
        assessment=assessment, by=dossier.assessor.user, uploaded_file=pdf_upload()
    )
    assessment.refresh_from_db()
    return invitation


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


@pytest.fixture
def submitted(dossier, owner):
    """The dossier submitted by its employer: its assessment is open."""
    dossier_submit(dossier=dossier, by=owner)
    dossier.refresh_from_db()
    return dossier


@pytest.fixture
def assessment(submitted):
    return submitted.assessment


@pytest.fixture
def invited(submitted):
    """(invitation, raw token) for the submitted dossier."""
    return invite(submitted)


@pytest.fixture
def ready(submitted):
    """The submitted dossier with every item of the assessment filled in, not yet closed."""
    fill_assessment(submitted)
    return submitted
