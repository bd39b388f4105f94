"""The browser refuses a file over 10 Mo before sending it (issue #12)."""

import re

import pytest
from playwright.sync_api import expect

from demo.demo import DEMO_PASSWORD
from dossiers.enums import DossierState
from dossiers.models import Dossier
from tests.e2e.test_login import log_in

pytestmark = pytest.mark.e2e


def test_oversized_diploma_refused_before_upload(page, live_server, demo_data, tmp_path):
    draft = Dossier.objects.filter(
        state=DossierState.REGISTERING,
        establishment__memberships__user__email="employeur@demo.ecertif.fr",
    ).first()
    big = tmp_path / "diplome.pdf"
    big.write_bytes(b"%PDF-1.4\n" + b"0" * (15 * 1024 * 1024))
    uploads = []
    page.on("request", lambda r: uploads.append(r.url) if r.method == "POST" else None)
    log_in(page, live_server, "employeur@demo.ecertif.fr", DEMO_PASSWORD)
    uploads.clear()
    page.goto(f"{live_server.url}/dossiers/{draft.pk}/etape/diplomes/")

    page.get_by_label(re.compile(r"^\s*Libellé")).fill("Baccalauréat")
    file_input = page.locator("input[type=file][data-max-bytes]")
    file_input.set_input_files(str(big))
    page.get_by_role("button", name="Ajouter la pièce").click()

    message = file_input.evaluate("input => input.validationMessage")
    assert message == (
        "Ce fichier pèse 15 Mo : la limite est de 10 Mo. Choisissez un fichier plus léger."
    )
    expect(page).to_have_url(f"{live_server.url}/dossiers/{draft.pk}/etape/diplomes/")
    assert uploads == []
    assert draft.attachments.count() == 0
