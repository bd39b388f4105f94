import pytest
import tablib
from import_export.formats.base_formats import XLSX

from referentiel.models import Certification, Competence
from referentiel.resources import CertificationResource, CompetenceResource
from tests.factories.referentiel import CertificationFactory, SectorFactory


def competence_labels():
    return list(
        Competence.objects.order_by("certification__code", "number").values_list(
            "certification__code", "number", "label"
        )
    )


def import_competences(dataset):
    return CompetenceResource().import_data(
        dataset, dry_run=False, raise_errors=False, use_transactions=True
    )


def with_label(dataset, number, label):
    """A copy of an exported competence dataset where competence `number` has a new label."""
    rows = [
        (code, num, label if int(num) == number else old_label) for code, num, old_label in dataset
    ]
    return tablib.Dataset(*rows, headers=dataset.headers)


@pytest.mark.django_db
def test_competence_export_has_certification_code_number_and_label():
    CertificationFactory(code="cqp-test", competences=2)
    dataset = CompetenceResource().export()
    assert dataset.headers == ["Certification", "Numéro", "Intitulé"]
    assert [row[:2] for row in dataset] == [("cqp-test", "1"), ("cqp-test", "2")]


@pytest.mark.django_db
def test_competence_import_round_trip_updates_label_in_place():
    certification = CertificationFactory(code="cqp-test", competences=3)
    pks = list(certification.competences.values_list("pk", flat=True))
    dataset = with_label(CompetenceResource().export(), 2, "Libellé officiel")

    result = import_competences(dataset)

    assert not result.has_errors()
    assert not result.has_validation_errors()
    assert result.totals["update"] == 1
    assert result.totals["skip"] == 2
    assert certification.competences.get(number=2).label == "Libellé officiel"
    assert list(certification.competences.values_list("pk", flat=True)) == pks


@pytest.mark.django_db
def test_competence_import_round_trip_through_xlsx():
    certification = CertificationFactory(code="cqp-test", competences=3)
    xlsx = XLSX()
    # The admin exports binary formats with native types, as here.
    exported = CompetenceResource().export(force_native_type=True)
    content = xlsx.export_data(with_label(exported, 1, "Libellé xlsx"))

    result = import_competences(xlsx.create_dataset(content))

    assert not result.has_errors()
    assert not result.has_validation_errors()
    assert certification.competences.get(number=1).label == "Libellé xlsx"
    assert certification.competences.count() == 3


@pytest.mark.django_db
def test_competence_import_new_number_adds_a_competence():
    certification = CertificationFactory(code="cqp-test", competences=2)
    dataset = tablib.Dataset(
        ("cqp-test", 3, "Nouvelle compétence"), headers=["certification", "number", "label"]
    )

    result = import_competences(dataset)

    assert result.totals["new"] == 1
    assert list(certification.competences.values_list("number", "label")) == [
        (1, certification.competences.get(number=1).label),
        (2, certification.competences.get(number=2).label),
        (3, "Nouvelle compétence"),
    ]


@pytest.mark.django_db
def test_competence_import_unknown_certification_changes_nothing():
    CertificationFactory(code="cqp-test", competences=3)
    before = competence_labels()
    dataset = with_label(CompetenceResource().export(), 1, "Ne doit pas être enregistré")
    dataset.append(("cqp-inconnu", 1, "Compétence orpheline"))

    result = import_competences(dataset)

    assert result.has_errors()
    assert [row.number for row in result.error_rows] == [4]
    assert competence_labels() == before


@pytest.mark.django_db
def test_competence_import_empty_label_changes_nothing():
    CertificationFactory(code="cqp-test", competences=3)
    before = competence_labels()
    dataset = with_label(CompetenceResource().export(), 1, "Ne doit pas être enregistré")
    dataset.append(("cqp-test", 4, ""))

    result = import_competences(dataset)

    assert result.has_validation_errors()
    assert [row.number for row in result.invalid_rows] == [4]
    assert list(result.invalid_rows[0].field_specific_errors) == ["Intitulé"]
    assert competence_labels() == before


@pytest.mark.django_db
def test_certification_import_links_sector_by_code():
    SectorFactory(code="fabrication", name="Fabrication")
    dataset = tablib.Dataset(
        ("cqp-nouveau", "cqp", "Nouveau métier", "fabrication", 4, 1, 5, 1, "RNCP", "", 10),
        headers=CertificationResource().get_export_headers(),
    )

    result = CertificationResource().import_data(dataset, dry_run=False)

    assert not result.has_errors()
    assert not result.has_validation_errors()
    certification = Certification.objects.get(code="cqp-nouveau")
    assert (certification.sector.code, certification.level) == ("fabrication", 4)
