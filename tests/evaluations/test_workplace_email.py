import pytest

from dossiers import services as dossier_services
from tests.factories.accounts import MembershipFactory, UserFactory
from tests.factories.dossiers import DossierFactory

pytestmark = pytest.mark.django_db


def test_first_workplace_observations_email_the_assessor_once(
    mailoutbox, django_capture_on_commit_callbacks
):
    from evaluations.services import invitation_create, workplace_observations_save

    dossier = DossierFactory()
    owner = UserFactory()
    MembershipFactory(user=owner, establishment=dossier.establishment)
    dossier_services.dossier_submit(dossier=dossier, by=owner)
    invitation, _token = invitation_create(
        assessment=dossier.assessment,
        by=dossier.assessor.user,
        name="Paul Tuteur",
        email="paul@exemple.fr",
        function="Tuteur",
    )
    rows = list(dossier.assessment.results.all())
    with django_capture_on_commit_callbacks(execute=True):
        for text in ["Premier avis", "Avis complété"]:
            workplace_observations_save(
                invitation=invitation,
                observations={r.pk: text for r in rows},
                general_observation=text,
            )
    subjects = [m.subject for m in mailoutbox if m.to == [dossier.assessor.user.email]]
    assert subjects == [
        f"[e-Certif] Observations de l'évaluateur métier — dossier {dossier.number}"
    ]
