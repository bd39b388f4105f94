"""Media on S3-compatible object storage (a real S3 server on loopback: moto's server mode).

Upload → download through the application → export file: every object is private (an
anonymous GET is refused), and the application serves it after its permission check.
"""

import urllib.parse

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from storages.backends.s3 import S3Storage

from dossiers.models import Attachment
from ecertif.settings.base import default_storage_from_env
from exports.enums import ExportKind, ExportStatus
from exports.services import export_request
from tests.factories.accounts import EmployerFactory
from tests.factories.dossiers import DossierFactory
from tests.s3_server import BUCKET, anonymous_get, keys, local_files, pdf_bytes


def test_storage_from_env_is_disk_without_bucket(monkeypatch):
    monkeypatch.delenv("S3_BUCKET", raising=False)

    assert default_storage_from_env() == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


@pytest.mark.django_db
def test_s3_anonymous_get_refused_unless_the_object_is_public(s3):
    client, endpoint = s3
    name = default_storage.save("prive/sonde.pdf", ContentFile(b"%PDF-1.4 sonde"))
    client.put_object(Bucket=BUCKET, Key="public/temoin.txt", Body=b"x", ACL="public-read")

    # The control object proves the server answers anonymous reads when an ACL allows them.
    assert anonymous_get(f"{endpoint}/{BUCKET}/public/temoin.txt") == 200
    assert anonymous_get(f"{endpoint}/{BUCKET}/{name}") == 403
    grants = client.get_object_acl(Bucket=BUCKET, Key=name)["Grants"]
    assert [grant["Grantee"]["Type"] for grant in grants] == ["CanonicalUser"]
    # A signed URL (never handed out by the application) would expire within a minute.
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(default_storage.url(name)).query)
    assert query["X-Amz-Expires"] == ["60"]


@pytest.mark.django_db
def test_s3_upload_download_and_export_round_trip(
    s3, client, employer, settings, tmp_path, django_capture_on_commit_callbacks
):
    s3_client, endpoint = s3
    dossier = DossierFactory(
        establishment=employer.membership.establishment, assessor_confirmed_at=None
    )
    dossier.candidate.declares_diploma = True
    dossier.candidate.save()
    client.force_login(employer)
    content = pdf_bytes()

    # Upload through the application: stored in the bucket, nothing on the local disk.
    response = client.post(
        f"/dossiers/{dossier.pk}/etape/diplomes/",
        {"kind": "diploma", "label": "CAP", "file": SimpleUploadedFile("cap.pdf", content)},
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert isinstance(attachment.file.storage._wrapped, S3Storage)
    assert keys(s3_client) == [attachment.file.name]
    assert local_files(settings.MEDIA_ROOT) == []
    assert anonymous_get(f"{endpoint}/{BUCKET}/{attachment.file.name}") == 403

    # Download through the application: permission-checked, streamed from the bucket.
    url = f"/dossiers/{dossier.pk}/pieces/{attachment.pk}/"
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Disposition"] == 'attachment; filename="cap.pdf"'
    assert "Location" not in response

    # Someone else: 404, the object never leaves the bucket.
    client.logout()
    assert client.get(url).status_code == 302
    client.force_login(EmployerFactory())
    assert client.get(url).status_code == 404
    client.force_login(employer)

    # An export written by the worker: uploaded once complete, no temporary file left.
    with django_capture_on_commit_callbacks(execute=True):
        job = export_request(owner=employer, kind=ExportKind.DOSSIERS, parameters={})
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE
    assert keys(s3_client) == sorted([attachment.file.name, job.file.name])
    assert local_files(tmp_path / "exports-en-cours") == []
    assert anonymous_get(f"{endpoint}/{BUCKET}/{job.file.name}") == 403
    response = client.get(f"/exports/{job.pk}/telecharger/")
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body[:2] == b"PK"
    assert body == s3_client.get_object(Bucket=BUCKET, Key=job.file.name)["Body"].read()
