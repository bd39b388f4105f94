"""The wizard's seven steps on one line from 1 200 px, and inside the page: at 1 280 px the last
one ran 50 px past the card below it (issue #12, seen on screen)."""

import pytest

from demo.demo import DEMO_PASSWORD
from dossiers.enums import DossierState
from dossiers.models import Dossier
from tests.e2e.test_login import log_in

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("width", [1200, 1280, 1366])
def test_wizard_steps_one_line_within_the_card(browser, live_server, demo_data, width):
    draft = Dossier.objects.filter(
        state=DossierState.REGISTERING,
        establishment__memberships__user__email="employeur@demo.ecertif.fr",
    ).first()
    context = browser.new_context(
        locale="fr-FR", timezone_id="Europe/Paris", viewport={"width": width, "height": 800}
    )
    page = context.new_page()
    log_in(page, live_server, "employeur@demo.ecertif.fr", DEMO_PASSWORD)
    page.wait_for_url(live_server.url + "/")
    page.goto(f"{live_server.url}/dossiers/{draft.pk}/etape/certification/")

    steps = page.locator(".wizard-steps > li").evaluate_all(
        "items => items.map((item) => item.getBoundingClientRect().toJSON())"
    )
    card = page.locator(".wizard-steps + .card").bounding_box()
    assert len(steps) == 7
    assert len({round(step["top"]) for step in steps}) == 1
    assert steps[0]["left"] >= card["x"] - 1
    assert steps[-1]["right"] <= card["x"] + card["width"] + 1
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width
    context.close()
