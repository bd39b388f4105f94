"""The employer's journey (issue #3): create a dossier step by step, attach a diploma,
confirm an accredited assessor, submit; another employer cannot reach it; the assessor is told."""

import re

import pytest
from playwright.sync_api import expect

from demo.demo import DEMO_PASSWORD
from dossiers.enums import DossierState
from dossiers.models import Dossier
from tests.e2e.test_login import log_in
from tests.factories.dossiers import MINIMAL_PDF

pytestmark = pytest.mark.e2e

CERTIFICATION = "Opérateur(trice) de fabrication des Industries Chimiques"


def field(page, label):
    """The form control labelled exactly `label` (required ones end with an asterisk)."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}(\s*\*)?\s*$"))


def test_employer_creates_and_submits_dossier(
    page, live_server, demo_data, tmp_path, screenshots_dir, browser
):
    page.on("dialog", lambda dialog: dialog.accept())
    diploma = tmp_path / "bac-pro.pdf"
    diploma.write_bytes(MINIMAL_PDF)

    log_in(page, live_server, "employeur@demo.ecertif.fr", DEMO_PASSWORD)
    page.get_by_role("link", name="Créer un dossier candidat").first.click()

    # 1. Certification
    field(page, "Certification (CQP ou CQPI)").select_option(label=CERTIFICATION)
    page.get_by_role("button", name="Enregistrer et continuer").click()
    expect(page.get_by_role("heading", name="Dispositif de formation", level=2)).to_be_visible()
    number = re.search(r"CQP-\d{4}-\d{6}", page.locator("h1").inner_text()).group(0)

    # 2. Training scheme
    field(page, "Contrat de professionnalisation").check()
    page.get_by_role("button", name="Enregistrer et continuer").click()

    # 3. Candidate
    field(page, "Madame").check()
    field(page, "Nom de naissance").fill("Perrin")
    field(page, "Prénoms").fill("Camille Louise")
    field(page, "Date de naissance").fill("1995-06-15")
    field(page, "Commune de naissance").fill("Lyon")
    field(page, "Code postal ou INSEE de la commune de naissance").fill("69003")
    field(page, "Adresse").fill("8 rue Garibaldi")
    field(page, "Code postal").fill("69006")
    field(page, "Commune").fill("Lyon")
    field(page, "Poste occupé").fill("Opératrice de fabrication")
    field(page, "Plus haut niveau de diplôme").select_option(label="Niveau 4 (baccalauréat)")
    field(page, "Le candidat est titulaire d'un diplôme").check()
    page.get_by_role("button", name="Enregistrer et continuer").click()

    # 4. Diplomas: one PDF
    expect(page.get_by_text("Le candidat a déclaré un diplôme")).to_be_visible()
    field(page, "Libellé").fill("Baccalauréat professionnel")
    field(page, "Fichier (PDF, JPEG ou PNG, 10 Mo au plus)").set_input_files(str(diploma))
    page.get_by_role("button", name="Ajouter la pièce").click()
    expect(page.get_by_text("Pièce ajoutée au dossier.")).to_be_visible()
    expect(page.get_by_role("link", name="Baccalauréat professionnel")).to_be_visible()
    page.get_by_role("button", name="Continuer").click()

    # 5. Provider: none
    page.get_by_role("button", name="Enregistrer et continuer").click()

    # 6. Assessor: only the accredited one is offered
    expect(page.get_by_label(re.compile("Jean Lefèvre"))).to_be_visible()
    expect(page.get_by_text("Claire Moreau")).to_have_count(0)
    page.get_by_label(re.compile("Jean Lefèvre")).check()
    page.get_by_label(re.compile("Je confirme avoir choisi cet évaluateur")).check()
    page.get_by_role("button", name="Enregistrer et continuer").click()

    # 7. Review and submit
    page.get_by_role("button", name="Soumettre le dossier à l'évaluateur").click()
    expect(page.get_by_text(f"Dossier {number} soumis")).to_be_visible()
    expect(page.locator("h1 .badge")).to_have_text("En attente d'évaluation")
    expect(page.get_by_text("Soumission à l'évaluateur")).to_be_visible()
    page.screenshot(path=screenshots_dir / "employer-journey-submitted.png", full_page=True)

    dossier = Dossier.objects.get(number=number)
    assert dossier.state == DossierState.AWAITING_ASSESSMENT
    assert dossier.attachments.count() == 1
    detail_url = f"{live_server.url}/dossiers/{dossier.pk}/"

    # The other employer reaches it by no URL.
    other = browser.new_context(locale="fr-FR")
    other_page = other.new_page()
    log_in(other_page, live_server, "employeur2@demo.ecertif.fr", DEMO_PASSWORD)
    for path in ["", "etape/candidat/", "supprimer/", "renvoyer/"]:
        response = other_page.goto(detail_url + path)
        assert response.status == 404, path
    other.close()

    # The assessor sees the notification and opens the dossier from it.
    assessor = browser.new_context(locale="fr-FR")
    assessor_page = assessor.new_page()
    log_in(assessor_page, live_server, "evaluateur@demo.ecertif.fr", DEMO_PASSWORD)
    assessor_page.get_by_role("link", name=re.compile("^Notifications")).click()
    assessor_page.get_by_role(
        "button", name=re.compile(f"Nouveau dossier à évaluer : {number}")
    ).click()
    expect(assessor_page).to_have_url(detail_url)
    assessor.close()
