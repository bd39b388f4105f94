"""Jury fixtures: dossiers reach « En attente de jury » through the real services."""

import pytest
from django.utils import timezone

from dossiers.services import assessor_confirm, dossier_submit
from evaluations import services as evaluation_services
from jurys import services
from jurys.enums import College
from tests.evaluations.conftest import fill_assessment
from tests.factories.accounts import (
    SIRETS,
    EstablishmentFactory,
    MembershipFactory,
    UserFactory,
)
from tests.factories.dossiers import DossierFactory
from tests.factories.jurys import JuryMemberFactory, JurySessionFactory
from tests.factories.referentiel import CertificationFactory

LOGIN_URL = "/comptes/login/"


def evaluate(dossier, owner, results=None):
    """Submit `dossier` as `owner`, fill its assessment and close it as its assessor.

    `results`: {competence number: "acquired" | "not_acquired"}; unlisted ones are acquired.
    """
    dossier_submit(dossier=dossier, by=owner)
    dossier.refresh_from_db()
    fill_assessment(dossier)
    assessment = dossier.assessment
    if results:
        evaluation_services.results_save(
            assessment=assessment,
            by=dossier.assessor.user,
            results={
                row.pk: (results[row.competence.number], f"Résultat C{row.competence.number}")
                for row in assessment.results.select_related("competence")
                if row.competence.number in results
            },
        )
    evaluation_services.assessment_complete(dossier=dossier, by=dossier.assessor.user)
    dossier.refresh_from_db()
    return dossier


def evaluated_dossier(*, establishment, certification, owner, results=None, **kwargs):
    """A new dossier of `establishment`, evaluated: « En attente de jury », not registered."""
    dossier = DossierFactory(establishment=establishment, certification=certification, **kwargs)
    return evaluate(dossier, owner, results)


def verdicts(dossier, validated, motivations=None):
    """The `competences` argument of `services.decide` for every competence not carried:
    `validated` is the set of validated competence numbers."""
    carried = set(dossier.carried_competences.values_list("competence_id", flat=True))
    motivations = motivations or {}
    return {
        competence.pk: (competence.number in validated, motivations.get(competence.number, ""))
        for competence in dossier.certification.competences.all()
        if competence.pk not in carried
    }


def decide(dossier, by, validated, motivations=None, motivation=""):
    return services.decide(
        dossier=dossier,
        by=by,
        competences=verdicts(dossier, validated, motivations),
        motivation=motivation,
    )


def prepare_represented(dossier, owner):
    """A represented dossier starts in registration: its employer confirms the assessor again."""
    assessor_confirm(dossier=dossier, by=owner, assessor=dossier.assessor)
    dossier.refresh_from_db()
    return dossier


@pytest.fixture
def employers_member(db):
    return JuryMemberFactory(college=College.EMPLOYERS)


@pytest.fixture
def employees_member(db):
    return JuryMemberFactory(college=College.EMPLOYEES)


@pytest.fixture
def session(employers_member, employees_member):
    """Open, held today, registrations until today: dossiers register and get decided today."""
    today = timezone.localdate()
    return JurySessionFactory(
        open=True,
        date=today,
        registration_deadline=today,
        members=[employers_member, employees_member],
    )


@pytest.fixture
def session_member(employers_member):
    """A member of `session` (employers' college)."""
    return employers_member.user


@pytest.fixture
def other_session_member(db):
    """A member of another session held today, not of `session`."""
    today = timezone.localdate()
    outsider = JuryMemberFactory(college=College.EMPLOYEES)
    JurySessionFactory(open=True, date=today, registration_deadline=today, members=[outsider])
    return outsider.user


@pytest.fixture
def certification(db):
    """Three competences C1, C2, C3; capitalisation for 5 years."""
    return CertificationFactory(competences=3, capitalisation_years=5)


@pytest.fixture
def establishment(db):
    return EstablishmentFactory(siret=SIRETS[0], name="Chimie du Rhône")


@pytest.fixture
def owner(establishment):
    """The employer of the dossiers' establishment."""
    return MembershipFactory(
        user=UserFactory(email="rh@chimie-rhone.fr"), establishment=establishment
    ).user


@pytest.fixture
def other_employer(db):
    elsewhere = EstablishmentFactory(siret=SIRETS[5], name="Autre Chimie")
    return MembershipFactory(user=UserFactory(), establishment=elsewhere).user


@pytest.fixture
def awaiting(establishment, certification, owner):
    """Evaluated (every competence acquired), « En attente de jury », not registered."""
    return evaluated_dossier(establishment=establishment, certification=certification, owner=owner)


@pytest.fixture
def registered(awaiting, session, owner):
    """`awaiting`, registered by its employer to `session` (whose date has come)."""
    services.registration_create(dossier=awaiting, session=session, by=owner)
    awaiting.refresh_from_db()
    return awaiting


@pytest.fixture
def assessor(awaiting):
    """The assigned assessor's user."""
    return awaiting.assessor.user


@pytest.fixture
def partial(registered, session_member):
    """`registered`, decided by the jury: C1 and C2 validated, C3 not → « Partiel »."""
    decide(registered, session_member, {1, 2}, motivations={3: "Consignation non maîtrisée."})
    registered.refresh_from_db()
    return registered
