"""The Caisse des Dépôts XML (issue #11 item 3): a dataset with known answers, the schema,
refusals naming the dossier, reported once, corrections and revocations."""

import datetime
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.core.management import CommandError, call_command

from certificates.accrochage import AccrochageError, access_route, accrochage_export, schema
from certificates.enums import ACCESS_ROUTES, EntryReason
from certificates.models import AccrochageEntry, AccrochageFlow
from jurys import services
from jurys.enums import SessionStatus
from jurys.models import IssuedDocument, JurySession
from referentiel.models import TrainingScheme
from tests.certificates.conftest import decided
from tests.factories.referentiel import (
    CertificationFactory,
    CertificationOptionFactory,
    TrainingSchemeFactory,
)

EXPECTED = Path(__file__).parent / "data" / "accrochage_expected.xml"
NOW = datetime.datetime(2026, 11, 20, 10, 30, 15, tzinfo=datetime.UTC)
START, END = datetime.date(2026, 11, 1), datetime.date(2026, 11, 30)


@pytest.fixture(autouse=True)
def identifiers(settings):
    settings.ACCROCHAGE_ID_CLIENT = "AB123CDE"
    settings.ACCROCHAGE_ID_CONTRAT = "MCFCER000123"
    settings.SITE_URL = "https://ecertif.example.org"


@pytest.fixture
def session(president):
    """Held on 18 November 2026, two days before the clock of these tests."""
    session = JurySession.objects.create(
        date=datetime.date(2026, 11, 18),
        place="Paris",
        registration_deadline=datetime.date(2026, 11, 4),
        status=SessionStatus.REGISTRATION_CLOSED,
        president=president,
    )
    session.members.set([president])
    return session


def _scheme(code):
    return TrainingSchemeFactory(code=code, label=code)


@pytest.fixture
def dataset(session, establishment, president):
    """Known answers: three parchemins of RNCP35185 (one per birthplace kind), an attestation
    (never reported), and a parchemin of a certification without its register number."""
    with time_machine.travel(NOW, tick=False):
        reported = CertificationFactory(
            label="Conducteur d'appareils", competences=2, register_number="35185"
        )
        option = CertificationOptionFactory(certification=reported, label="Production")
        without_code = CertificationFactory(label="Agent logistique", competences=1)
        by = president.user
        lyon = decided(
            session,
            reported,
            establishment,
            by,
            validated={1, 2},
            birth_name="Petit",
            candidate__first_names="Camille Marie Louise Anne",
            candidate__usage_name="Durand",
            training_scheme=_scheme("contrat-professionnalisation"),
            option=option,
        )
        alger = decided(
            session,
            reported,
            establishment,
            by,
            validated={1, 2},
            birth_name="Benali",
            candidate__first_names="Karim",
            candidate__civility="m",
            candidate__birth_date=datetime.date(1988, 1, 5),
            candidate__birth_place="Alger",
            candidate__birth_place_code="99352",
            training_scheme=_scheme("vae"),
        )
        ajaccio = decided(
            session,
            reported,
            establishment,
            by,
            validated={1, 2},
            birth_name="Santoni",
            candidate__first_names="Paul",
            candidate__civility="m",
            candidate__birth_place="Ajaccio",
            candidate__birth_place_code="2A004",
            training_scheme=_scheme("autre"),
        )
        decided(session, reported, establishment, by, validated={1}, birth_name="Partiel")
        decided(session, without_code, establishment, by, validated={1}, birth_name="Sanscode")
    for index, dossier in enumerate([lyon, alger, ajaccio]):
        IssuedDocument.objects.filter(decision__dossier=dossier).update(
            verification_code=f"code{index}" + "x" * 15
        )
    return {"lyon": lyon, "alger": alger, "ajaccio": ajaccio}


def _export(**kwargs):
    return accrochage_export(period_start=START, period_end=END, now=NOW, **kwargs)


def test_accrochage_dataset_equals_the_expected_file_and_validates(dataset):
    result = _export()

    flow = result.flow
    expected = EXPECTED.read_text(encoding="utf-8").replace("{flow_id}", flow.flow_id)
    assert flow.xml == expected
    assert schema().is_valid(flow.xml)
    assert result.passages == 3
    assert result.skipped_certifications == ["Agent logistique"]
    assert flow.flow_id.startswith("ECERTIF-20261120-113015-")
    assert flow.file_name == f"accrochage-{flow.flow_id.lower()}.xml"
    assert sorted(flow.entries.values_list("id_technique", "reason")) == [
        ("P-2026-00001", EntryReason.AWARD),
        ("P-2026-00002", EntryReason.AWARD),
        ("P-2026-00003", EntryReason.AWARD),
    ]


def test_accrochage_second_export_of_the_period_has_nothing_new(dataset):
    _export()

    again = _export()

    assert again.flow is None
    assert AccrochageFlow.objects.count() == 1


def test_accrochage_correction_goes_in_a_correction_entry(dataset):
    _export()
    candidate = dataset["alger"].candidate
    candidate.birth_name = "Ben Ali"
    candidate.save()

    result = _export()

    assert result.passages == 1
    assert list(result.flow.entries.values_list("id_technique", "reason")) == [
        ("P-2026-00002", EntryReason.CORRECTION)
    ]
    assert "<cpf:nomNaissance>Ben Ali</cpf:nomNaissance>" in result.flow.xml
    assert schema().is_valid(result.flow.xml)


def test_accrochage_revoked_decision_is_reported_as_ended(dataset, secretariat):
    _export()
    with time_machine.travel(NOW + datetime.timedelta(days=3), tick=False):
        services.decision_revoke(dossier=dataset["lyon"], by=secretariat, reason="Fraude")

    result = _export()

    assert list(result.flow.entries.values_list("id_technique", "reason")) == [
        ("P-2026-00001", EntryReason.REVOCATION)
    ]
    assert "<cpf:dateFinValidite>2026-11-23</cpf:dateFinValidite>" in result.flow.xml
    assert schema().is_valid(result.flow.xml)
    assert _export().flow is None


def test_accrochage_missing_field_names_the_dossier_and_produces_nothing(dataset):
    candidate = dataset["ajaccio"].candidate
    candidate.birth_place_code = ""
    candidate.save()

    with pytest.raises(AccrochageError) as error:
        _export()

    assert error.value.messages == [
        f"Dossier {dataset['ajaccio'].number} : code de la commune de naissance absent "
        "(code postal ou INSEE, ou 99xxx pour un pays étranger)."
    ]
    assert not AccrochageFlow.objects.exists()
    assert not AccrochageEntry.objects.exists()


def test_accrochage_schema_refusal_names_the_dossier_and_field(dataset, monkeypatch):
    # The schema is the safety net behind the pre-checks: switch them off to reach it.
    monkeypatch.setattr("certificates.accrochage.holder_errors", lambda dossier: [])
    candidate = dataset["ajaccio"].candidate
    candidate.birth_name = "S" * 61
    candidate.save()

    with pytest.raises(AccrochageError) as error:
        _export()

    assert error.value.messages == [
        f"Dossier {dataset['ajaccio'].number} : champ « nom de naissance » "
        "refusé par le schéma de la Caisse des Dépôts."
    ]
    assert not AccrochageFlow.objects.exists()


def test_accrochage_needs_the_cdc_identifiers(dataset, settings):
    settings.ACCROCHAGE_ID_CLIENT = ""

    with pytest.raises(AccrochageError) as error:
        _export()

    assert error.value.messages[0].startswith("Paramètre ACCROCHAGE_ID_CLIENT")


@pytest.mark.django_db
def test_access_route_covers_every_scheme_of_the_fixture():
    call_command("loaddata", "referentiel", verbosity=0)

    routes = {scheme.code: access_route(scheme) for scheme in TrainingScheme.objects.all()}

    assert routes == {
        "contrat-professionnalisation": "FORMATION_CONTINUE_CONTRAT_DE_PROFESSIONNALISATION",
        "pro-a": "FORMATION_CONTINUE_HORS_CONTRAT_DE_PROFESSIONNALISATION",
        "plan-developpement-competences": "FORMATION_CONTINUE_HORS_CONTRAT_DE_PROFESSIONNALISATION",
        "cpf": "FORMATION_CONTINUE_HORS_CONTRAT_DE_PROFESSIONNALISATION",
        "vae": "VAE",
        "apprentissage": "FORMATION_INITIALE_APPRENTISSAGE",
        "autre": None,
    }
    allowed = set(schema().types["modaliteAcces"].enumeration)
    assert {route for route in ACCESS_ROUTES.values() if route} <= allowed


def test_export_accrochage_command_writes_the_validated_file(dataset, tmp_path):
    output = tmp_path / "flux.xml"
    out, err = StringIO(), StringIO()

    call_command(
        "export_accrochage",
        "--from",
        "2026-11-01",
        "--to",
        "2026-11-30",
        "--output",
        str(output),
        stdout=out,
        stderr=err,
    )

    flow = AccrochageFlow.objects.get()
    assert output.read_text(encoding="utf-8") == flow.xml
    assert out.getvalue() == f"Flux {flow.flow_id} : 3 passage(s) écrit(s) dans {output}.\n"
    assert err.getvalue() == (
        "Non déclarable, code France compétences manquant : « Agent logistique ».\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["flux.xml"]


def test_export_accrochage_command_fails_without_file(dataset, tmp_path):
    candidate = dataset["lyon"].candidate
    candidate.birth_name = ""
    candidate.save()
    output = tmp_path / "flux.xml"

    with pytest.raises(CommandError) as error:
        call_command(
            "export_accrochage",
            "--from",
            "2026-11-01",
            "--to",
            "2026-11-30",
            "--output",
            str(output),
        )

    assert str(error.value) == (
        "Aucun fichier produit :\n"
        f"Dossier {dataset['lyon'].number} : nom de naissance absent ou de plus de 60 caractères."
    )
    assert not output.exists()
