"""A holder born abroad (issue #11 item 2): the XML carries the country of the official list
(`codePaysNaissance`, `libellePaysNaissance`) and still validates against the CDC schema."""

import datetime
import xml.etree.ElementTree as ET

import pytest
import time_machine

from certificates.accrochage import NAMESPACE, AccrochageError, accrochage_export, schema
from jurys.enums import SessionStatus
from jurys.models import JurySession
from tests.certificates.conftest import decided
from tests.factories.referentiel import CertificationFactory

NOW = datetime.datetime(2026, 11, 20, 10, 30, tzinfo=datetime.UTC)
NS = {"cpf": NAMESPACE}


@pytest.fixture(autouse=True)
def identifiers(settings):
    settings.ACCROCHAGE_ID_CLIENT = "AB123CDE"
    settings.ACCROCHAGE_ID_CONTRAT = "MCFCER000123"


@pytest.fixture
def holder(president, establishment):
    session = JurySession.objects.create(
        date=datetime.date(2026, 11, 18),
        registration_deadline=datetime.date(2026, 11, 4),
        status=SessionStatus.REGISTRATION_CLOSED,
        president=president,
    )
    session.members.set([president])
    certification = CertificationFactory(competences=1, register_number="35185")
    with time_machine.travel(NOW, tick=False):
        return decided(
            session,
            certification,
            establishment,
            president.user,
            validated={1},
            birth_name="Nguyen",
            candidate__birth_place="Hanoï",
            candidate__birth_place_code="99243",
        )


def _export():
    return accrochage_export(
        period_start=datetime.date(2026, 11, 1), period_end=datetime.date(2026, 11, 30), now=NOW
    )


def test_foreign_born_holder_carries_the_country_and_validates(holder):
    xml = _export().flow.xml

    assert schema().is_valid(xml)
    titulaire = ET.fromstring(xml).find(".//cpf:titulaire", NS)
    assert titulaire.find("cpf:codePaysNaissance", NS).text == "243"
    assert titulaire.find("cpf:libellePaysNaissance", NS).text == "VIET NAM"
    assert titulaire.find("cpf:libelleCommuneNaissance", NS).text == "Hanoï"
    postcode = titulaire.find("cpf:codeCommuneNaissance/cpf:codePostalNaissance/cpf:codePostal", NS)
    assert postcode.get("{http://www.w3.org/2001/XMLSchema-instance}nil") == "true"


def test_a_country_missing_from_the_list_stops_the_export(holder):
    candidate = holder.candidate
    candidate.birth_place_code = "99999"
    candidate.save()

    with pytest.raises(AccrochageError) as error:
        _export()

    assert error.value.messages == [
        f"Dossier {holder.number} : pays de naissance 99999 absent de la liste officielle des "
        "pays et territoires étrangers (INSEE)."
    ]
