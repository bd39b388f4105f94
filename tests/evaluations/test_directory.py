"""The public « Annuaire des évaluateurs habilités » (issue #12)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.factories.accounts import MembershipFactory, UserFactory
from tests.factories.dossiers import DossierFactory
from tests.factories.evaluations import AccreditationFactory, AssessorFactory
from tests.factories.referentiel import CertificationFactory

pytestmark = pytest.mark.django_db
URL = "/evaluations/annuaire/"


@pytest.fixture
def listed():
    lyon_cert, paris_cert = (
        CertificationFactory(label="Pilote"),
        CertificationFactory(label="Agent"),
    )
    lyon = AssessorFactory(
        organisation="Cabinet Lyon",
        professional_email="lyon@exemple.fr",
        professional_phone="04 00 00 00 00",
        departments="69 01",
    )
    AccreditationFactory(assessor=lyon, certifications=[lyon_cert])
    paris = AssessorFactory(organisation="Cabinet Paris", departments="75")
    AccreditationFactory(assessor=paris, certifications=[paris_cert])
    expired = AssessorFactory(organisation="Cabinet Expiré", departments="69")
    today = timezone.localdate()
    AccreditationFactory(
        assessor=expired,
        certifications=[lyon_cert],
        valid_from=today - datetime.timedelta(days=400),
        valid_until=today - datetime.timedelta(days=1),
    )
    hidden = AssessorFactory(organisation="Cabinet Masqué", listed_in_directory=False)
    AccreditationFactory(assessor=hidden, certifications=[lyon_cert])
    return {"lyon_cert": lyon_cert, "paris_cert": paris_cert}


def _organisations(response):
    return [a.organisation for a in response.context["page_obj"].object_list]


def test_directory_public_lists_valid_listed_assessors_only(client, listed):
    response = client.get(URL)
    html = response.content.decode()

    assert response.status_code == 200
    assert _organisations(response) == ["Cabinet Lyon", "Cabinet Paris"]
    assert '<a href="mailto:lyon@exemple.fr">lyon@exemple.fr</a>' in html
    assert "Rhône (69), Ain (01)" in html
    assert "Cabinet Expiré" not in html and "Cabinet Masqué" not in html


def test_directory_filters_by_certification_and_region(client, listed):
    by_cert = client.get(URL, {"certification": listed["paris_cert"].pk})
    assert _organisations(by_cert) == ["Cabinet Paris"]
    # Auvergne-Rhône-Alpes (84) holds the Rhône and the Ain.
    assert _organisations(client.get(URL, {"region": "84"})) == ["Cabinet Lyon"]
    assert _organisations(client.get(URL, {"region": "11"})) == ["Cabinet Paris"]


def test_directory_query_count_does_not_grow(client, listed, django_assert_num_queries):
    with django_assert_num_queries(5):
        client.get(URL)
    AccreditationFactory(
        assessor=AssessorFactory(departments="13"), certifications=[CertificationFactory()]
    )
    with django_assert_num_queries(5):
        client.get(URL)


def test_unknown_department_code_refused():
    assessor = AssessorFactory(departments="69 999")
    with pytest.raises(ValidationError) as error:
        assessor.full_clean()
    assert "Département(s) inconnu(s) : 999." in error.value.messages[0]


def test_wizard_assessor_step_links_to_directory(client):
    dossier = DossierFactory(assessor=None, assessor_confirmed_at=None)
    user = MembershipFactory(user=UserFactory(), establishment=dossier.establishment).user
    client.force_login(user)
    html = client.get(f"/dossiers/{dossier.pk}/etape/evaluateur/").content.decode()
    assert f'href="/evaluations/annuaire/?certification={dossier.certification_id}"' in html
