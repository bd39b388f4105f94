"""Both assessors' journey (issue #4): the accredited assessor invites the workplace assessor,
who writes observations from the emailed link in another browser; the assessor then enters
every result, the observations and the outil n°4, and closes the assessment."""

import re

import pytest
from playwright.sync_api import expect

from demo.demo import DEMO_PASSWORD
from dossiers.enums import DossierState
from dossiers.models import Dossier
from ecertif.notifications.models import Notification
from tests.e2e.test_employer_journey import field
from tests.e2e.test_login import log_in
from tests.factories.dossiers import MINIMAL_PDF

pytestmark = pytest.mark.e2e


def test_assessors_journey_to_awaiting_jury(
    page, live_server, demo_data, browser, tmp_path, screenshots_dir, settings
):
    settings.SITE_URL = live_server.url
    page.on("dialog", lambda dialog: dialog.accept())
    # A submitted demo dossier of evaluateur@ with no invitation yet.
    dossier = Dossier.objects.filter(
        state=DossierState.AWAITING_ASSESSMENT,
        assessor__user__email="evaluateur@demo.ecertif.fr",
        assessment__invitations__isnull=True,
    ).first()
    competences = list(dossier.assessment.results.order_by("competence__number"))
    guide = tmp_path / "outil4.pdf"
    guide.write_bytes(MINIMAL_PDF)

    log_in(page, live_server, "evaluateur@demo.ecertif.fr", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/dossiers/{dossier.pk}/")
    page.get_by_role("link", name="Évaluer").click()
    expect(page.get_by_text("La saisie des résultats s'ouvre une fois")).to_be_visible()

    # 1. Invitation first.
    field(page, "Nom et prénom de l'évaluateur métier").fill("Paul Tuteur")
    field(page, "Adresse électronique").fill("paul.tuteur@exemple.fr")
    field(page, "Fonction dans l'entreprise").fill("Chef d'équipe")
    page.get_by_role("button", name="Inviter l'évaluateur métier").click()
    expect(page.get_by_text("Invitation envoyée à paul.tuteur@exemple.fr.")).to_be_visible()
    link = page.locator("#lien-invitation").input_value()
    assert re.fullmatch(rf"{re.escape(live_server.url)}/evaluation-metier/[\w-]{{32}}/", link)

    # The workplace assessor, in another browser, without an account.
    workplace = browser.new_context(locale="fr-FR")
    workplace_page = workplace.new_page()
    workplace_page.goto(link)
    expect(workplace_page).to_have_url(f"{live_server.url}/evaluation-metier/")
    expect(workplace_page.get_by_text(dossier.candidate.full_name).first).to_be_visible()
    for row in competences:
        workplace_page.get_by_label(re.compile(rf"^\s*C{row.competence.number} — ")).fill(
            f"Observé en poste : C{row.competence.number} maîtrisée."
        )
    workplace_page.get_by_label("Observation générale").fill("Candidat fiable.")
    workplace_page.get_by_role("button", name="Enregistrer mes observations").click()
    expect(workplace_page.get_by_text("Vos observations sont enregistrées.")).to_be_visible()
    # Nothing else of the application opens with that session.
    workplace_page.goto(f"{live_server.url}/dossiers/")
    expect(workplace_page).to_have_url(re.compile(r"/comptes/login/"))
    workplace.close()

    # 2. The observations appear beside each competence; the assessor enters every result.
    page.reload()
    expect(page.get_by_text("Observé en poste : C1 maîtrisée.")).to_be_visible()
    for row in competences:
        number = row.competence.number
        page.locator(f"input[name=result_{row.pk}][value=acquired]").check()
        page.locator(f"textarea[name=comment_{row.pk}]").fill(f"C{number} acquise.")
    page.get_by_role("button", name="Enregistrer les résultats").click()
    expect(page.get_by_text("Résultats enregistrés.")).to_be_visible()

    # 3. Candidate observations, 4. outil n°4.
    field(page, "Observations du candidat").fill("Le candidat a apprécié l'évaluation.")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.get_by_text("Observations enregistrées.")).to_be_visible()
    page.get_by_label(re.compile("Outil n°4 scanné")).set_input_files(str(guide))
    page.get_by_role("button", name="Déposer l'outil n°4").click()
    expect(page.get_by_text("Outil n°4 enregistré.")).to_be_visible()

    # Close the assessment.
    page.get_by_role("button", name="Clôturer l'évaluation").click()
    expect(page.get_by_text("Évaluation clôturée")).to_be_visible()
    expect(page.locator("h1 .badge")).to_have_text("En attente de jury")
    page.screenshot(path=screenshots_dir / "assessment-journey-closed.png", full_page=True)

    dossier.refresh_from_db()
    assert dossier.state == DossierState.AWAITING_JURY
    assert Notification.objects.filter(
        recipient__email="employeur@demo.ecertif.fr", link=f"/dossiers/{dossier.pk}/"
    ).exists()

    # The employer sees it « En attente de jury ».
    employer = browser.new_context(locale="fr-FR")
    employer_page = employer.new_page()
    log_in(employer_page, live_server, "employeur@demo.ecertif.fr", DEMO_PASSWORD)
    employer_page.goto(f"{live_server.url}/dossiers/{dossier.pk}/")
    expect(employer_page.locator("h1 .badge")).to_have_text("En attente de jury")
    employer.close()
