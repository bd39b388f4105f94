"""Upload policy shared by every file people send us (diplomas, scanned assessment guides).

`check_upload` is the single gate: it refuses with one French message per reason and returns
what the caller needs to store the file (normalised extension, trusted content type, sha256).
Files are then stored under `generated_name`, never under the name the user chose.
"""

import hashlib
import io
import json
import math
import os
import resource
import subprocess
import sys
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone

from . import antivirus

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
# Larger images are refused from their header, before a pixel is decoded (a 40-megapixel photo
# is far above what a scanned diploma needs; an 88-megapixel PNG once cost 5.6 s and 271 MB).
MAX_IMAGE_PIXELS = 40_000_000
# Parsing runs in a child process with these limits (a malformed PDF once cost 14 s of CPU).
PARSE_CPU_SECONDS = 4
PARSE_TIMEOUT_SECONDS = 8
PARSE_MEMORY_BYTES = 768 * 1024 * 1024
_WORKER = str(Path(__file__).with_name("upload_worker.py"))
_PNG_END = b"IEND\xaeB`\x82"
# Another format's signature inside the file: a polyglot that a browser or an unzip tool would
# read as something else. Images are re-encoded anyway; these are refused outright.
_HTML_MARKERS = (b"<script", b"<html", b"<?php", b"<svg", b"<!doctype html", b"<iframe")
_FOREIGN_MARKERS = {
    "pdf": _HTML_MARKERS,
    "jpg": (*_HTML_MARKERS, b"%pdf-"),
    "png": (*_HTML_MARKERS, b"%pdf-"),
}

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
    "encrypted_pdf": "Le PDF est protégé par un mot de passe : envoyez une version non protégée.",
    "corrupt_image": "L'image est illisible ou endommagée.",
    "truncated_pdf": "Le PDF est tronqué (sa marque de fin manque) : envoyez-le à nouveau.",
    "pdf_javascript": "Le PDF contient du JavaScript, refusé : imprimez-le en PDF puis réessayez.",
    "pdf_openaction": (
        "Le PDF déclenche une action à l'ouverture (OpenAction), refusé : "
        "imprimez-le en PDF puis réessayez."
    ),
    "pdf_aa": (
        "Le PDF contient des actions automatiques (AA), refusé : imprimez-le en PDF puis réessayez."
    ),
    "pdf_launch": "Le PDF tente de lancer un programme (Launch), refusé.",
    "pdf_embedded_file": (
        "Le PDF contient des fichiers ou médias intégrés, refusé : envoyez chaque pièce séparément."
    ),
    "pdf_xfa": "Le PDF est un formulaire XFA, refusé : imprimez-le en PDF puis réessayez.",
    "pdf_nested": "Le PDF est trop imbriqué pour être analysé sans risque, refusé.",
    "too_complex": (
        "Le fichier est trop complexe pour être analysé dans le temps et la mémoire permis, "
        "refusé : enregistrez-le à nouveau (PDF imprimé, photo plus petite) puis réessayez."
    ),
    "too_many_pixels": (
        "L'image dépasse %(megapixels)s mégapixels, refusée : réduisez sa définition puis "
        "réessayez."
    ),
    "polyglot": (
        "Le fichier contient un autre format caché (HTML, script, archive ZIP ou PDF dans une "
        "image), refusé."
    ),
    "virus": "L'antivirus a détecté un contenu malveillant (%(signature)s), fichier refusé.",
    "antivirus_unavailable": (
        "L'antivirus ne répond pas : le fichier n'a pas pu être vérifié, réessayez plus tard."
    ),
}


@dataclass(frozen=True)
class CheckedUpload:
    content_type: str  # from our own table, never the browser's claim
    extension: str  # normalised: "pdf", "jpg" or "png"
    size: int
    sha256: str
    original_name: str  # cleaned display name, see `display_name`
    file: object = field(
        default=None, compare=False, repr=False
    )  # what to store: the PDF as sent, an image re-encoded without metadata


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


def _limit_child():
    """Runs in the child before it parses: CPU seconds and address space are capped."""
    resource.setrlimit(resource.RLIMIT_CPU, (PARSE_CPU_SECONDS, PARSE_CPU_SECONDS + 1))
    resource.setrlimit(resource.RLIMIT_AS, (PARSE_MEMORY_BYTES, PARSE_MEMORY_BYTES))


def _parse_in_child(data, extension):
    """The PDF walk or the image re-encoding, in a child process bounded in time and memory."""
    try:
        result = subprocess.run(
            [sys.executable, "-I", _WORKER, extension, str(MAX_IMAGE_PIXELS)],
            input=data,
            capture_output=True,
            timeout=PARSE_TIMEOUT_SECONDS,
            preexec_fn=_limit_child,
            check=False,
        )
    except subprocess.TimeoutExpired:
        _refuse("too_complex")
    header, _, payload = result.stdout.partition(b"\n")
    try:
        verdict = json.loads(header)
    except ValueError:
        # Killed by the CPU or memory limit before it could answer.
        _refuse("too_complex")
    if verdict.get("refuse") == "too_many_pixels":
        _refuse("too_many_pixels", megapixels=f"{MAX_IMAGE_PIXELS / 1_000_000:g}")
    if "refuse" in verdict:
        _refuse(verdict["refuse"])
    return payload


def _check_raw(data, extension):
    """Byte-level rules, before any parsing: truncation and polyglots."""
    if extension == "pdf" and b"%%EOF" not in data[-1024:]:
        _refuse("truncated_pdf")
    lowered = data.lower()
    if any(marker in lowered for marker in _FOREIGN_MARKERS.get(extension, ())):
        _refuse("polyglot")
    if zipfile.is_zipfile(io.BytesIO(data)):
        _refuse("polyglot")
    end = data.rfind(_PNG_END) if extension == "png" else -1
    if end >= 0 and data[end + len(_PNG_END) :].strip(b"\0"):
        _refuse("polyglot")  # bytes after the PNG's last chunk


def _read_all(uploaded_file):
    uploaded_file.seek(0)
    data = uploaded_file.read()
    uploaded_file.seek(0)
    return data


def check_upload(uploaded_file):
    """Check an uploaded file against the policy and describe it, or raise ValidationError.

    Accepts any Django `File` (InMemoryUploadedFile, TemporaryUploadedFile,
    SimpleUploadedFile, or a plain `File` around a binary stream). Refusals are checked in a
    fixed order and carry one French message naming the rule and a `code` (see MESSAGES).
    `CheckedUpload.file` is what to store: a PDF as sent (rewound), an image re-encoded.
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

    data = _read_all(uploaded_file)
    _check_raw(data, extension)
    clean = _parse_in_child(data, extension)
    if clean:
        data = clean
    stored = ContentFile(data, name=f"fichier.{extension}") if clean else uploaded_file
    clamav_url = getattr(settings, "CLAMAV_URL", "")
    if clamav_url:
        try:
            signature = antivirus.scan(clamav_url, data)
        except OSError:
            _refuse("antivirus_unavailable")
        if signature:
            _refuse("virus", signature=signature)
    return CheckedUpload(
        content_type=ALLOWED[extension],
        extension=extension,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        original_name=display_name(name),
        file=stored,
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
