"""Constants and helpers shared by the tests of test_wizard.py."""

import datetime
import html
import io
import re
from pathlib import Path

import pypdf
from django.conf import settings
from django.contrib.messages import get_messages
from django.utils import timezone
from PIL import Image

from tests.factories.accounts import MembershipFactory, UserFactory
from tests.factories.dossiers import (
    MINIMAL_PDF,
)
from tests.factories.evaluations import AccreditationFactory, AssessorFactory

CREATE_URL = "/dossiers/nouveau/"


REQUIRED = "Ce champ est obligatoire."


SAVED_FOR_LATER = "Saisie enregistrée : vous pourrez la reprendre plus tard."


UPLOAD_OK = "Pièce ajoutée au dossier."


CANDIDATE = {
    "civility": "m",
    "birth_name": "Lefebvre",
    "usage_name": "",
    "first_names": "Hugo Marc",
    "birth_date": "1990-03-14",
    "birth_place": "Ajaccio",
    "birth_place_code": "2A004",
    "email": "hugo.lefebvre@exemple.fr",
    "phone": "06 11 22 33 44",
    "address": "12 rue Pasteur",
    "postcode": "69007",
    "city": "Lyon",
    "highest_diploma_level": "3",
    "position_held": "Conducteur d'équipements",
    "company_entry_date": "2018-01-08",
}


def _step(dossier, slug):
    return f"/dossiers/{dossier.pk}/etape/{slug}/"


def _text(response):
    return html.unescape(response.content.decode())


def _messages(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def _media_files():
    root = Path(settings.MEDIA_ROOT)
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


def _pdf_bytes(*, password=None):
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if password:
        writer.encrypt(password)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _image_bytes(image_format):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, image_format)
    return buffer.getvalue()


def _employer_of(establishment):
    user = UserFactory()
    MembershipFactory(user=user, establishment=establishment)
    return user


def _assessor(last_name, *certifications, valid_from=None, valid_until=None):
    assessor = AssessorFactory(user__first_name="Claire", user__last_name=last_name)
    extra = {}
    if valid_from is not None:
        extra["valid_from"] = valid_from
    if valid_until is not None:
        extra["valid_until"] = valid_until
    AccreditationFactory(assessor=assessor, certifications=list(certifications), **extra)
    return assessor


def _choice_label(assessor):
    return (
        f"{assessor.user.get_full_name()} — {assessor.organisation} "
        f"(habilitation {assessor.accreditation_number})"
    )


def _today():
    return timezone.localdate()


CANDIDATE_ERRORS = [
    (
        "birth_date",
        lambda: _today() + datetime.timedelta(days=1),
        "La date de naissance doit être dans le passé.",
    ),
    ("birth_date", _today, "La date de naissance doit être dans le passé."),
    (
        "birth_date",
        lambda: _today().replace(year=_today().year - 16) + datetime.timedelta(days=1),
        "Le candidat doit avoir au moins 16 ans.",
    ),
    (
        "birth_date",
        lambda: datetime.date(_today().year - 81, 12, 31),
        "Vérifiez la date de naissance : elle semble erronée.",
    ),
    ("birth_date", lambda: "31/02/1990", "Saisissez une date valide."),
    ("birth_date", lambda: "", REQUIRED),
    (
        "birth_place_code",
        lambda: "ABCDE",
        "Saisissez le code postal ou le code INSEE de la commune de naissance (5 caractères).",
    ),
    (
        "birth_place_code",
        lambda: "2C004",
        "Saisissez le code postal ou le code INSEE de la commune de naissance (5 caractères).",
    ),
    ("postcode", lambda: "6900A", "Le code postal doit comporter 5 chiffres."),
    ("postcode", lambda: "6900", "Le code postal doit comporter 5 chiffres."),
    (
        "phone",
        lambda: "12 34",
        "Saisissez un numéro de téléphone valide (10 chiffres, par exemple 01 23 45 67 89).",
    ),
    ("email", lambda: "hugo@", "Saisissez une adresse électronique valide."),
    (
        "company_entry_date",
        lambda: _today() + datetime.timedelta(days=1),
        "La date d'entrée dans l'entreprise ne peut être future.",
    ),
    ("civility", lambda: "", REQUIRED),
    ("birth_name", lambda: "", REQUIRED),
    ("first_names", lambda: "", REQUIRED),
    ("birth_place", lambda: "", REQUIRED),
    ("address", lambda: "", REQUIRED),
    ("city", lambda: "", REQUIRED),
    ("highest_diploma_level", lambda: "", REQUIRED),
    ("position_held", lambda: "", REQUIRED),
]


def _resume_link(client, dossier):
    content = client.get(f"/dossiers/{dossier.pk}/").content.decode()
    links = re.findall(
        r'<a class="btn btn-primary" href="([^"]+)"><i class="bi bi-pencil" aria-hidden="true">'
        r"</i> Éditer</a>",
        content,
    )
    assert len(links) == 1
    return links[0]


TEN_MEBIBYTES = 10 * 1024 * 1024


BAD_UPLOADS = {
    "png_renamed_pdf": (
        "diplome.pdf",
        lambda: _image_bytes("PNG"),
        "Le contenu du fichier ne correspond pas à son extension .pdf.",
    ),
    "jpeg_renamed_png": (
        "diplome.png",
        lambda: _image_bytes("JPEG"),
        "Le contenu du fichier ne correspond pas à son extension .png.",
    ),
    "oversize": (
        "gros.pdf",
        lambda: b"%PDF-1.4\n" + b"0" * (TEN_MEBIBYTES + 1 - 9),
        "Le fichier dépasse la taille maximale de 10 Mo (10,1 Mo).",
    ),
    "empty_pdf": ("vide.pdf", lambda: b"", "Le fichier est vide."),
    "empty_png": ("vide.png", lambda: b"", "Le fichier est vide."),
    "corrupt_pdf": (
        "abime.pdf",
        lambda: b"%PDF-1.4\nceci n'est pas un PDF\n%%EOF\n",
        "Le PDF est illisible ou endommagé.",
    ),
    "encrypted_pdf": (
        "protege.pdf",
        lambda: _pdf_bytes(password="secret"),
        "Le PDF est protégé par un mot de passe : envoyez une version non protégée.",
    ),
    "corrupt_png": (
        "abime.png",
        lambda: b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
        "L'image est illisible ou endommagée.",
    ),
    "bad_extension": (
        "diplome.docx",
        lambda: b"PK\x03\x04 un document Word",
        "Format refusé : seuls les fichiers PDF, JPEG et PNG sont acceptés.",
    ),
    "no_extension": (
        "diplome",
        lambda: MINIMAL_PDF,
        "Format refusé : seuls les fichiers PDF, JPEG et PNG sont acceptés.",
    ),
}


def _multipart(fields, filename, content):
    """A hand-made multipart body: the test client would strip the directories of `filename`."""
    boundary = "eCertifFrontiere7d3a"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n'
        ).encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _download(client, attachment):
    response = client.get(f"/dossiers/{attachment.dossier_id}/pieces/{attachment.pk}/")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    response.close()
    return response, body
