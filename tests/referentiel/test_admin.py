import pytest
from django.urls import reverse

from referentiel.models import Certification
from tests.factories.referentiel import CertificationFactory, CertificationOptionFactory


@pytest.mark.django_db
def test_certification_admin_changelist_shows_provisional_column(admin_client_fr):
    CertificationFactory()
    response = admin_client_fr.get(reverse("admin:referentiel_certification_changelist"))
    assert response.status_code == 200
    assert "Liste provisoire" in response.content.decode()


@pytest.mark.django_db
def test_certification_admin_action_marks_competence_list_official(admin_client_fr):
    provisional = CertificationFactory()
    other = CertificationFactory()
    response = admin_client_fr.post(
        reverse("admin:referentiel_certification_changelist"),
        {"action": "mark_competences_official", "_selected_action": [provisional.pk]},
    )
    assert response.status_code == 302
    assert Certification.objects.get(pk=provisional.pk).competences_provisional is False
    assert Certification.objects.get(pk=other.pk).competences_provisional is True


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model", ["sector", "certification", "certificationoption", "competence", "trainingscheme"]
)
def test_referentiel_admin_import_page_offers_xlsx_and_csv(admin_client_fr, model):
    response = admin_client_fr.get(reverse(f"admin:referentiel_{model}_import"))
    assert response.status_code == 200
    content = response.content.decode()
    assert ">xlsx<" in content
    assert ">csv<" in content
    assert ">json<" not in content


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model", ["sector", "certification", "certificationoption", "competence", "trainingscheme"]
)
def test_referentiel_admin_changelist_renders(admin_client_fr, model):
    CertificationOptionFactory()
    response = admin_client_fr.get(reverse(f"admin:referentiel_{model}_changelist"))
    assert response.status_code == 200


@pytest.mark.django_db
def test_certification_admin_change_page_shows_competence_and_option_inlines(admin_client_fr):
    option = CertificationOptionFactory(label="Production")
    url = reverse("admin:referentiel_certification_change", args=[option.certification_id])
    response = admin_client_fr.get(url)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Production" in content
    assert 'name="competences-0-label"' in content
