"""The register of certificates (secretariat): list, search, status, pagination, Excel."""

import datetime

import openpyxl
import pytest
from django.utils import timezone

from certificates.enums import REGISTER_PAGE_SIZE
from exports.enums import ExportKind, ExportStatus
from exports.models import ExportJob
from jurys import services
from jurys.models import IssuedDocument
from tests.certificates.conftest import decided
from tests.factories.accounts import SIRETS, EmployerFactory, EstablishmentFactory
from tests.factories.referentiel import CertificationFactory

URL = "/certificats/"


def _numbers(response):
    return [document.number for document in response.context["page_obj"]]


@pytest.fixture
def issued(validated, partial):
    """[parchemin, attestation] numbers, in issue order."""
    return [
        validated.decisions.get().document.number,
        partial.decisions.get().document.number,
    ]


@pytest.fixture
def elsewhere(session, president):
    """A parchemin of another establishment and certification, issued last year."""
    other = EstablishmentFactory(siret=SIRETS[5], name="Autre Chimie")
    certification = CertificationFactory(label="Agent logistique", competences=2)
    dossier = decided(
        session, certification, other, president.user, validated={1, 2}, birth_name="Lenoir"
    )
    document = dossier.decisions.get().document
    last_year = timezone.now() - datetime.timedelta(days=400)
    IssuedDocument.objects.filter(pk=document.pk).update(issued_at=last_year)
    return document.number


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 302), ("employer", 403), ("secretariat", 200)]
)
def test_register_access(client, secretariat, who, status):
    if who == "employer":
        client.force_login(EmployerFactory())
    elif who == "secretariat":
        client.force_login(secretariat)

    assert client.get(URL).status_code == status


def test_register_lists_every_document_newest_first(client, secretariat, issued, elsewhere):
    client.force_login(secretariat)

    response = client.get(URL)

    assert _numbers(response) == [issued[1], issued[0], elsewhere]
    content = response.content.decode()
    assert "3 documents" in content
    assert "Attestation de compétences" in content


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "petit"}, [0]),
        ({"q": "MOREAU"}, [1]),
        ({"kind": "attestation"}, [1]),
        ({"establishment": "autre"}, ["elsewhere"]),
        ({"establishment": SIRETS[0]}, [1, 0]),
        ({"status": "valid"}, [1, 0, "elsewhere"]),
    ],
)
def test_register_filters(client, secretariat, issued, elsewhere, query, expected):
    client.force_login(secretariat)
    numbers = {0: issued[0], 1: issued[1], "elsewhere": elsewhere}

    response = client.get(URL, query)

    assert _numbers(response) == [numbers[key] for key in expected]


def test_register_filters_by_number_certification_and_date(
    client, secretariat, issued, elsewhere, certification
):
    client.force_login(secretariat)
    today = timezone.localdate().isoformat()

    assert _numbers(client.get(URL, {"q": issued[0]})) == [issued[0]]
    assert _numbers(client.get(URL, {"certification": certification.pk})) == issued[::-1]
    assert _numbers(client.get(URL, {"issued_from": today})) == issued[::-1]
    last_year = (timezone.localdate() - datetime.timedelta(days=300)).isoformat()
    assert _numbers(client.get(URL, {"issued_to": last_year})) == [elsewhere]


def test_register_status_revoked(client, secretariat, validated, partial):
    services.decision_revoke(dossier=validated, by=secretariat, reason="Erreur")
    client.force_login(secretariat)

    response = client.get(URL, {"status": "revoked"})

    assert _numbers(response) == [validated.decisions.get().document.number]
    today = timezone.localdate().strftime("%d/%m/%Y")
    assert f"Révoqué le {today}" in response.content.decode()


@pytest.mark.parametrize("count", [1, 3])
def test_register_queries_constant(
    client,
    secretariat,
    session,
    certification,
    establishment,
    president,
    count,
    django_assert_num_queries,
):
    for index in range(count):
        decided(
            session,
            certification,
            establishment,
            president.user,
            validated={1, 2, 3},
            birth_name=f"Nom{index}",
        )
    client.force_login(secretariat)

    with django_assert_num_queries(5):
        response = client.get(URL)

    assert len(_numbers(response)) == count


def test_register_paginates(client, secretariat, session, certification, establishment, president):
    for index in range(REGISTER_PAGE_SIZE + 1):
        decided(
            session,
            certification,
            establishment,
            president.user,
            validated={1, 2, 3},
            birth_name=f"Nom{index}",
        )
    client.force_login(secretariat)

    first = client.get(URL)
    second = client.get(URL, {"page": 2, "kind": "certificate"})

    assert len(_numbers(first)) == REGISTER_PAGE_SIZE
    assert _numbers(second) == [f"P-{timezone.localdate().year}-00001"]
    assert "Page 1 sur 2" in first.content.decode()


def test_register_excel_export_writes_the_filtered_rows(
    client, secretariat, issued, elsewhere, django_capture_on_commit_callbacks
):
    client.force_login(secretariat)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{URL.replace('/certificats/', '/exports/certificats/')}?q=petit")

    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/exports/{job.pk}/"
    assert (job.kind, job.status, job.row_count) == (ExportKind.CERTIFICATES, ExportStatus.DONE, 1)
    assert job.title == "Registre des certificats (rechercher : « petit »)"
    with job.file.open("rb") as stream:
        sheet = openpyxl.load_workbook(stream).worksheets[0]
    rows = [tuple(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][:6] == (
        "N° du document",
        "Type",
        "Nom de naissance",
        "Nom d'usage",
        "Prénoms",
        "Date de naissance",
    )
    assert rows[1][0] == issued[0]
    assert rows[1][1:3] == ("Parchemin", "Petit")
    assert rows[1][-2:] == ("Valide", None)
    assert job.download_name.startswith("export-registre-des-certificats-")


def test_register_excel_export_refused_to_employers(client, db):
    client.force_login(EmployerFactory())

    assert client.post("/exports/certificats/").status_code == 403
    assert not ExportJob.objects.exists()
