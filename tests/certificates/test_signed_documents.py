"""Issued documents: PAdES signature (pyHanko), PDF/A, and the QR code that opens the
verification page."""

from io import BytesIO
from urllib.parse import urlsplit

import pytest
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader

from ecertif.files import signing as signing_module
from jurys import documents

try:
    import zxingcpp
except ImportError:  # pragma: no cover - the dev dependency is missing
    zxingcpp = None


def _status(pdf, certificate_path):
    signature = PdfFileReader(BytesIO(pdf)).embedded_signatures[0]
    context = ValidationContext(trust_roots=[load_cert_from_pemder(str(certificate_path))])
    return validate_pdf_signature(signature, context)


def _certificate_pdf(dossier):
    return documents.certificate(documents.standing_decision(dossier.pk))


def test_parchemin_signature_validates(signing, validated):
    pdf = _certificate_pdf(validated)

    status = _status(pdf, signing[1])

    assert (status.intact, status.valid, status.trusted, status.bottom_line) == (True,) * 4
    assert status.coverage.name == "ENTIRE_FILE"
    assert status.signing_cert.subject.native["common_name"] == "e-Certif tests"
    signature = PdfFileReader(BytesIO(pdf)).embedded_signatures[0]
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"


def test_attestation_signature_validates(signing, partial):
    pdf = documents.attestation(documents.standing_decision(partial.pk))

    status = _status(pdf, signing[1])

    assert (status.intact, status.valid, status.trusted) == (True, True, True)


def test_signature_fails_after_one_byte_changed(signing, validated):
    pdf = bytearray(_certificate_pdf(validated))
    # Byte 10 sits in the header's binary comment: still a readable PDF, but signed bytes.
    assert pdf[:9] == b"%PDF-1.7\n"
    pdf[10] ^= 0x01

    status = _status(bytes(pdf), signing[1])

    assert (status.intact, status.bottom_line) == (False, False)


def test_signature_from_an_unknown_certificate_is_not_trusted(signing, validated, tmp_path):
    other_key, other_certificate = tmp_path / "k.pem", tmp_path / "c.pem"
    signing_module.create_self_signed(other_key, other_certificate, common_name="Autre")

    status = _status(_certificate_pdf(validated), other_certificate)

    assert (status.intact, status.trusted) == (True, False)


def test_parchemin_is_pdf_a(validated):
    reader = PdfReader(BytesIO(_certificate_pdf(validated)))

    metadata = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert b'pdfaid:part="3" pdfaid:conformance="B"' in metadata
    assert reader.trailer["/Root"]["/OutputIntents"][0]["/S"] == "/GTS_PDFA1"


def test_without_signing_key_the_document_is_not_signed(settings, validated):
    settings.DOCUMENT_SIGNING_KEY = ""

    pdf = _certificate_pdf(validated)

    assert PdfFileReader(BytesIO(pdf)).embedded_signatures == []


def test_demo_creates_its_self_signed_pair_once(settings, tmp_path, validated):
    settings.DOCUMENT_SIGNING_DEMO = True
    settings.DOCUMENT_SIGNING_KEY = str(tmp_path / "demo" / "key.pem")
    settings.DOCUMENT_SIGNING_CERTIFICATE = str(tmp_path / "demo" / "certificate.pem")

    pdf = _certificate_pdf(validated)

    certificate = tmp_path / "demo" / "certificate.pem"
    assert oct((tmp_path / "demo" / "key.pem").stat().st_mode & 0o777) == "0o600"
    status = _status(pdf, certificate)
    assert (status.intact, status.valid, status.trusted) == (True, True, True)
    assert status.signing_cert.subject.native["common_name"] == signing_module.DEMO_COMMON_NAME


@pytest.mark.skipif(zxingcpp is None, reason="zxing-cpp (dev dependency) is not installed")
def test_qr_code_of_the_parchemin_opens_its_verification_page(client, validated):
    decision = documents.standing_decision(validated.pk)
    page = PdfReader(BytesIO(documents.certificate(decision))).pages[0]

    decoded = [
        result.text
        for image in page.images
        for result in zxingcpp.read_barcodes(image.image.convert("L"))
    ]

    code = decision.document.verification_code
    assert decoded == [f"http://127.0.0.1:8000/verifier/{code}/"]
    response = client.get(urlsplit(decoded[0]).path)
    assert response.status_code == 200
    assert f"Parchemin n°&nbsp;{decision.document.number}" in response.content.decode()
