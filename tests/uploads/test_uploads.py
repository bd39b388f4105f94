import hashlib
import io
import re

import pypdf
import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.db.models import FileField
from django.db.models.fields.files import FieldFile
from django.http import Http404
from PIL import Image

from ecertif.files import uploads
from ecertif.files.downloads import private_file_response
from ecertif.files.uploads import (
    MAX_UPLOAD_SIZE,
    CheckedUpload,
    check_upload,
    display_name,
    generated_name,
)

BAD_NAME = (
    "Le nom du fichier contient des caractères interdits (/, \\ ou ..). Renommez-le puis réessayez."
)
BAD_EXTENSION = "Format refusé : seuls les fichiers PDF, JPEG et PNG sont acceptés."
CORRUPT_PDF = "Le PDF est illisible ou endommagé."
CORRUPT_IMAGE = "L'image est illisible ou endommagée."


def make_pdf(**encrypt):
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if encrypt:
        writer.encrypt(**encrypt, algorithm="AES-256")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def make_image(fmt):
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10), color=(200, 30, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


def padded_pdf(total_size):
    """A valid PDF of exactly `total_size` bytes: padding comment, then the trailer repeated."""
    pdf = make_pdf()
    xref_offset = re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", pdf).group(1)
    trailer = b"startxref\n" + xref_offset + b"\n%%EOF\n"
    padding = total_size - len(pdf) - len(trailer) - 2
    return pdf + b"%" + b"0" * padding + b"\n" + trailer


def refusal(uploaded_file):
    with pytest.raises(ValidationError) as excinfo:
        check_upload(uploaded_file)
    return excinfo.value.code, excinfo.value.messages


# Accepted files


def test_check_upload_valid_pdf():
    data = make_pdf()

    checked = check_upload(SimpleUploadedFile("diplome.pdf", data, content_type="text/html"))

    assert checked == CheckedUpload(
        content_type="application/pdf",
        extension="pdf",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        original_name="diplome.pdf",
    )


def test_check_upload_valid_png():
    data = make_image("PNG")

    checked = check_upload(SimpleUploadedFile("scan.png", data))

    assert (checked.content_type, checked.extension, checked.size) == (
        "image/png",
        "png",
        len(checked.file.read()),  # re-encoded
    )


def test_check_upload_valid_jpeg():
    data = make_image("JPEG")

    checked = check_upload(SimpleUploadedFile("photo.jpg", data))

    assert (checked.content_type, checked.extension) == ("image/jpeg", "jpg")


def test_check_upload_jpeg_extension_normalised_to_jpg():
    checked = check_upload(SimpleUploadedFile("photo.JPEG", make_image("JPEG")))

    assert (checked.content_type, checked.extension) == ("image/jpeg", "jpg")
    assert checked.original_name == "photo.JPEG"


def test_check_upload_upper_case_pdf_extension_accepted():
    checked = check_upload(SimpleUploadedFile("DIPLOME.PDF", make_pdf()))

    assert checked.extension == "pdf"


def test_check_upload_content_type_ignores_browser_claim():
    checked = check_upload(
        SimpleUploadedFile("scan.png", make_image("PNG"), content_type="application/pdf")
    )

    assert checked.content_type == "image/png"


def test_check_upload_sha256_matches_stored_bytes():
    data = make_image("PNG")

    checked = check_upload(SimpleUploadedFile("scan.png", data))

    # An image is stored re-encoded (metadata stripped): size and digest are the stored bytes'.
    stored = checked.file.read()
    assert checked.sha256 == hashlib.sha256(stored).hexdigest()
    assert checked.size == len(stored)


def test_check_upload_file_rewound_after_check():
    data = make_pdf()
    uploaded = SimpleUploadedFile("diplome.pdf", data)
    uploaded.read(7)

    check_upload(uploaded)

    assert uploaded.tell() == 0
    assert uploaded.read() == data


def test_check_upload_file_rewound_after_refusal():
    uploaded = SimpleUploadedFile("diplome.pdf", b"%PDF-1.4\n garbage")

    refusal(uploaded)

    assert uploaded.tell() == 0


def test_check_upload_temporary_uploaded_file_accepted():
    data = make_pdf()
    uploaded = TemporaryUploadedFile("diplome.pdf", "application/pdf", len(data), None)
    uploaded.write(data)
    uploaded.seek(0)

    checked = check_upload(uploaded)
    uploaded.close()

    assert (checked.size, checked.sha256) == (len(data), hashlib.sha256(data).hexdigest())


def test_check_upload_exactly_max_size_accepted():
    data = padded_pdf(MAX_UPLOAD_SIZE)

    checked = check_upload(SimpleUploadedFile("diplome.pdf", data))

    assert checked.size == MAX_UPLOAD_SIZE == 10 * 1024 * 1024


def test_check_upload_owner_password_only_pdf_refused():
    # Opens in a viewer, but its streams are encrypted: neither our checks nor an antivirus
    # can read them, so every encrypted PDF is refused.
    data = make_pdf(user_password="", owner_password="secret")

    assert refusal(SimpleUploadedFile("diplome.pdf", data))[0] == "encrypted_pdf"


def test_check_upload_ellipsis_in_name_accepted():
    checked = check_upload(SimpleUploadedFile("diplome...final.pdf", make_pdf()))

    assert checked.original_name == "diplome...final.pdf"


# Refusals, in the order they are checked


def test_check_upload_no_file_refused():
    assert refusal(None) == ("empty", ["Le fichier est vide."])


def test_check_upload_empty_pdf_refused():
    assert refusal(SimpleUploadedFile("diplome.pdf", b"")) == ("empty", ["Le fichier est vide."])


def test_check_upload_empty_png_refused():
    assert refusal(SimpleUploadedFile("scan.png", b"")) == ("empty", ["Le fichier est vide."])


def test_check_upload_empty_with_bad_name_reports_empty_first():
    assert refusal(File(io.BytesIO(b""), name="../x.pdf"))[0] == "empty"


@pytest.mark.parametrize(
    "name",
    [
        "../../etc/passwd.pdf",
        "dossier/diplome.pdf",
        "a\\b.pdf",
        "..\\..\\windows\\diplome.pdf",
        "diplome\x00.pdf",
        "diplome\n.pdf",
        "diplome\u202efdp.exe.pdf",
        "..",
    ],
)
def test_check_upload_path_characters_in_name_refused(name):
    # A plain File keeps the name as given; UploadedFile already strips "/" parts (see below).
    uploaded = File(io.BytesIO(make_pdf()), name=name)

    assert refusal(uploaded) == ("bad_name", [BAD_NAME])


def test_check_upload_backslash_in_uploaded_file_name_refused():
    assert refusal(SimpleUploadedFile("a\\b.pdf", make_pdf())) == ("bad_name", [BAD_NAME])


def test_check_upload_uploaded_file_name_reduced_to_basename_by_django():
    # Django's UploadedFile keeps only the basename: the directories never reach us.
    checked = check_upload(SimpleUploadedFile("../../etc/passwd.pdf", make_pdf()))

    assert checked.original_name == "passwd.pdf"


def test_check_upload_over_max_size_refused():
    data = b"%PDF-1.4\n" + b"0" * (MAX_UPLOAD_SIZE + 1 - 9)

    assert refusal(SimpleUploadedFile("diplome.pdf", data)) == (
        "too_large",
        ["Le fichier dépasse la taille maximale de 10 Mo (10,1 Mo)."],
    )


def test_check_upload_too_large_size_in_french_format():
    data = b"%PDF-1.4\n" + b"0" * (12_897_484 - 9)  # 12,3 Mo

    assert refusal(SimpleUploadedFile("diplome.pdf", data)) == (
        "too_large",
        ["Le fichier dépasse la taille maximale de 10 Mo (12,3 Mo)."],
    )


def test_check_upload_too_large_checked_on_bytes_not_declared_size():
    uploaded = SimpleUploadedFile("diplome.pdf", b"%PDF-1.4\n" + b"0" * MAX_UPLOAD_SIZE)
    uploaded.size = 1000

    assert refusal(uploaded)[0] == "too_large"


@pytest.mark.parametrize("name", ["diplome.docx", "diplome.gif", "diplome", "diplome.pdf.exe"])
def test_check_upload_unsupported_extension_refused(name):
    assert refusal(SimpleUploadedFile(name, make_pdf())) == ("bad_extension", [BAD_EXTENSION])


def test_check_upload_png_renamed_pdf_refused():
    assert refusal(SimpleUploadedFile("diplome.pdf", make_image("PNG"))) == (
        "mismatch",
        ["Le contenu du fichier ne correspond pas à son extension .pdf."],
    )


def test_check_upload_text_named_pdf_refused():
    assert refusal(SimpleUploadedFile("diplome.pdf", b"Bonjour, ceci est du texte.\n")) == (
        "mismatch",
        ["Le contenu du fichier ne correspond pas à son extension .pdf."],
    )


def test_check_upload_pdf_renamed_jpeg_refused():
    assert refusal(SimpleUploadedFile("photo.JPEG", make_pdf())) == (
        "mismatch",
        ["Le contenu du fichier ne correspond pas à son extension .jpeg."],
    )


def test_check_upload_jpeg_renamed_png_refused():
    assert refusal(SimpleUploadedFile("scan.png", make_image("JPEG")))[0] == "mismatch"


def test_check_upload_corrupt_pdf_refused():
    uploaded = SimpleUploadedFile("diplome.pdf", b"%PDF-1.4\n garbage\n%%EOF\n")

    assert refusal(uploaded) == ("corrupt_pdf", [CORRUPT_PDF])


def test_check_upload_truncated_pdf_refused():
    uploaded = SimpleUploadedFile("diplome.pdf", make_pdf()[:120])

    assert refusal(uploaded)[0] == "truncated_pdf"


def test_check_upload_password_protected_pdf_refused():
    data = make_pdf(user_password="ouvrir", owner_password="secret")

    assert refusal(SimpleUploadedFile("diplome.pdf", data)) == (
        "encrypted_pdf",
        ["Le PDF est protégé par un mot de passe : envoyez une version non protégée."],
    )


def test_check_upload_truncated_png_refused():
    data = make_image("PNG")

    assert refusal(SimpleUploadedFile("scan.png", data[:40])) == (
        "corrupt_image",
        [CORRUPT_IMAGE],
    )


def test_check_upload_truncated_jpeg_refused():
    data = make_image("JPEG")

    assert refusal(SimpleUploadedFile("photo.jpg", data[: len(data) // 2])) == (
        "corrupt_image",
        [CORRUPT_IMAGE],
    )


def test_check_upload_png_header_only_refused():
    uploaded = SimpleUploadedFile("scan.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)

    assert refusal(uploaded) == ("corrupt_image", [CORRUPT_IMAGE])


def test_check_upload_image_over_pixel_cap_refused_before_decoding(monkeypatch):
    # 10×10 = 100 pixels against a cap of 99: refused from the header.
    monkeypatch.setattr(uploads, "MAX_IMAGE_PIXELS", 99)

    assert refusal(SimpleUploadedFile("scan.png", make_image("PNG"))) == (
        "too_many_pixels",
        ["L'image dépasse 9.9e-05 mégapixels, refusée : réduisez sa définition puis réessayez."],
    )


def test_check_upload_image_at_pixel_cap_accepted(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_IMAGE_PIXELS", 100)

    assert check_upload(SimpleUploadedFile("scan.png", make_image("PNG"))).extension == "png"


# Stored and displayed names


def test_generated_name_never_contains_original_name():
    with time_machine.travel("2026-11-27 10:00 +01:00", tick=False):
        name = generated_name(None, "Diplome Jean Dupont.pdf")

    assert re.fullmatch(r"prive/2026/11/[0-9a-f]{32}\.pdf", name)
    assert "Dupont" not in name


def test_generated_name_uses_paris_month():
    # 23:30 UTC on 31 December is already January in Paris.
    with time_machine.travel("2026-12-31 23:30 +00:00", tick=False):
        assert generated_name(None, "scan.png").startswith("prive/2027/01/")


@pytest.mark.parametrize(
    ("filename", "extension"),
    [("a.PDF", "pdf"), ("a.jpeg", "jpg"), ("a.JPG", "jpg"), ("a.png", "png"), ("a.exe", "bin")],
)
def test_generated_name_extension_normalised(filename, extension):
    assert generated_name(None, filename).endswith(f".{extension}")


def test_generated_name_unique():
    assert generated_name(None, "a.pdf") != generated_name(None, "a.pdf")


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("diplome.pdf", "diplome.pdf"),
        ("C:\\Users\\jean\\diplome.pdf", "diplome.pdf"),
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("dipl\x00ome\r\n.pdf", "diplome.pdf"),
        ("  scan.png  ", "scan.png"),
        ("diplo\u0302me.pdf", "diplôme.pdf"),
        ("", "fichier"),
        ("..", "fichier"),
    ],
)
def test_display_name_cleaned(filename, expected):
    assert display_name(filename) == expected


def test_display_name_long_name_truncated_keeping_extension():
    name = display_name("d" * 200 + ".pdf")

    assert (len(name), name[-5:]) == (120, "d.pdf")


# Private downloads


@pytest.fixture
def storage(tmp_path):
    return FileSystemStorage(location=tmp_path)


def field_file(storage, name):
    return FieldFile(None, FileField(storage=storage), name)


# response.close() sends request_finished, which touches the database connection.
@pytest.mark.django_db
def test_private_file_response_attachment_with_download_name(storage):
    data = make_pdf()
    name = storage.save("prive/2026/11/abc.pdf", io.BytesIO(data))

    response = private_file_response(
        field_file(storage, name), download_name="diplôme Jean.pdf", content_type="application/pdf"
    )

    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''dipl%C3%B4me%20Jean.pdf"
    )
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert b"".join(response.streaming_content) == data
    response.close()


# response.close() sends request_finished, which touches the database connection.
@pytest.mark.django_db
def test_private_file_response_ascii_download_name(storage):
    name = storage.save("prive/x.png", io.BytesIO(make_image("PNG")))

    response = private_file_response(
        field_file(storage, name), download_name="scan.png", content_type="image/png"
    )
    response.close()

    assert response["Content-Disposition"] == 'attachment; filename="scan.png"'


# response.close() sends request_finished, which touches the database connection.
@pytest.mark.django_db
def test_private_file_response_accepts_plain_file(storage):
    name = storage.save("prive/x.pdf", io.BytesIO(b"%PDF-1.4"))

    response = private_file_response(
        File(storage.open(name), name=name), download_name="a.pdf", content_type="application/pdf"
    )

    assert b"".join(response.streaming_content) == b"%PDF-1.4"
    response.close()


def test_private_file_response_missing_file_404(storage):
    with pytest.raises(Http404, match="^Fichier introuvable.$"):
        private_file_response(
            field_file(storage, "prive/2026/11/absent.pdf"),
            download_name="a.pdf",
            content_type="application/pdf",
        )


def test_private_file_response_empty_field_404(storage):
    with pytest.raises(Http404, match="^Fichier introuvable.$"):
        private_file_response(
            field_file(storage, ""), download_name="a.pdf", content_type="application/pdf"
        )
