"""Parses one uploaded file in a child process under CPU and memory limits (see uploads.py).

Run as a script: `python -I upload_worker.py <kind> <max_pixels>`, the file on standard input.
It imports no Django and writes one JSON line on standard output — {"ok": true} or
{"refuse": "<code>"} — followed, for an image, by the re-encoded bytes (no metadata).
"""

import io
import json
import sys

# Keys and names that make a PDF act rather than show: scripts, actions run on opening or on
# an event, launched programs, embedded files, XFA forms, multimedia.
_ACTIVE_KEYS = {
    "/JavaScript": "pdf_javascript",
    "/JS": "pdf_javascript",
    "/OpenAction": "pdf_openaction",
    "/AA": "pdf_aa",
    "/Launch": "pdf_launch",
    "/EmbeddedFile": "pdf_embedded_file",
    "/EmbeddedFiles": "pdf_embedded_file",
    "/XFA": "pdf_xfa",
    "/RichMedia": "pdf_embedded_file",
}
MAX_DEPTH = 32
MAX_OBJECTS = 20_000


class Refused(Exception):
    def __init__(self, code):
        super().__init__(code)
        self.code = code


def _walk_pdf(reader):
    # Imported in the child only, and only for the kind of file it checks.
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    seen = set()
    stack = [(reader.trailer, 0)]
    for generation, numbers in reader.xref.items():
        stack.extend((IndirectObject(number, generation, reader), 0) for number in numbers)
    stack.extend((IndirectObject(number, 0, reader), 0) for number in reader.xref_objStm)
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise Refused("pdf_nested")
        if isinstance(node, IndirectObject):
            key = (node.idnum, node.generation)
            if key in seen:
                continue
            seen.add(key)
            if len(seen) > MAX_OBJECTS:
                raise Refused("too_complex")
            node = node.get_object()
            depth = 0
        if isinstance(node, DictionaryObject):
            for name, value in node.items():
                if name in _ACTIVE_KEYS:
                    raise Refused(_ACTIVE_KEYS[name])
                stack.append((value, depth + 1))
        elif isinstance(node, ArrayObject):
            stack.extend((value, depth + 1) for value in node)
        elif isinstance(node, NameObject) and node in _ACTIVE_KEYS:
            raise Refused(_ACTIVE_KEYS[node])


def check_pdf(data):
    # Imported in the child only, and only for a PDF.
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted or "/Encrypt" in reader.trailer:
        raise Refused("encrypted_pdf")
    if len(reader.pages) == 0:
        raise Refused("corrupt_pdf")
    _walk_pdf(reader)
    return b""


def reencode_image(data, kind, max_pixels):
    # Imported in the child only, and only for an image.
    from PIL import Image, ImageOps

    pillow_format = {"jpg": "JPEG", "png": "PNG"}[kind]
    # Pillow's own bomb check would answer "corrupt" in open(): ours names the rule instead.
    Image.MAX_IMAGE_PIXELS = None
    with Image.open(io.BytesIO(data), formats=[pillow_format]) as image:
        # The header alone gives the size: refuse before decoding a single pixel.
        if image.width * image.height > max_pixels:
            raise Refused("too_many_pixels")
        image.load()
        # Keep the orientation the photo is seen with, then drop every metadata (EXIF, GPS).
        image = ImageOps.exif_transpose(image)
        if kind == "jpg":
            image = image.convert("RGB")
        elif image.mode not in ("1", "L", "LA", "P", "RGB", "RGBA"):
            image = image.convert("RGBA")
        clean = Image.new(image.mode, image.size)
        if image.mode == "P":
            clean.putpalette(image.getpalette())
        clean.paste(image)
        out = io.BytesIO()
        if kind == "jpg":
            clean.save(out, format="JPEG", quality=90, optimize=True)
        else:
            clean.save(out, format="PNG", optimize=True)
    return out.getvalue()


def main():
    kind, max_pixels = sys.argv[1], int(sys.argv[2])
    data = sys.stdin.buffer.read()
    payload = b""
    try:
        payload = check_pdf(data) if kind == "pdf" else reencode_image(data, kind, max_pixels)
        verdict = {"ok": True}
    except Refused as refusal:
        verdict = {"refuse": refusal.code}
    except RecursionError:
        verdict = {"refuse": "pdf_nested" if kind == "pdf" else "corrupt_image"}
    except MemoryError:
        verdict = {"refuse": "too_complex"}
    except Exception:
        # Includes Pillow's DecompressionBombError and every malformed-file error.
        verdict = {"refuse": "corrupt_pdf" if kind == "pdf" else "corrupt_image"}
    sys.stdout.buffer.write(json.dumps(verdict).encode() + b"\n" + payload)
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    main()
