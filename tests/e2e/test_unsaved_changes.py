"""Nothing typed is lost on the assessment page (issue #12): saving one of its forms while
another holds unsaved edits asks first, and cancelling keeps the text."""

import pytest
from playwright.sync_api import expect

from demo.demo import DEMO_PASSWORD
from dossiers.enums import DossierState
from dossiers.models import Dossier
from tests.e2e.test_login import log_in

pytestmark = pytest.mark.e2e


def test_saving_one_form_warns_about_edits_in_another(page, live_server, demo_data):
    # The demo's assessment in progress: invited, results partly entered.
    dossier = Dossier.objects.filter(
        state=DossierState.AWAITING_ASSESSMENT,
        assessor__user__email="evaluateur@demo.ecertif.fr",
        assessment__invitations__isnull=False,
    ).first()
    row = dossier.assessment.results.order_by("competence__number").first()
    log_in(page, live_server, "evaluateur@demo.ecertif.fr", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/evaluations/{dossier.pk}/")
    comment = page.locator(f"textarea[name=comment_{row.pk}]")
    comment.fill("Commentaire pas encore enregistré")
    dialogs = []

    def dismiss(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    page.get_by_role("textbox", name="Observations du candidat").fill("Observations.")
    page.get_by_role("button", name="Enregistrer", exact=True).click()

    expect(comment).to_have_value("Commentaire pas encore enregistré")
    assert dialogs == [
        "Des modifications ailleurs sur cette page ne sont pas enregistrées : elles seront "
        "perdues. Continuer ?"
    ]
    assert page.url == f"{live_server.url}/evaluations/{dossier.pk}/"
