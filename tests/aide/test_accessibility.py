"""The accessibility statement (RGAA format) and the admin's export page (French, no inline JS)."""

import pytest

from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def test_accessibility_statement_public_with_rgaa_sections(client):
    response = client.get("/accessibilite/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="h3">Déclaration d\'accessibilité</h1>' in html
    for section in [
        "État de conformité",
        "Résultats des tests",
        "Contenus non accessibles",
        "Établissement de cette déclaration",
        "Retour d'information et contact",
        "Voies de recours",
    ]:
        assert f">{section}</h2>" in html
    assert "Cette déclaration a été établie le 29/11/2026." in html
    assert "axe-core 4.14.1" in html


def test_footer_links_to_statement_and_help(client):
    html = client.get("/comptes/login/").content.decode()
    assert '<a href="/accessibilite/">Accessibilité : non conforme</a>' in html
    assert '<a href="/aide/">Aide</a>' in html


def test_admin_export_page_french_without_inline_handler(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.get("/admin/referentiel/certification/export/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<label class="required" for="select-all-toggle">Tout sélectionner</label>' in html
    assert "Select all" not in html
    assert "onchange=" not in html
    assert "/static/js/admin-import-export.js" in html
