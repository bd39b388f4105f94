"""Each demo account logs in through the form and lands on its role's home page."""

import pytest
from playwright.sync_api import expect

from demo.demo import DEMO_PASSWORD

pytestmark = pytest.mark.e2e

LOGIN_PATH = "/comptes/login/"
# (email, first name, home page subtitle)
ACCOUNTS = [
    ("secretariat@demo.ecertif.fr", "Sophie", "Secrétariat des CQP"),
    ("employeur@demo.ecertif.fr", "Émilie", "Espace employeur"),
    ("employeur2@demo.ecertif.fr", "Karim", "Espace employeur"),
    ("evaluateur@demo.ecertif.fr", "Jean", "Espace évaluateur habilité CPNE"),
    ("evaluateur2@demo.ecertif.fr", "Claire", "Espace évaluateur habilité CPNE"),
    ("jury@demo.ecertif.fr", "Bernard", "Espace membre du jury paritaire national"),
    ("jury2@demo.ecertif.fr", "Nadia", "Espace membre du jury paritaire national"),
]


def log_in(page, live_server, email, password):
    page.goto(live_server.url + LOGIN_PATH)
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.get_by_role("button", name="Se connecter").click()


def csp_violations(messages):
    return [text for text in messages if "Content Security Policy" in text]


@pytest.mark.parametrize(
    ("email", "first_name", "subtitle"),
    ACCOUNTS,
    ids=[email.split("@")[0] for email, _, _ in ACCOUNTS],
)
def test_login_demo_account_lands_on_role_home(
    page, live_server, demo_data, screenshots_dir, email, first_name, subtitle
):
    log_in(page, live_server, email, DEMO_PASSWORD)

    expect(page).to_have_url(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Bonjour {first_name}")
    expect(page.locator("h1 + p")).to_have_text(subtitle)
    page.screenshot(path=screenshots_dir / f"home-{email.split('@')[0]}.png", full_page=True)


def test_login_wrong_password_shows_error_and_stays(page, live_server, demo_data):
    log_in(page, live_server, "employeur@demo.ecertif.fr", "pas-le-bon-mot-de-passe")

    expect(page.get_by_text("L’adresse e-mail ou le mot de passe sont incorrects.")).to_be_visible()
    expect(page).to_have_url(live_server.url + LOGIN_PATH)
    expect(page.get_by_role("heading", level=1)).to_have_text("Connexion à e-Certif")


def test_login_and_home_pages_have_no_csp_violation(page, console_messages, live_server, demo_data):
    page.goto(live_server.url + LOGIN_PATH)
    page.wait_for_load_state("networkidle")
    assert csp_violations(console_messages) == []

    log_in(page, live_server, "secretariat@demo.ecertif.fr", DEMO_PASSWORD)
    expect(page).to_have_url(live_server.url + "/")
    page.wait_for_load_state("networkidle")
    assert csp_violations(console_messages) == []
