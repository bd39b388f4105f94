import pytest
from django.urls import reverse

from tests.factories.referentiel import CertificationFactory, CertificationOptionFactory

PROVISIONAL_BADGE = '<span class="badge text-bg-warning">Liste provisoire</span>'


@pytest.mark.django_db
def test_index_anonymous_redirects_to_login(client):
    response = client.get(reverse("referentiel:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_index_with_fixture_lists_every_certification_and_provisional_badge(
    referentiel, user_client
):
    response = user_client.get(reverse("referentiel:index"))
    assert response.status_code == 200
    content = response.content.decode()
    assert content.count('<article class="card mb-3">') == 16
    assert PROVISIONAL_BADGE in content
    assert "Préparer les matières premières et les équipements de fabrication" in content
    assert "Options :" in content


@pytest.mark.django_db
def test_index_official_list_has_no_provisional_badge(user_client):
    CertificationFactory(official=True, label="Métier officiel")
    response = user_client.get(reverse("referentiel:index"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Métier officiel" in content
    assert PROVISIONAL_BADGE not in content.split("Métier officiel", 1)[1]


@pytest.mark.django_db
def test_index_hides_inactive_certifications(user_client):
    CertificationFactory(active=False, label="Métier retiré")
    response = user_client.get(reverse("referentiel:index"))
    assert "Métier retiré" not in response.content.decode()


@pytest.mark.django_db
def test_index_query_count_with_one_certification(user_client, django_assert_num_queries):
    CertificationOptionFactory()
    with django_assert_num_queries(6):
        response = user_client.get(reverse("referentiel:index"))
    assert response.status_code == 200


@pytest.mark.django_db
def test_index_query_count_with_three_certifications(user_client, django_assert_num_queries):
    CertificationOptionFactory()
    CertificationOptionFactory()
    CertificationOptionFactory()
    with django_assert_num_queries(6):
        response = user_client.get(reverse("referentiel:index"))
    assert response.status_code == 200
    assert response.content.decode().count('<article class="card mb-3">') == 3


@pytest.mark.django_db
def test_certification_page_shows_competences_and_provisional_notice(referentiel, user_client):
    url = reverse("referentiel:certification", args=["cqp-responsable-secteur-industriel"])
    response = user_client.get(url)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Responsable de secteur industriel des Industries Chimiques (H/F)" in content
    assert "Production, Logistique" in content
    assert "C1</span>" in content
    assert "les compétences ci-dessous sont provisoires" in content


@pytest.mark.django_db
def test_certification_page_official_list_has_no_provisional_notice(user_client):
    certification = CertificationFactory(official=True)
    response = user_client.get(reverse("referentiel:certification", args=[certification.code]))
    assert response.status_code == 200
    assert "Liste provisoire" not in response.content.decode()


@pytest.mark.django_db
def test_certification_page_unknown_code_is_404(user_client):
    response = user_client.get(reverse("referentiel:certification", args=["cqp-inconnu"]))
    assert response.status_code == 404


@pytest.mark.django_db
def test_certification_page_anonymous_redirects_to_login(client):
    certification = CertificationFactory()
    response = client.get(reverse("referentiel:certification", args=[certification.code]))
    assert response.status_code == 302
