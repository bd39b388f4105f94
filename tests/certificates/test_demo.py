"""The demo (`make run`): the register lists every demo certificate, and the QR code of a
demo parchemin opens its verification page."""

import datetime
from io import BytesIO
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from pypdf import PdfReader

from certificates.accrochage import accrochage_export, schema
from jurys import documents
from jurys.enums import DocumentKind
from jurys.models import IssuedDocument

try:
    import zxingcpp
except ImportError:  # pragma: no cover - the dev dependency is missing
    zxingcpp = None


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.DEBUG = True  # the demo commands refuse to run without it
    settings.DOCUMENT_SIGNING_DEMO = True
    settings.DOCUMENT_SIGNING_KEY = str(tmp_path / "signing" / "demo-key.pem")
    settings.DOCUMENT_SIGNING_CERTIFICATE = str(tmp_path / "signing" / "demo-certificate.pem")
    call_command("seed_demo", verbosity=0)


def test_demo_register_lists_every_certificate(client, demo):
    client.force_login(get_user_model().objects.get(email="secretariat@demo.ecertif.fr"))

    response = client.get("/certificats/", {"page": 1})

    issued = list(IssuedDocument.objects.order_by("-issued_at", "-pk"))
    assert {document.kind for document in issued} == set(DocumentKind)
    shown = [document.number for document in response.context["page_obj"]]
    assert response.context["page_obj"].paginator.count == len(issued)
    assert shown == [document.number for document in issued][: len(shown)]


@pytest.mark.skipif(zxingcpp is None, reason="zxing-cpp (dev dependency) is not installed")
def test_demo_parchemin_qr_code_opens_its_verification_page(client, demo):
    document = IssuedDocument.objects.filter(
        kind=DocumentKind.CERTIFICATE, decision__revoked_at__isnull=True
    ).first()
    pdf = documents.certificate(documents.standing_decision(document.decision.dossier_id))
    images = PdfReader(BytesIO(pdf)).pages[0].images

    decoded = [r.text for image in images for r in zxingcpp.read_barcodes(image.image)]

    assert [urlsplit(url).path for url in decoded] == [f"/verifier/{document.verification_code}/"]
    response = client.get(urlsplit(decoded[0]).path)
    assert response.status_code == 200
    assert f"n°&nbsp;{document.number}" in response.content.decode()


def test_demo_awards_export_to_a_valid_caisse_des_depots_file(demo, settings):
    settings.ACCROCHAGE_ID_CLIENT = "DEMO0001"
    settings.ACCROCHAGE_ID_CONTRAT = "DEMOCONTRAT01"
    standing = set(
        IssuedDocument.objects.filter(
            kind=DocumentKind.CERTIFICATE, decision__revoked_at__isnull=True
        ).values_list("number", flat=True)
    )

    result = accrochage_export(
        period_start=datetime.date(2000, 1, 1), period_end=timezone.localdate()
    )

    assert schema().is_valid(result.flow.xml)
    assert set(result.flow.entries.values_list("id_technique", flat=True)) == standing
    assert len(standing) >= 1
