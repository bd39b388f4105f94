"""Writes the upload corpus: benign and hostile files, each with the verdict check_upload owes.

    .venv/bin/python tests/uploads/make_corpus.py

Rewrites tests/uploads/corpus/ (the files and expected.json: file name → "ok" or the refusal
code). Deterministic: running it twice gives the same bytes. The EICAR test string is not in
here (it belongs to the antivirus test, which writes it in a temporary directory).
"""

import io
import json
import shutil
import struct
import zipfile
import zlib
from pathlib import Path

import pypdf
from PIL import Image, PngImagePlugin

CORPUS = Path(__file__).with_name("corpus")


# --- PDF builders ------------------------------------------------------------------------


def raw_pdf(objects, *, root=1, tail=b""):
    """A classic PDF from object bodies (bytes, numbered from 1), with a correct xref table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += tail
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        root,
        xref,
    )
    return bytes(out)


PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200]%s >>"
PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"


def one_page(catalog_extra=b"", page_extra=b"", extra_objects=()):
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R" + catalog_extra + b" >>",
            PAGES,
            PAGE % page_extra,
            *extra_objects,
        ]
    )


def pypdf_pdf(pages=1, **encrypt):
    writer = pypdf.PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=200, height=200)
    if encrypt:
        writer.encrypt(**encrypt, algorithm="AES-256")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_with_attachment():
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_attachment("facture.exe", b"MZ\x90\x00 not really a program")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_with_info():
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Title": "Diplôme", "/Author": "Secrétariat"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_with_text():
    content = b"BT /F1 18 Tf 20 100 Td (Diplome de Jean) Tj ET"
    return one_page(
        page_extra=b" /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >>",
        extra_objects=[
            b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ],
    )


def pdf_compressed_text():
    content = zlib.compress(b"BT /F1 12 Tf 20 100 Td (Attestation) Tj ET")
    return one_page(
        page_extra=b" /Contents 4 0 R",
        extra_objects=[
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream"
            % (len(content), content)
        ],
    )


def incremental_update():
    base = pdf_with_text()
    # A second revision appended after the first %%EOF, as editors save.
    offset = len(base)
    update = b"6 0 obj\n<< /Producer (Scanner) >>\nendobj\n"
    xref = offset + len(update)
    prev = int(base.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    update += (
        b"xref\n0 1\n0000000000 65535 f \n6 1\n%010d 00000 n \n" % offset
        + b"trailer\n<< /Size 7 /Root 1 0 R /Info 6 0 R /Prev %d >>\n" % prev
        + b"startxref\n%d\n%%%%EOF\n" % xref
    )
    return base + update


def nested_array(depth):
    return one_page(extra_objects=[b"[" * depth + b"1" + b"]" * depth])


def nested_dict(depth):
    return one_page(extra_objects=[b"<< /K " * depth + b"1" + b" >>" * depth])


def many_objects(count):
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            PAGES,
            PAGE % b"",
            *(b"%d" % n for n in range(count)),
        ]
    )


def malformed_big(size):
    """Megabytes of half-parsable objects without a valid xref: pypdf must rebuild it."""
    chunk = b"1 0 obj << /Type /Page /Kids [1 0 R 1 0 R] /Parent 1 0 R >> endobj\n"
    body = chunk * (size // len(chunk))
    return b"%PDF-1.4\n" + body + b"trailer << /Root 1 0 R >>\n%%EOF\n"


# --- Image builders ----------------------------------------------------------------------


def image(fmt, mode="RGB", size=(32, 24), **save):
    buffer = io.BytesIO()
    colour = {"RGB": (200, 30, 30), "RGBA": (0, 90, 200, 128), "L": 128, "CMYK": (0, 50, 90, 0)}
    picture = Image.new("RGB" if mode == "P" else mode, size, colour.get(mode, (10, 200, 10)))
    if mode == "P":
        picture = picture.convert("P", palette=Image.Palette.ADAPTIVE)
    picture.save(buffer, format=fmt, **save)
    return buffer.getvalue()


def jpeg_with_gps():
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x0112] = 6  # rotated: the re-encoding applies it before dropping the EXIF
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (45.0, 45.0, 36.0)
    gps[3] = "E"
    gps[4] = (4.0, 50.0, 24.0)
    return image("JPEG", exif=exif.tobytes())


def png_with_text(text):
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", text)
    return image("PNG", pnginfo=info)


def png_header_claiming(width, height):
    """A PNG whose header claims a huge size, with a tiny (wrong) body: refused unread."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


def jpeg_claiming(width, height):
    data = bytearray(image("JPEG"))
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def zip_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.html", "<p>hello</p>")
    return buffer.getvalue()


def gif():
    buffer = io.BytesIO()
    Image.new("P", (4, 4)).save(buffer, format="GIF")
    return buffer.getvalue()


def acroform_text_field():
    return one_page(
        catalog_extra=b" /AcroForm << /Fields [4 0 R] >>",
        page_extra=b" /Annots [4 0 R]",
        extra_objects=[
            b"<< /Type /Annot /Subtype /Widget /FT /Tx /T (nom) /Rect [10 10 100 30] /P 3 0 R >>"
        ],
    )


def uri_link():
    return one_page(
        page_extra=b" /Annots [4 0 R]",
        extra_objects=[
            b"<< /Type /Annot /Subtype /Link /Rect [0 0 50 50]"
            b" /A << /S /URI /URI (https://www.francecompetences.fr) >> >>"
        ],
    )


def javascript_annotation():
    return one_page(
        page_extra=b" /Annots [4 0 R]",
        extra_objects=[
            b"<< /Type /Annot /Subtype /Link /Rect [0 0 50 50]"
            b" /A << /S /JavaScript /JS (app.alert(1)) >> >>"
        ],
    )


def launch_annotation():
    return one_page(
        page_extra=b" /Annots [4 0 R]",
        extra_objects=[
            b"<< /Type /Annot /Subtype /Link /Rect [0 0 50 50] /A << /S /Launch /F (cmd.exe) >> >>"
        ],
    )


def unreachable_javascript():
    # An object nothing points to: some readers still find it by scanning.
    return one_page(extra_objects=[b"<< /S /JavaScript /JS (app.alert(2)) >>"])


def pdf_with_html():
    return one_page(
        extra_objects=[b"(<html><body><script>alert(1)</script></body></html>)"],
    )


def pdf_with_zip_inside():
    payload = zip_bytes()
    pdf = pypdf_pdf()
    head, _, _ = pdf.rpartition(b"%%EOF")
    return head + b"%" + payload + b"\n%%EOF\n"


def build():
    png = image("PNG")
    jpeg = image("JPEG")
    files = {
        # --- benign -----------------------------------------------------------------------
        "ok_blank.pdf": (pypdf_pdf(), "ok"),
        "ok_three_pages.pdf": (pypdf_pdf(pages=3), "ok"),
        "ok_text.pdf": (pdf_with_text(), "ok"),
        "ok_compressed_text.pdf": (pdf_compressed_text(), "ok"),
        "ok_info.pdf": (pdf_with_info(), "ok"),
        "ok_incremental_update.pdf": (incremental_update(), "ok"),
        "ok_uri_link.pdf": (uri_link(), "ok"),
        "ok_acroform_text_field.pdf": (acroform_text_field(), "ok"),
        "ok_nested_20.pdf": (nested_array(20), "ok"),
        "ok_scan.png": (png, "ok"),
        "ok_grayscale.png": (image("PNG", mode="L"), "ok"),
        "ok_palette.png": (image("PNG", mode="P"), "ok"),
        "ok_transparent.png": (image("PNG", mode="RGBA"), "ok"),
        "ok_text_chunk.png": (png_with_text("Scanné le 27/11/2026"), "ok"),
        "ok_photo.jpg": (jpeg, "ok"),
        "ok_photo_gps.jpg": (jpeg_with_gps(), "ok"),
        "ok_cmyk.jpg": (image("JPEG", mode="CMYK"), "ok"),
        "ok_progressive.jpg": (image("JPEG", progressive=True), "ok"),
        "ok_photo.jpeg": (image("JPEG", size=(640, 480)), "ok"),
        # --- active PDF content -------------------------------------------------------------
        "openaction_javascript.pdf": (
            one_page(catalog_extra=b" /OpenAction << /S /JavaScript /JS (app.alert(1)) >>"),
            "pdf_openaction",
        ),
        "openaction_goto.pdf": (
            one_page(catalog_extra=b" /OpenAction [3 0 R /Fit]"),
            "pdf_openaction",
        ),
        "names_javascript.pdf": (
            one_page(
                catalog_extra=b" /Names << /JavaScript 4 0 R >>",
                extra_objects=[b"<< /Names [(x) << /S /JavaScript /JS (app.alert(1)) >>] >>"],
            ),
            "pdf_javascript",
        ),
        "annotation_javascript.pdf": (javascript_annotation(), "pdf_javascript"),
        "obfuscated_javascript_name.pdf": (
            one_page(catalog_extra=b" /Names << /J#61vaScript 4 0 R >>", extra_objects=[b"[]"]),
            "pdf_javascript",
        ),
        "unreachable_javascript.pdf": (unreachable_javascript(), "pdf_javascript"),
        "launch.pdf": (launch_annotation(), "pdf_launch"),
        "embedded_file.pdf": (pdf_with_attachment(), "pdf_embedded_file"),
        "page_aa.pdf": (
            one_page(page_extra=b" /AA << /O << /S /URI /URI (https://x.invalid) >> >>"),
            "pdf_aa",
        ),
        "catalog_aa.pdf": (
            one_page(catalog_extra=b" /AA << /WC << /S /URI /URI (https://x.invalid) >> >>"),
            "pdf_aa",
        ),
        "xfa_form.pdf": (
            one_page(catalog_extra=b" /AcroForm << /Fields [] /XFA (<xdp:xdp/>) >>"),
            "pdf_xfa",
        ),
        "richmedia.pdf": (
            one_page(
                page_extra=b" /Annots [4 0 R]",
                extra_objects=[b"<< /Type /Annot /Subtype /RichMedia /Rect [0 0 9 9] >>"],
            ),
            "pdf_embedded_file",
        ),
        # --- encrypted, truncated, nested, heavy PDFs ----------------------------------------
        "encrypted_user_password.pdf": (
            pypdf_pdf(user_password="ouvrir", owner_password="secret"),
            "encrypted_pdf",
        ),
        "encrypted_owner_only.pdf": (
            pypdf_pdf(user_password="", owner_password="secret"),
            "encrypted_pdf",
        ),
        "truncated_half.pdf": (pdf_with_text()[:200], "truncated_pdf"),
        "truncated_no_eof.pdf": (pypdf_pdf().replace(b"%%EOF", b"%%END"), "truncated_pdf"),
        "nested_array_40.pdf": (nested_array(40), "pdf_nested"),
        "nested_dict_40.pdf": (nested_dict(40), "pdf_nested"),
        "nested_array_5000.pdf": (nested_array(5000), "pdf_nested"),
        "too_many_objects.pdf": (many_objects(25_000), "too_complex"),
        "no_pages.pdf": (
            raw_pdf(
                [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]
            ),
            "corrupt_pdf",
        ),
        "garbage.pdf": (b"%PDF-1.7\nnot a pdf at all\n%%EOF\n", "corrupt_pdf"),
        "malformed_1mb.pdf": (malformed_big(1024 * 1024), "corrupt_pdf|too_complex"),
        # --- polyglots ----------------------------------------------------------------------
        "pdf_html_polyglot.pdf": (pdf_with_html(), "polyglot"),
        "pdf_zip_polyglot.pdf": (pdf_with_zip_inside(), "polyglot"),
        "jpg_zip_appended.jpg": (jpeg + zip_bytes(), "polyglot"),
        "jpg_script_comment.jpg": (
            jpeg[:2] + b"\xff\xfe\x00\x1d<script>alert(1)</script>\x00" + jpeg[2:],
            "polyglot",
        ),
        "png_trailing_html.png": (png + b"<p>appended</p>", "polyglot"),
        "png_pdf_inside.png": (png_with_text("%PDF-1.7 1 0 obj"), "polyglot"),
        "jpg_pdf_appended.jpg": (jpeg + pypdf_pdf(), "polyglot"),
        # --- images -------------------------------------------------------------------------
        "pixel_bomb_100mp.png": (png_header_claiming(10_000, 10_000), "too_many_pixels"),
        "pixel_bomb_3600mp.jpg": (jpeg_claiming(60_000, 60_000), "too_many_pixels"),
        "truncated.png": (png[:60], "corrupt_image"),
        "truncated.jpg": (jpeg[: len(jpeg) // 2], "corrupt_image"),
        # --- disguised formats --------------------------------------------------------------
        "html_as.pdf": (b"<!doctype html><script>alert(1)</script>", "mismatch"),
        "exe_as.pdf": (b"MZ\x90\x00\x03\x00\x00\x00" + b"\0" * 64, "mismatch"),
        "gif_as.png": (gif(), "mismatch"),
        "svg_as.png": (b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>', "mismatch"),
        "jpeg_as.png": (jpeg, "mismatch"),
        "zip_as.docx": (zip_bytes(), "bad_extension"),
        "empty.pdf": (b"", "empty"),
    }
    return files


def main():
    if CORPUS.exists():
        shutil.rmtree(CORPUS)
    CORPUS.mkdir()
    expected = {}
    for name, (data, verdict) in sorted(build().items()):
        (CORPUS / name).write_bytes(data)
        expected[name] = verdict
    (CORPUS / "expected.json").write_text(json.dumps(expected, indent=1, ensure_ascii=False) + "\n")
    print(f"{len(expected)} fichiers écrits dans {CORPUS}")


if __name__ == "__main__":
    main()
