"""Certifications carry their France compétences register type and number (issue #11 item 1)."""

import pytest
import tablib
from django.core.exceptions import ValidationError
from django.core.management import call_command

from referentiel.enums import RegisterType
from referentiel.models import Certification
from referentiel.resources import CertificationResource
from tests.factories.referentiel import CertificationFactory, SectorFactory


@pytest.mark.django_db
def test_fixture_marks_every_unknown_code_missing():
    call_command("loaddata", "referentiel", verbosity=0)

    rows = set(Certification.objects.values_list("register_type", "register_number"))

    assert rows == {(RegisterType.RNCP, "")}
    assert {c.register_code for c in Certification.objects.all()} == {""}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("register_type", "number", "code"),
    [(RegisterType.RNCP, "35185", "RNCP35185"), (RegisterType.RS, "5432", "RS5432")],
)
def test_register_code_joins_type_and_number(register_type, number, code):
    certification = CertificationFactory(register_type=register_type, register_number=number)

    assert certification.register_code == code


@pytest.mark.django_db
@pytest.mark.parametrize("number", ["RNCP35185", "35 185", "123456789"])
def test_register_number_digits_only(number):
    certification = CertificationFactory()
    certification.register_number = number

    with pytest.raises(ValidationError) as error:
        certification.full_clean()

    assert list(error.value.message_dict) == ["register_number"]


@pytest.mark.django_db
def test_register_code_importable():
    SectorFactory(code="fabrication", name="Fabrication")
    existing = CertificationFactory(code="cqp-existant", register_number="")
    headers = ["code", "kind", "label", "sector", "register_type", "register_number"]
    dataset = tablib.Dataset(
        ("cqp-existant", "cqp", existing.label, "fabrication", "RNCP", "35185"),
        ("cqp-nouveau", "cqp", "Nouveau métier", "fabrication", "RS", "5432"),
        headers=headers,
    )

    result = CertificationResource().import_data(dataset, dry_run=False)

    assert not result.has_errors() and not result.has_validation_errors()
    assert dict(Certification.objects.values_list("code", "register_number")) == {
        "cqp-existant": "35185",
        "cqp-nouveau": "5432",
    }
    assert Certification.objects.get(code="cqp-nouveau").register_code == "RS5432"


@pytest.mark.django_db
def test_register_code_import_refuses_a_bad_number():
    SectorFactory(code="fabrication", name="Fabrication")
    dataset = tablib.Dataset(
        ("cqp-nouveau", "cqp", "Nouveau métier", "fabrication", "RNCP", "RNCP12"),
        headers=["code", "kind", "label", "sector", "register_type", "register_number"],
    )

    result = CertificationResource().import_data(dataset, dry_run=False)

    assert result.has_validation_errors()
    assert not Certification.objects.filter(code="cqp-nouveau").exists()


def test_admin_filter_lists_missing_codes(admin_client):
    CertificationFactory(label="Sans code", register_number="")
    CertificationFactory(label="Avec code", register_number="35185")

    response = admin_client.get(
        "/admin/referentiel/certification/", {"code_repertoire": "manquant"}
    )

    assert [c.label for c in response.context["cl"].result_list] == ["Sans code"]
    assert "Code manquant" in response.content.decode()
