import pytest
from django.core.management import call_command

from referentiel.enums import CertificationKind
from referentiel.models import (
    Certification,
    CertificationOption,
    Competence,
    Sector,
    TrainingScheme,
)

EXPECTED_LEVELS = {
    "Opérateur(trice) de fabrication des Industries Chimiques": 3,
    "Conducteur(trice) d'équipement de fabrication des Industries Chimiques": 4,
    "Pilote d'installation de fabrication (H/F) des Industries Chimiques": 4,
    "Animateur(trice) d'équipe de fabrication des Industries Chimiques": 5,
    "Conducteur(trice) de ligne de conditionnement des Industries Chimiques": 4,
    "Pilote de ligne de conditionnement (H/F) des Industries Chimiques": 4,
    "Animateur(trice) d'équipe de conditionnement des Industries Chimiques": 5,
    "Agent logistique des Industries Chimiques (H/F)": 3,
    "Animateur(trice) d'équipe de logistique des Industries Chimiques": 5,
    "Opérateur(trice) de maintenance industrielle des Industries Chimiques": 3,
    "Technicien(ne) de maintenance Industrielle des Industries Chimiques": 4,
    "Animateur(trice) d'équipe de maintenance des Industries Chimiques": 5,
    "Technico-commercial(e) des Industries Chimiques": None,
    "Vente conseil en magasin": None,
    "Technicien de la Qualité": None,
    "Responsable de secteur industriel des Industries Chimiques (H/F)": None,
}


@pytest.mark.django_db
def test_fixture_sectors_are_the_seven_of_the_seed(referentiel):
    assert list(Sector.objects.values_list("name", flat=True)) == [
        "Fabrication",
        "Conditionnement",
        "Logistique",
        "Maintenance",
        "Commercialisation Vente",
        "Qualité-Hygiène-Sécurité-Santé-Environnement",
        "Encadrement d'un secteur industriel",
    ]


@pytest.mark.django_db
def test_fixture_certifications_have_the_seed_labels_and_levels(referentiel):
    assert dict(Certification.objects.values_list("label", "level")) == EXPECTED_LEVELS
    assert Certification.objects.count() == 16


@pytest.mark.django_db
def test_fixture_cqpi_are_vente_conseil_and_technicien_qualite(referentiel):
    cqpi = Certification.objects.filter(kind=CertificationKind.CQPI)
    assert sorted(cqpi.values_list("label", flat=True)) == [
        "Technicien de la Qualité",
        "Vente conseil en magasin",
    ]


@pytest.mark.django_db
def test_fixture_every_certification_has_a_provisional_competence_list(referentiel):
    for certification in Certification.objects.all():
        assert certification.competences_provisional is True
        numbers = list(certification.competences.values_list("number", flat=True))
        assert 5 <= len(numbers) <= 8
        assert numbers == list(range(1, len(numbers) + 1))


@pytest.mark.django_db
def test_fixture_only_responsable_de_secteur_has_options(referentiel):
    responsable = Certification.objects.get(code="cqp-responsable-secteur-industriel")
    assert responsable.has_options is True
    assert list(responsable.options.values_list("label", flat=True)) == [
        "Production",
        "Logistique",
    ]
    assert CertificationOption.objects.count() == 2


@pytest.mark.django_db
def test_fixture_training_schemes_are_the_seven_of_the_spec(referentiel):
    assert list(TrainingScheme.objects.values_list("label", flat=True)) == [
        "Contrat de professionnalisation",
        "Pro-A (reconversion ou promotion par alternance)",
        "Plan de développement des compétences",
        "Compte personnel de formation (CPF)",
        "Validation des acquis de l'expérience (VAE)",
        "Apprentissage",
        "Autre",
    ]


@pytest.mark.django_db
def test_fixture_loaded_twice_creates_no_duplicates(referentiel):
    competence_count = Competence.objects.count()
    call_command("loaddata", "referentiel", verbosity=0)
    assert Sector.objects.count() == 7
    assert Certification.objects.count() == 16
    assert Competence.objects.count() == competence_count
    assert TrainingScheme.objects.count() == 7
