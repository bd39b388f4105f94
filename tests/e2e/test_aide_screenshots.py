"""The Aide's screenshots (issue #12), taken from the demo data: this test regenerates every
image of static/aide/ that the guides show, so they follow the pages as they change."""

from pathlib import Path

import pytest
from django.conf import settings

from aide.guides import GUIDES
from demo.demo import DEMO_PASSWORD
from dossiers.enums import DossierState
from dossiers.models import Dossier
from tests.e2e.test_login import log_in

pytestmark = pytest.mark.e2e

AIDE_STATIC = Path(settings.BASE_DIR) / "static" / "aide"
VIEWPORT = {"width": 1100, "height": 700}


def _targets():
    """Each screenshot key of aide/guides.py → the demo page it shows."""
    employer = "employeur@demo.ecertif.fr"
    mine = Dossier.objects.filter(establishment__memberships__user__email=employer)
    draft = mine.filter(state=DossierState.REGISTERING).first()
    evaluated = mine.filter(state=DossierState.AWAITING_JURY).first()
    assessed = Dossier.objects.filter(
        state=DossierState.AWAITING_ASSESSMENT, assessor__user__email="evaluateur@demo.ecertif.fr"
    )
    not_invited = assessed.filter(assessment__invitations__isnull=True).first()
    in_progress = assessed.filter(assessment__invitations__isnull=False).first()
    targets = {
        f"wizard:{step}": f"/dossiers/{draft.pk}/etape/{step}/"
        for step in [
            "certification",
            "dispositif",
            "candidat",
            "diplomes",
            "organisme",
            "evaluateur",
            "recapitulatif",
        ]
    }
    targets.update(
        {
            "jury:detail": f"/dossiers/{evaluated.pk}/",
            "jury:register": f"/jurys/dossiers/{evaluated.pk}/inscrire/",
            "assessment:invite": f"/evaluations/{not_invited.pk}/#invitation",
            "assessment:progress": f"/evaluations/{in_progress.pk}/#invitation",
            "assessment:results": f"/evaluations/{in_progress.pk}/#resultats",
            "assessment:observations": f"/evaluations/{in_progress.pk}/#observations",
            "assessment:close": f"/evaluations/{in_progress.pk}/#outil4",
        }
    )
    return targets


def test_aide_screenshots_regenerated_from_demo_data(browser, live_server, demo_data):
    AIDE_STATIC.mkdir(parents=True, exist_ok=True)
    targets = _targets()
    pages = {}
    written = []
    for guide in GUIDES:
        for index, step in enumerate(guide.steps, start=1):
            if step.shot is None:
                continue
            email, key = step.shot
            if email not in pages:
                context = browser.new_context(
                    locale="fr-FR", timezone_id="Europe/Paris", viewport=VIEWPORT
                )
                pages[email] = context.new_page()
                if email:
                    log_in(pages[email], live_server, email, DEMO_PASSWORD)
            page = pages[email]
            path, _, anchor = targets.get(key, key).partition("#")
            response = page.goto(live_server.url + path)
            assert response.status == 200, key
            if anchor:
                page.locator(f"#{anchor}").evaluate("section => section.scrollIntoView()")
            image = AIDE_STATIC / f"{guide.slug}-{index}.png"
            page.screenshot(path=image)
            written.append(image.name)
    for page in pages.values():
        page.context.close()

    expected = {
        f"{guide.slug}-{index}.png"
        for guide in GUIDES
        for index, step in enumerate(guide.steps, start=1)
        if step.shot
    }
    assert set(written) == expected
    # No stale image left from a step that no longer exists.
    assert {path.name for path in AIDE_STATIC.glob("*.png")} == expected
