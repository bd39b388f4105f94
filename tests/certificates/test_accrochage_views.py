"""The secretariat's page for the Caisse des Dépôts file: a Celery job of the export
machinery, past flows, certifications that cannot be reported."""

import pytest
from django.utils import timezone

from certificates.accrochage import accrochage_export
from certificates.models import AccrochageFlow
from exports.enums import ExportKind, ExportStatus
from exports.models import ExportJob
from tests.factories.accounts import EmployerFactory
from tests.factories.referentiel import CertificationFactory

URL = "/certificats/caisse-des-depots/"


@pytest.fixture(autouse=True)
def identifiers(settings):
    settings.ACCROCHAGE_ID_CLIENT = "AB123CDE"
    settings.ACCROCHAGE_ID_CONTRAT = "MCFCER000123"


@pytest.fixture
def coded(certification):
    certification.register_number = "35185"
    certification.save()
    return certification


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 302), ("employer", 403), ("secretariat", 200)]
)
def test_accrochage_page_access(client, secretariat, who, status):
    if who == "employer":
        client.force_login(EmployerFactory())
    elif who == "secretariat":
        client.force_login(secretariat)

    assert client.get(URL).status_code == status


def test_accrochage_page_names_certifications_without_code(client, secretariat, coded):
    CertificationFactory(label="Agent logistique")
    client.force_login(secretariat)

    response = client.get(URL)

    assert [c.label for c in response.context["missing"]] == ["Agent logistique"]
    assert "code France compétences manquant" in response.content.decode()


def test_accrochage_job_writes_the_xml_and_records_the_flow(
    client, secretariat, coded, validated, django_capture_on_commit_callbacks
):
    client.force_login(secretariat)
    today = timezone.localdate().isoformat()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/exports/caisse-des-depots/",
            {"period_start": "2020-01-01", "period_end": today},
        )

    job = ExportJob.objects.get()
    flow = AccrochageFlow.objects.get()
    assert response["Location"] == f"/exports/{job.pk}/"
    assert (job.kind, job.status, job.row_count) == (ExportKind.ACCROCHAGE, ExportStatus.DONE, 1)
    assert job.title == f"Déclaration à la Caisse des Dépôts — flux {flow.flow_id}"
    assert flow.created_by == secretariat
    assert job.file.name.endswith(".xml")
    download = client.get(f"/exports/{job.pk}/telecharger/")
    assert download["Content-Type"] == "application/xml"
    assert b"".join(download.streaming_content).decode() == flow.xml
    page = client.get(URL)
    assert flow.flow_id in page.content.decode()
    again = client.get(f"/certificats/caisse-des-depots/{flow.pk}/flux.xml")
    assert again.content.decode() == flow.xml


def test_accrochage_job_fails_with_the_dossier_named(
    client, secretariat, coded, validated, django_capture_on_commit_callbacks
):
    candidate = validated.candidate
    candidate.birth_place_code = ""
    candidate.save()
    client.force_login(secretariat)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/exports/caisse-des-depots/",
            {"period_start": "2020-01-01", "period_end": timezone.localdate().isoformat()},
        )

    job = ExportJob.objects.get()
    assert job.status == ExportStatus.FAILED
    assert job.error == (
        "L'export a échoué : aucun fichier produit.\n"
        f"Dossier {validated.number} : code de la commune de naissance absent (code postal ou "
        "INSEE, ou 99xxx pour un pays étranger)."
    )
    assert not job.file
    assert not AccrochageFlow.objects.exists()


def test_accrochage_refused_to_employers(client, db):
    client.force_login(EmployerFactory())

    response = client.post(
        "/exports/caisse-des-depots/", {"period_start": "2026-01-01", "period_end": "2026-01-31"}
    )

    assert response.status_code == 403
    assert not ExportJob.objects.exists()


def test_accrochage_flow_download_refused_to_employers(client, secretariat, coded, validated):
    flow = accrochage_export(
        period_start=timezone.localdate().replace(year=2020), period_end=timezone.localdate()
    ).flow
    client.force_login(EmployerFactory())

    assert client.get(f"/certificats/caisse-des-depots/{flow.pk}/flux.xml").status_code == 403
