"""Upload policy shared by every file people send us (diplomas, scanned assessment guides).

`check_upload` is the single gate: it refuses with one French message per reason and returns
what the caller needs to store the file (normalised extension, trusted content type, sha256).
Files are then stored under `generated_name`, never under the name the user chose.
"""

import hashlib
import math
import os
import unicodedata
import uuid
from dataclasses import dataclass

import pypdf
from django.core.exceptions import ValidationError
from django.utils import timezone
from PIL import Image

MAX_UPLOAD_SIZE = 10 * 1024 * 1024
ALLOWED = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
}
DISPLAY_NAME_MAX_LENGTH = 120

_MEBIBYTE = 1024 * 1024
_CHUNK_SIZE = 64 * 1024
_NORMALISED_EXTENSION = {"pdf": "pdf", "jpg": "jpg", "jpeg": "jpg", "png": "png"}
_MAGIC = {
    "pdf": b"%PDF-",
    "jpg": b"\xff\xd8\xff",
    "png": b"\x89PNG\r\n\x1a\n",
}
_PILLOW_FORMAT = {"jpg": "JPEG", "png": "PNG"}

MESSAGES = {
    "empty": "Le fichier est vide.",
    "bad_name": (
        "Le nom du fichier contient des caractères interdits (/, \\ ou ..). "
        "Renommez-le puis réessayez."
    ),
    "too_large": "Le fichier dépasse la taille maximale de 10 Mo (%(size)s Mo).",
    "bad_extension": "Format refusé : seuls les fichiers PDF, JPEG et PNG sont acceptés.",
    "mismatch": "Le contenu du fichier ne correspond pas à son extension .%(ext)s.",
    "corrupt_pdf": "Le PDF est illisible ou endommagé.",
    "encrypted_pdf": ("Le PDF est protégé par un mot de passe : envoyez une version non protégée."),
    "corrupt_image": "L'image est illisible ou endommagée.",
}


@dataclass(frozen=True)
class CheckedUpload:
    content_type: str  # from our own table, never the browser's claim
    extension: str  # normalised: "pdf", "jpg" or "png"
    size: int
    sha256: str
    original_name: str  # cleaned display name, see `display_name`


def _refuse(code, **params):
    raise ValidationError(MESSAGES[code], code=code, params=params or None)


def _is_control(char):
    # Cc (NUL, newline…), Cf (right-to-left override used to disguise extensions), etc.
    return unicodedata.category(char).startswith("C")


def _has_forbidden_name(name):
    if "/" in name or "\\" in name or any(_is_control(char) for char in name):
        return True
    # With separators refused, ".." is only a traversal when it is the whole name; an ellipsis
    # in "diplome...pdf" is harmless and common.
    return name.strip() in {".", ".."}


def _extension(name):
    return os.path.splitext(name)[1].lstrip(".").lower()


def _file_size(uploaded_file):
    # Measured on the bytes themselves rather than trusting the `size` attribute.
    uploaded_file.seek(0, os.SEEK_END)
    size = uploaded_file.tell()
    uploaded_file.seek(0)
    return size


def _format_mebibytes(size):
    # Rounded up so that a file just over the limit never reads as "10,0 Mo".
    tenths = math.ceil(size * 10 / _MEBIBYTE)
    return f"{tenths // 10},{tenths % 10}"


def _sniff(head):
    for extension, magic in _MAGIC.items():
        if head.startswith(magic):
            return extension
    return None


def _check_pdf(stream):
    try:
        reader = pypdf.PdfReader(stream, strict=False)
        if reader.is_encrypted:
            # A PDF restricted only by an owner password opens without one: viewers show it,
            # so we accept it; a user password would lock the secretariat out.
            try:
                opened = reader.decrypt("")
            except Exception:
                opened = pypdf.PasswordType.NOT_DECRYPTED
            if opened == pypdf.PasswordType.NOT_DECRYPTED:
                _refuse("encrypted_pdf")
        page_count = len(reader.pages)
    except ValidationError:
        raise
    except Exception:
        _refuse("corrupt_pdf")
    if page_count == 0:
        _refuse("corrupt_pdf")


def _check_image(stream, extension):
    formats = [_PILLOW_FORMAT[extension]]
    try:
        with Image.open(stream, formats=formats) as image:
            max_pixels = Image.MAX_IMAGE_PIXELS
            # Pillow only raises above twice the limit (and warns below): refuse from the limit.
            if max_pixels and image.width * image.height > max_pixels:
                _refuse("corrupt_image")
            image.verify()
        # verify() leaves the image unusable: reopen to decode every pixel.
        stream.seek(0)
        with Image.open(stream, formats=formats) as image:
            image.load()
    except ValidationError:
        raise
    except Exception:
        # Includes Image.DecompressionBombError, truncated data and unknown formats.
        _refuse("corrupt_image")


def _sha256(uploaded_file):
    digest = hashlib.sha256()
    uploaded_file.seek(0)
    while chunk := uploaded_file.read(_CHUNK_SIZE):
        digest.update(chunk)
    return digest.hexdigest()


def check_upload(uploaded_file):
    """Check an uploaded file against the policy and describe it, or raise ValidationError.

    Accepts any Django `File` (InMemoryUploadedFile, TemporaryUploadedFile,
    SimpleUploadedFile, or a plain `File` around a binary stream). Refusals are checked in a
    fixed order and carry one French message and a `code`: "empty", "bad_name", "too_large",
    "bad_extension", "mismatch", "corrupt_pdf", "encrypted_pdf", "corrupt_image".
    The file is left rewound at offset 0 so it can be saved right after.
    """
    if uploaded_file is None:
        _refuse("empty")
    size = _file_size(uploaded_file)
    if size == 0:
        _refuse("empty")

    name = uploaded_file.name or ""
    if _has_forbidden_name(name):
        _refuse("bad_name")

    if size > MAX_UPLOAD_SIZE:
        _refuse("too_large", size=_format_mebibytes(size))

    raw_extension = _extension(name)
    if raw_extension not in ALLOWED:
        _refuse("bad_extension")
    extension = _NORMALISED_EXTENSION[raw_extension]

    head = uploaded_file.read(len(_MAGIC["png"]))
    uploaded_file.seek(0)
    if _sniff(head) != extension:
        _refuse("mismatch", ext=raw_extension)

    try:
        if extension == "pdf":
            _check_pdf(uploaded_file)
        else:
            _check_image(uploaded_file, extension)
        sha256 = _sha256(uploaded_file)
    finally:
        uploaded_file.seek(0)

    return CheckedUpload(
        content_type=ALLOWED[extension],
        extension=extension,
        size=size,
        sha256=sha256,
        original_name=display_name(name),
    )


def generated_name(instance, filename):
    """`upload_to` callable: "prive/YYYY/MM/<uuid4 hex>.<ext>", never the user's file name.

    The extension is the normalised one ("jpeg" becomes "jpg"); anything outside the policy
    (which `check_upload` should already have refused) is stored as ".bin".
    """
    extension = _NORMALISED_EXTENSION.get(_extension(filename), "bin")
    today = timezone.localdate()
    return f"prive/{today:%Y}/{today:%m}/{uuid.uuid4().hex}.{extension}"


def display_name(filename):
    """Name to show and offer on download: basename only, no control characters, ≤ 120 chars.

    Truncation keeps the extension ("…très long nom.pdf" stays a ".pdf").
    """
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    # macOS sends decomposed accents: recompose them so "diplôme" displays and compares as typed.
    name = unicodedata.normalize("NFC", name)
    name = "".join(char for char in name if not _is_control(char)).strip()
    if name in {"", ".", ".."}:
        return "fichier"
    if len(name) <= DISPLAY_NAME_MAX_LENGTH:
        return name
    stem, extension = os.path.splitext(name)
    if len(extension) > 10:
        # Not a real extension: keep the head of the name instead.
        stem, extension = name, ""
    return stem[: DISPLAY_NAME_MAX_LENGTH - len(extension)].rstrip() + extension
