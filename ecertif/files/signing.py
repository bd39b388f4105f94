"""PAdES signature of the PDFs the platform issues (parchemins, attestations), with pyHanko.

The key and certificate come from settings (`DOCUMENT_SIGNING_KEY`,
`DOCUMENT_SIGNING_CERTIFICATE`, PEM files). Without them documents are not signed. In the
demo (`DOCUMENT_SIGNING_DEMO`) a self-signed pair is created at those paths on first use:
no private key is ever committed. The README explains how to use a qualified certificate.
"""

import datetime
import functools
import io
import logging
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.conf import settings
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers

logger = logging.getLogger(__name__)

SIGNATURE_FIELD = "Signature"
DEMO_COMMON_NAME = "e-Certif démonstration (certificat auto-signé)"


def create_self_signed(key_path, certificate_path, *, common_name=DEMO_COMMON_NAME, days=3650):
    """Write a new RSA key and a self-signed certificate (PEM) for demos and tests."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "FR"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "CPNE des Industries Chimiques"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    key_path, certificate_path = Path(key_path), Path(certificate_path)
    key_path.parent.mkdir(parents=True, exist_ok=True)
    certificate_path.parent.mkdir(parents=True, exist_ok=True)
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_path.chmod(0o600)
    certificate_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))


@functools.cache
def _load_signer(key_path, certificate_path, passphrase):
    signer = signers.SimpleSigner.load(
        key_path, certificate_path, key_passphrase=passphrase.encode() if passphrase else None
    )
    if signer is None:
        raise ValueError(f"Clé ou certificat de signature illisible : {certificate_path}")
    return signer


def document_signer():
    """The configured signer, or None when no key is configured."""
    key_path = settings.DOCUMENT_SIGNING_KEY
    certificate_path = settings.DOCUMENT_SIGNING_CERTIFICATE
    if not key_path or not certificate_path:
        return None
    if settings.DOCUMENT_SIGNING_DEMO and not Path(key_path).exists():
        create_self_signed(key_path, certificate_path)
    return _load_signer(
        str(key_path), str(certificate_path), settings.DOCUMENT_SIGNING_KEY_PASSPHRASE
    )


def sign_pdf(pdf, *, reason):
    """`pdf` (bytes) with a PAdES signature (incremental update), or unchanged when no key
    is configured."""
    signer = document_signer()
    if signer is None:
        logger.warning("Document non signé : DOCUMENT_SIGNING_KEY n'est pas configurée.")
        return pdf
    metadata = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        reason=reason,
        location="France",
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    output = signers.PdfSigner(metadata, signer=signer).sign_pdf(writer)
    return output.getvalue()
