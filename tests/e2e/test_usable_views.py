"""What a user stumbled on when the pages were looked at (issue #12): buttons whose text spilled
out at 360 px, six filters before the first dossier on a phone, dossier numbers and actions
split over two lines at 1280 px, the admin import's format to pick by hand."""

import pytest
from playwright.sync_api import expect

from demo.demo import DEMO_PASSWORD
from tests.e2e.test_login import log_in

pytestmark = pytest.mark.e2e

EMPLOYER = "employeur@demo.ecertif.fr"
SECRETARIAT = "secretariat@demo.ecertif.fr"
# Every button whose text is wider than its box, on the current page.
SPILLING_BUTTONS = """() => Array.from(document.querySelectorAll("main .btn"))
  .filter((button) => button.offsetParent && button.scrollWidth > button.clientWidth + 1)
  .map((button) => button.innerText.trim())"""


def _page(browser, live_server, email, width):
    context = browser.new_context(
        locale="fr-FR", timezone_id="Europe/Paris", viewport={"width": width, "height": 800}
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    log_in(page, live_server, email, DEMO_PASSWORD)
    page.wait_for_url(live_server.url + "/")
    return page


def test_phone_buttons_keep_their_text_inside(browser, live_server, demo_data):
    page = _page(browser, live_server, EMPLOYER, 360)
    assert page.evaluate(SPILLING_BUTTONS) == []
    complete = page.get_by_role("link", name="Compléter").first
    assert complete.bounding_box()["width"] >= 44
    page.goto(live_server.url + "/dossiers/")
    assert page.evaluate(SPILLING_BUTTONS) == []
    page.context.close()


def test_phone_dossier_list_search_first_other_filters_on_demand(browser, live_server, demo_data):
    page = _page(browser, live_server, EMPLOYER, 360)
    page.goto(live_server.url + "/dossiers/")
    status = page.get_by_label("Statut")
    toggle = page.get_by_role("button", name="Plus de filtres et tri")
    expect(page.get_by_label("Rechercher")).to_be_visible()
    expect(status).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")

    toggle.click()
    expect(status).to_be_visible()
    expect(page.get_by_label("Trier par")).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")

    # A list filtered by status shows its filters open.
    status.select_option(label="En cours d'inscription")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_label("Statut")).to_be_visible()
    page.context.close()


def test_laptop_dossier_list_numbers_and_actions_on_one_line(browser, live_server, demo_data):
    page = _page(browser, live_server, EMPLOYER, 1280)
    page.goto(live_server.url + "/dossiers/")
    expect(page.get_by_role("button", name="Plus de filtres et tri")).to_be_hidden()
    expect(page.get_by_label("Statut")).to_be_visible()
    rows = page.evaluate(
        """() => Array.from(document.querySelectorAll("tbody tr")).map((row) => {
          const number = row.querySelector("td a");
          const buttons = Array.from(row.querySelectorAll(".row-actions .btn"));
          const tops = new Set(buttons.map((b) => Math.round(b.getBoundingClientRect().top)));
          return {number: number.innerText, numberLines: number.getClientRects().length,
                  actionRows: tops.size};
        })"""
    )
    assert len(rows) == 6
    assert [row for row in rows if row["numberLines"] != 1 or row["actionRows"] != 1] == []
    page.context.close()


def test_admin_import_format_follows_the_file_name(browser, live_server, demo_data, tmp_path):
    page = _page(browser, live_server, SECRETARIAT, 1280)
    page.goto(live_server.url + "/admin/referentiel/competence/import/")
    breadcrumbs = page.get_by_role("navigation", name="Fil d'Ariane")
    expect(breadcrumbs.get_by_role("listitem")).to_have_text(
        ["Accueil", "Référentiel", "Compétences", "Importer"]
    )
    upload = tmp_path / "competences.csv"
    upload.write_text("Certification,Numéro,Intitulé\n", encoding="utf-8")
    page.get_by_label("Fichier à importer").set_input_files(upload)
    expect(page.get_by_label("Format")).to_have_value(
        page.get_by_label("Format").locator("option", has_text="csv").get_attribute("value")
    )
    page.context.close()
