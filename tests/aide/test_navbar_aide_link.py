"""« Aide » in the main menu, for everyone: on the login page too, where the guide « Comment se
connecter ou faire une demande de création de compte ? » is most needed."""

import re

import pytest

pytestmark = pytest.mark.django_db


def _menu(html):
    return re.search(r'<nav class="navbar.*?</nav>', html, re.S).group()


def test_login_page_menu_links_to_the_aide(client):
    menu = _menu(client.get("/comptes/login/").content.decode())
    assert 'href="/aide/"' in menu
    assert "Se connecter" in menu


def test_logged_in_menu_links_to_the_aide(client, employer):
    client.force_login(employer)
    menu = _menu(client.get("/").content.decode())
    assert re.search(r'<a class="nav-link" href="/aide/">.*?Aide</a>', menu, re.S)
