"""Optional antivirus: a real clamd (Debian's clamav-daemon) on a random port, with a signature
database this test writes itself (the EICAR test string), no download of the official base."""

import shutil
import socket
import subprocess
import time

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from ecertif.files import antivirus
from ecertif.files.uploads import check_upload
from tests.uploads.make_corpus import one_page

# Built from two halves so that no file of the repository carries the test virus itself.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
CLAMD = shutil.which("clamd") or shutil.which("clamd", path="/usr/sbin")


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _pdf(content=b"BT ET"):
    """A valid one-page PDF whose (uncompressed) content stream holds `content`."""
    stream = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content)
    return one_page(page_extra=b" /Contents 4 0 R", extra_objects=[stream])


@pytest.fixture
def clamd_url(tmp_path):
    if CLAMD is None:
        pytest.skip("clamd absent: install Debian's clamav-daemon (.ci/run does)")
    database = tmp_path / "db"
    database.mkdir()
    (database / "ecertif-test.ndb").write_text(f"Ecertif-Test-EICAR:0:*:{EICAR.hex()}\n")
    port = _free_port()
    config = tmp_path / "clamd.conf"
    config.write_text(
        f"DatabaseDirectory {database}\nTCPSocket {port}\nTCPAddr 127.0.0.1\n"
        f"Foreground yes\nLogFile {tmp_path / 'clamd.log'}\nTemporaryDirectory {tmp_path}\n"
        f"StreamMaxLength 20M\n"
    )
    process = subprocess.Popen(
        [CLAMD, "--config-file", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"tcp://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log = (tmp_path / "clamd.log").read_text(errors="replace")
                    pytest.fail(f"clamd did not start: {log}")
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_clamd_finds_the_test_signature(clamd_url):
    assert antivirus.scan(clamd_url, b"hello") == ""
    assert antivirus.scan(clamd_url, b"%PDF " + EICAR) == "Ecertif-Test-EICAR.UNOFFICIAL"


def test_upload_with_virus_refused_when_clamav_configured(clamd_url, settings):
    settings.CLAMAV_URL = clamd_url
    with pytest.raises(ValidationError) as excinfo:
        check_upload(SimpleUploadedFile("diplome.pdf", _pdf(EICAR)))
    assert excinfo.value.code == "virus"
    assert excinfo.value.messages == [
        "L'antivirus a détecté un contenu malveillant (Ecertif-Test-EICAR.UNOFFICIAL), "
        "fichier refusé."
    ]


def test_clean_upload_accepted_when_clamav_configured(clamd_url, settings):
    settings.CLAMAV_URL = clamd_url
    assert check_upload(SimpleUploadedFile("diplome.pdf", _pdf())).extension == "pdf"


def test_upload_refused_when_clamav_configured_but_unreachable(settings):
    settings.CLAMAV_URL = f"tcp://127.0.0.1:{_free_port()}"
    with pytest.raises(ValidationError) as excinfo:
        check_upload(SimpleUploadedFile("diplome.pdf", _pdf()))
    assert excinfo.value.code == "antivirus_unavailable"


def test_upload_not_scanned_without_clamav(settings):
    settings.CLAMAV_URL = ""
    assert check_upload(SimpleUploadedFile("diplome.pdf", _pdf(EICAR))).size > 0
