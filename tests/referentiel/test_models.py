import pytest

from referentiel.models import Certification
from tests.factories.referentiel import (
    CertificationFactory,
    CertificationOptionFactory,
    CompetenceFactory,
)


@pytest.mark.django_db
def test_competence_str_shows_number_and_label():
    competence = CompetenceFactory(number=3, label="Conduire la ligne")
    assert str(competence) == "C3 — Conduire la ligne"


@pytest.mark.django_db
def test_certification_has_options_false_without_options():
    assert CertificationFactory().has_options is False


@pytest.mark.django_db
def test_certification_has_options_true_with_an_option():
    option = CertificationOptionFactory()
    assert Certification.objects.get(pk=option.certification_id).has_options is True


@pytest.mark.django_db
def test_certification_factory_creates_three_numbered_competences():
    certification = CertificationFactory()
    assert list(certification.competences.values_list("number", flat=True)) == [1, 2, 3]
