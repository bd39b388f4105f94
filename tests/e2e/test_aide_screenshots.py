"""The Aide's screenshots (issue #12), taken from the demo data: this test regenerates every
image of static/aide/ that the guides show, so they follow the pages as they change.

The clock is frozen while the demo data is created and shown, and an image is written only when
its pixels changed: on a clean clone the suite leaves `git status` clean."""

import datetime
import io
import zoneinfo
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from PIL import Image

from aide.guides import GUIDES
from demo.demo import DEMO_PASSWORD
from dossiers.enums import DossierState
from dossiers.models import Dossier
from tests.e2e.test_login import log_in

pytestmark = pytest.mark.e2e

AIDE_STATIC = Path(settings.BASE_DIR) / "static" / "aide"
VIEWPORT = {"width": 1100, "height": 700}
# The demo's dates (sessions, deadlines, accreditations) follow « today »: always the same one.
# The clock ticks from there, so timeouts and sessions still work.
FROZEN_AT = datetime.datetime(2026, 3, 16, 10, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Paris"))


@pytest.fixture
def frozen_clock():
    with time_machine.travel(FROZEN_AT, tick=True) as traveller:
        yield traveller


def same_pixels(png, path):
    """Whether the PNG bytes show exactly the image already at `path`."""
    if not path.exists():
        return False
    with Image.open(io.BytesIO(png)) as new, Image.open(path) as old:
        if new.size != old.size:
            return False
        return new.convert("RGBA").tobytes() == old.convert("RGBA").tobytes()


def save_if_changed(png, path):
    """Write the screenshot only when it differs: True when the file was (re)written."""
    if same_pixels(png, path):
        return False
    path.write_bytes(png)
    return True


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


# The demo spreads each dossier's history by its primary key: the keys must start from 1 whatever
# ran before in the database (PostgreSQL keeps its sequences between tests otherwise).
@pytest.mark.django_db(transaction=True, reset_sequences=True)
def test_aide_screenshots_regenerated_from_demo_data(frozen_clock, browser, live_server, demo_data):
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
                # Reduced motion: no smooth scrolling caught halfway by the screenshot.
                context = browser.new_context(
                    locale="fr-FR",
                    timezone_id="Europe/Paris",
                    viewport=VIEWPORT,
                    reduced_motion="reduce",
                )
                pages[email] = context.new_page()
                if email:
                    log_in(pages[email], live_server, email, DEMO_PASSWORD)
            page = pages[email]
            path, _, anchor = targets.get(key, key).partition("#")
            response = page.goto(live_server.url + path)
            assert response.status == 200, key
            if anchor:
                page.locator(f"#{anchor}").evaluate(
                    "section => section.scrollIntoView({behavior: 'instant', block: 'start'})"
                )
            page.evaluate("document.fonts.ready")
            # Two frames: the layout after the scroll is painted.
            page.evaluate(
                "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
            )
            image = AIDE_STATIC / f"{guide.slug}-{index}.png"
            png = page.screenshot(animations="disabled", caret="hide")
            save_if_changed(png, image)
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


def test_screenshot_written_only_when_pixels_differ(tmp_path):
    def png(colour):
        buffer = io.BytesIO()
        Image.new("RGB", (4, 3), colour).save(buffer, format="PNG")
        return buffer.getvalue()

    image = tmp_path / "guide-1.png"
    assert save_if_changed(png("white"), image)
    written = image.stat().st_mtime_ns
    # Same pixels, other bytes (a PNG re-encoded with other options): left alone.
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), "white").save(buffer, format="PNG", compress_level=0)
    assert buffer.getvalue() != png("white")
    assert not save_if_changed(buffer.getvalue(), image)
    assert image.stat().st_mtime_ns == written
    assert save_if_changed(png("black"), image)
    with Image.open(image) as saved:
        assert saved.getpixel((0, 0)) == (0, 0, 0)
