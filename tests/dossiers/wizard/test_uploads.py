"""The employer's creation flow through the views: steps, validation, resume, uploads, download."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dossiers.enums import AttachmentKind
from dossiers.models import Attachment
from tests.dossiers.wizard.helpers import (
    BAD_UPLOADS,
    REQUIRED,
    _download,
    _employer_of,
    _image_bytes,
    _media_files,
    _messages,
    _multipart,
    _pdf_bytes,
    _step,
    _text,
)
from tests.factories.dossiers import MINIMAL_PDF, AttachmentFactory, DossierFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("case", list(BAD_UPLOADS))
def test_upload_bad_file_refused_nothing_stored(employer_client, at_diplomas, case):
    name, content, message = BAD_UPLOADS[case]
    response = employer_client.post(
        _step(at_diplomas, "diplomes"),
        {
            "kind": AttachmentKind.DIPLOMA,
            "label": "Diplôme",
            "file": SimpleUploadedFile(name, content(), content_type="application/pdf"),
            "upload": "",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"file": [message]}
    assert message in _text(response)
    assert "Corrigez les champs signalés ci-dessous." in _text(response)
    assert not Attachment.objects.exists()
    assert _media_files() == []


def test_upload_without_file_refused(employer_client, at_diplomas):
    response = employer_client.post(
        _step(at_diplomas, "diplomes"), {"kind": AttachmentKind.DIPLOMA, "label": "Diplôme"}
    )
    assert response.context["form"].errors == {"file": ["Choisissez un fichier."]}
    assert not Attachment.objects.exists()


def test_upload_without_label_refused_nothing_stored(employer_client, at_diplomas):
    response = employer_client.post(
        _step(at_diplomas, "diplomes"),
        {"kind": AttachmentKind.DIPLOMA, "file": SimpleUploadedFile("cap.pdf", _pdf_bytes())},
    )
    assert response.context["form"].errors == {"label": [REQUIRED]}
    assert not Attachment.objects.exists()
    assert _media_files() == []


@pytest.mark.parametrize(
    ("name", "content", "content_type", "extension"),
    [
        ("scan.jpeg", lambda: _image_bytes("JPEG"), "image/jpeg", "jpg"),
        ("scan.JPG", lambda: _image_bytes("JPEG"), "image/jpeg", "jpg"),
        ("scan.png", lambda: _image_bytes("PNG"), "image/png", "png"),
        ("diplome...pdf", _pdf_bytes, "application/pdf", "pdf"),
    ],
)
def test_upload_accepted_formats(
    employer_client, at_diplomas, name, content, content_type, extension
):
    response = employer_client.post(
        _step(at_diplomas, "diplomes"),
        {
            "kind": AttachmentKind.OTHER,
            "label": "Scan",
            "file": SimpleUploadedFile(name, content(), content_type="application/octet-stream"),
        },
    )
    assert response["Location"] == _step(at_diplomas, "diplomes")
    attachment = Attachment.objects.get()
    assert (attachment.original_name, attachment.content_type, attachment.kind) == (
        name,
        content_type,
        AttachmentKind.OTHER,
    )
    assert attachment.file.name.endswith(f".{extension}")
    assert _media_files() == [attachment.file.name]


@pytest.mark.parametrize(
    "filename", ["../../../etc/diplome.pdf", "..\\..\\diplome.pdf", "C:\\Users\\rh\\diplome.pdf"]
)
def test_upload_path_in_name_reduced_to_basename(client, at_diplomas, filename):
    client.force_login(_employer_of(at_diplomas.establishment))
    body, content_type = _multipart(
        {"kind": AttachmentKind.DIPLOMA, "label": "CAP"}, filename, _pdf_bytes()
    )
    response = client.generic("POST", _step(at_diplomas, "diplomes"), body, content_type)
    assert response["Location"] == _step(at_diplomas, "diplomes")
    attachment = Attachment.objects.get()
    assert attachment.original_name == "diplome.pdf"
    assert _media_files() == [attachment.file.name]
    assert attachment.file.name.startswith("prive/")


@pytest.mark.parametrize("filename", ["..", "../..", "/"])
def test_upload_name_only_dots_or_slashes_refused(client, at_diplomas, filename):
    client.force_login(_employer_of(at_diplomas.establishment))
    body, content_type = _multipart(
        {"kind": AttachmentKind.DIPLOMA, "label": "CAP"}, filename, MINIMAL_PDF
    )
    response = client.generic("POST", _step(at_diplomas, "diplomes"), body, content_type)
    assert response.status_code == 200
    assert response.context["form"].errors == {"file": ["Choisissez un fichier."]}
    assert not Attachment.objects.exists()
    assert _media_files() == []


def test_upload_after_submission_refused(client):
    dossier = DossierFactory(awaiting_assessment=True)
    client.force_login(_employer_of(dossier.establishment))
    response = client.post(
        _step(dossier, "diplomes"),
        {
            "kind": AttachmentKind.DIPLOMA,
            "label": "CAP",
            "file": SimpleUploadedFile("cap.pdf", _pdf_bytes()),
        },
    )
    assert response["Location"] == f"/dossiers/{dossier.pk}/"
    assert _messages(response) == ["Ce dossier n'est plus modifiable."]
    assert not Attachment.objects.exists()
    assert _media_files() == []


def test_attachment_remove_deletes_row_and_file(
    client, at_diplomas, django_capture_on_commit_callbacks
):
    attachment = AttachmentFactory(dossier=at_diplomas, label="CAP")
    assert _media_files() == [attachment.file.name]
    client.force_login(_employer_of(at_diplomas.establishment))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/dossiers/{at_diplomas.pk}/pieces/{attachment.pk}/retirer/")
    assert response["Location"] == _step(at_diplomas, "diplomes")
    assert _messages(response) == ["Pièce « CAP » retirée du dossier."]
    assert not Attachment.objects.exists()
    assert _media_files() == []


def test_download_as_attachment_with_original_name(client, dossier, owner):
    attachment = AttachmentFactory(dossier=dossier, original_name="diplome.pdf")
    client.force_login(owner)
    response, body = _download(client, attachment)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="diplome.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert body == MINIMAL_PDF


def test_download_uploaded_file_keeps_accented_name(employer_client, at_diplomas):
    pdf = _pdf_bytes()
    employer_client.post(
        _step(at_diplomas, "diplomes"),
        {
            "kind": AttachmentKind.DIPLOMA,
            "label": "CAP",
            "file": SimpleUploadedFile("diplôme été.pdf", pdf),
        },
    )
    response, body = _download(employer_client, Attachment.objects.get())
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''dipl%C3%B4me%20%C3%A9t%C3%A9.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert body == pdf


def test_download_by_assigned_assessor_after_submission(client):
    dossier = DossierFactory(awaiting_assessment=True)
    attachment = AttachmentFactory(dossier=dossier)
    client.force_login(dossier.assessor.user)
    response, body = _download(client, attachment)
    assert response.status_code == 200
    assert body == MINIMAL_PDF


def test_download_other_employer_404(client, dossier, other_employer):
    attachment = AttachmentFactory(dossier=dossier)
    client.force_login(other_employer)
    response, _ = _download(client, attachment)
    assert response.status_code == 404


def test_download_missing_file_404(client, dossier, owner):
    attachment = AttachmentFactory(dossier=dossier)
    attachment.file.storage.delete(attachment.file.name)
    client.force_login(owner)
    response, _ = _download(client, attachment)
    assert response.status_code == 404
