import pytest

from dossiers import services as dossier_services
from tests.factories.accounts import MembershipFactory, UserFactory
from tests.factories.dossiers import DossierFactory

pytestmark = pytest.mark.django_db


def test_assessor_home_groups_dossiers_by_next_step(client):
    from evaluations.services import invitation_create, workplace_observations_save
    from tests.factories.evaluations import AccreditationFactory

    first = DossierFactory()
    assessor = first.assessor
    owner = UserFactory()
    MembershipFactory(user=owner, establishment=first.establishment)
    dossiers = [first]
    for _ in range(2):
        other = DossierFactory(
            establishment=first.establishment,
            certification=first.certification,
            assessor=assessor,
        )
        dossiers.append(other)
    AccreditationFactory(assessor=assessor, certifications=[first.certification])
    for dossier in dossiers:
        dossier_services.dossier_submit(dossier=dossier, by=owner)
    invited, _ = invitation_create(
        assessment=dossiers[1].assessment, by=assessor.user, name="A", email="a@x.fr", function="T"
    )
    observed, _ = invitation_create(
        assessment=dossiers[2].assessment, by=assessor.user, name="B", email="b@x.fr", function="T"
    )
    workplace_observations_save(invitation=observed, observations={}, general_observation="ok")
    client.force_login(assessor.user)
    groups = client.get("/").context["groups"]
    assert [(action, [d.number for d in rows]) for _title, action, rows in groups] == [
        ("Inviter", [dossiers[0].number]),
        ("Consulter", [dossiers[1].number]),
        ("Évaluer", [dossiers[2].number]),
    ]
