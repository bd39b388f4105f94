"""The main menu on one line at laptop widths (issue #12: « Tableau de bord » wrapped at 1280 px
for the secretariat), for every role: every item at the same height, no label on two lines."""

import pytest
from playwright.sync_api import expect

from demo.demo import DEMO_PASSWORD
from tests.e2e.test_login import log_in

pytestmark = pytest.mark.e2e

# Each role's longest menu: the secretariat has the most items.
ROLES = [
    "secretariat@demo.ecertif.fr",
    "employeur@demo.ecertif.fr",
    "evaluateur@demo.ecertif.fr",
    "jury@demo.ecertif.fr",
]
MEASURE = """() => Array.from(document.querySelectorAll("#nav-main .nav-link")).map((link) => {
  const box = link.getBoundingClientRect();
  const style = getComputedStyle(link);
  const content = box.height - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
  const lineHeight = parseFloat(style.lineHeight);
  const lines = content / lineHeight;
  return {text: link.innerText.trim(), top: box.top, bottom: box.bottom, lines};
})"""


@pytest.mark.parametrize("width", [1280, 1366])
def test_navbar_on_one_line_for_every_role(browser, live_server, demo_data, width):
    for email in ROLES:
        context = browser.new_context(
            locale="fr-FR", timezone_id="Europe/Paris", viewport={"width": width, "height": 800}
        )
        page = context.new_page()
        log_in(page, live_server, email, DEMO_PASSWORD)
        page.wait_for_url(live_server.url + "/")
        links = page.evaluate(MEASURE)
        assert len(links) >= 5, (email, links)
        centres = [(link["top"] + link["bottom"]) / 2 for link in links]
        # One row: every item centred on the same line, within a pixel or two.
        assert max(centres) - min(centres) <= 2, (email, width, links)
        wrapped = [link["text"] for link in links if link["lines"] > 1.5]
        assert wrapped == [], (email, width)
        # Not pushed under one another either: the bar keeps its one-line height.
        assert page.locator("nav.navbar").bounding_box()["height"] < 70, (email, width)
        context.close()


def test_phone_menu_names_the_bell(browser, live_server, demo_data):
    context = browser.new_context(
        locale="fr-FR", timezone_id="Europe/Paris", viewport={"width": 360, "height": 800}
    )
    page = context.new_page()
    log_in(page, live_server, "secretariat@demo.ecertif.fr", DEMO_PASSWORD)
    page.wait_for_url(live_server.url + "/")
    page.get_by_role("button", name="Afficher le menu").click()
    menu = page.locator("#nav-main")
    expect(menu.get_by_text("Notifications", exact=True)).to_be_visible()
    expect(menu.get_by_role("link", name="Aide")).to_be_visible()
    expect(menu.get_by_text("Sophie Martin")).to_be_visible()
    context.close()

    context = browser.new_context(
        locale="fr-FR", timezone_id="Europe/Paris", viewport={"width": 1280, "height": 800}
    )
    page = context.new_page()
    log_in(page, live_server, "secretariat@demo.ecertif.fr", DEMO_PASSWORD)
    page.wait_for_url(live_server.url + "/")
    # On one line the bell is an icon: its name is still read out.
    bell = page.get_by_role("link", name="Notifications")
    expect(bell).to_be_visible()
    label = page.locator("#nav-main").get_by_text("Notifications", exact=True)
    assert label.bounding_box()["width"] <= 1  # visually hidden, as Bootstrap's class does
    context.close()
