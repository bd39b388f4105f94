"""The jury journey (issue #5): registration → decision → documents → revocation, and
« Représenter le candidat » limited to the missing competences."""

import re

import pytest
from playwright.sync_api import expect

from demo.demo import DEMO_PASSWORD
from dossiers.enums import DossierState
from dossiers.models import Dossier
from tests.e2e.test_employer_journey import field
from tests.e2e.test_login import log_in

pytestmark = pytest.mark.e2e


def _context(browser, live_server, email):
    context = browser.new_context(locale="fr-FR", accept_downloads=True)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(page, live_server, email, DEMO_PASSWORD)
    return context, page


def _download(page, name):
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile(name)).first.click()
    download = info.value
    path = download.path()
    with open(path, "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    return download.suggested_filename


def test_registration_decision_documents_revocation(page, live_server, demo_data, browser):
    dossier = Dossier.objects.get(
        establishment__memberships__user__email="employeur@demo.ecertif.fr",
        state=DossierState.AWAITING_JURY,
    )
    detail = f"{live_server.url}/dossiers/{dossier.pk}/"

    # The employer registers the evaluated dossier to the session held today.
    employer, employer_page = _context(browser, live_server, "employeur@demo.ecertif.fr")
    employer_page.goto(detail)
    expect(employer_page.get_by_text("À inscrire à un jury")).to_be_visible()
    employer_page.get_by_role("link", name="Inscrire à un jury").click()
    employer_page.get_by_label(re.compile("Observatoire des Industries Chimiques")).check()
    employer_page.get_by_role("button", name="Inscrire le dossier").click()
    expect(
        employer_page.get_by_text(f"Dossier {dossier.number} inscrit au jury du")
    ).to_be_visible()

    # The jury member opens the session and records a partial decision with a motivation.
    jury, jury_page = _context(browser, live_server, "jury@demo.ecertif.fr")
    jury_page.get_by_role("link", name=re.compile(r"^Jury du ")).first.click()
    jury_page.get_by_role("link", name="Décider").click()
    competences = list(dossier.certification.competences.order_by("number"))
    second_to_last = competences[-2]
    jury_page.locator(f"input[name=validated_{second_to_last.pk}][value=no]").check()
    jury_page.locator(f"textarea[name=motivation_{second_to_last.pk}]").fill(
        "Geste professionnel à consolider."
    )
    field(jury_page, "Motivation générale (facultative)").fill("Décision collégiale.")
    jury_page.get_by_role("button", name="Enregistrer la décision").click()
    expect(
        jury_page.get_by_text(f"Décision enregistrée pour {dossier.number} : Partiel.")
    ).to_be_visible()
    jury.close()

    # The employer sees « Partiel » and downloads the decision sheet and the attestation.
    employer_page.goto(detail)
    expect(employer_page.locator("h1 .badge")).to_have_text("Partiel")
    assert _download(employer_page, "Exporter la feuille de décision du jury").endswith(".pdf")
    assert _download(employer_page, "Attestation de compétences").endswith(".pdf")
    employer.close()

    # The secretariat downloads the session's sheet, revokes the decision, sees both in history.
    secretariat, secretariat_page = _context(browser, live_server, "secretariat@demo.ecertif.fr")
    session = dossier.decisions.get().session
    secretariat_page.goto(f"{live_server.url}/jurys/sessions/{session.pk}/")
    assert _download(secretariat_page, "Exporter la feuille de décision du jury").endswith(".pdf")
    secretariat_page.goto(detail)
    secretariat_page.get_by_role("link", name="Annuler la décision").click()
    field(secretariat_page, "Motif").fill("Erreur de saisie sur C6.")
    secretariat_page.get_by_role("button", name="Annuler la décision").click()
    expect(secretariat_page.locator("h1 .badge")).to_have_text("En attente de jury")
    history = secretariat_page.locator("#historique").locator("..")
    expect(history.get_by_text("Décision du jury", exact=True)).to_be_visible()
    expect(history.get_by_text("Annulation de la décision", exact=True)).to_be_visible()
    expect(secretariat_page.get_by_text("Annulée le")).to_be_visible()
    secretariat.close()


def test_represent_candidate_limited_to_missing_competences(page, live_server, demo_data, browser):
    partial = Dossier.objects.get(state=DossierState.PARTIALLY_VALIDATED)
    employer, employer_page = _context(browser, live_server, "employeur@demo.ecertif.fr")
    employer_page.goto(f"{live_server.url}/dossiers/{partial.pk}/")
    employer_page.get_by_role("button", name="Représenter le candidat").click()
    expect(employer_page.get_by_text("créé pour représenter le candidat")).to_be_visible()
    expect(
        employer_page.get_by_role("heading", name="Compétences acquises lors d'un jury précédent")
    ).to_be_visible()
    new = Dossier.objects.exclude(pk=partial.pk).get(origin=partial)
    validated = set(
        partial.decisions.get()
        .competences.filter(validated=True)
        .values_list("competence_id", flat=True)
    )
    assert set(new.carried_competences.values_list("competence_id", flat=True)) == validated
    employer.close()
