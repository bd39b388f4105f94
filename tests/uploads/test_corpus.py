"""The hostile-upload corpus (tests/uploads/make_corpus.py): each file gets its verdict."""

import io
import json
import time
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from ecertif.files.uploads import MESSAGES, PARSE_TIMEOUT_SECONDS, check_upload

CORPUS = Path(__file__).with_name("corpus")
EXPECTED = json.loads((CORPUS / "expected.json").read_text())


def test_corpus_is_large_and_mixed():
    verdicts = list(EXPECTED.values())
    assert len(verdicts) >= 40
    assert verdicts.count("ok") >= 15
    assert len(verdicts) - verdicts.count("ok") >= 30
    assert sorted(p.name for p in CORPUS.iterdir() if p.name != "expected.json") == sorted(EXPECTED)


@pytest.mark.parametrize(("name", "verdict"), sorted(EXPECTED.items()))
def test_corpus_file_verdict(name, verdict):
    data = (CORPUS / name).read_bytes()
    started = time.monotonic()
    try:
        checked = check_upload(SimpleUploadedFile(name, data))
    except ValidationError as error:
        code = error.code
        assert code in verdict.split("|"), (code, error.messages)
        # A French message naming the rule, never a traceback or an English word from Pillow.
        assert error.messages == [MESSAGES[code] % (error.params or {})]
    else:
        assert verdict == "ok"
        stored = checked.file.read()
        if name.endswith((".png", ".jpg", ".jpeg")):
            with Image.open(io.BytesIO(stored)) as image:
                # Re-encoded: no EXIF (GPS), no text chunk, same pixels' size.
                assert not image.getexif()
                assert "Comment" not in image.info
                assert b"PhoneMaker" not in stored
        else:
            assert stored == data
    assert time.monotonic() - started < PARSE_TIMEOUT_SECONDS + 2
