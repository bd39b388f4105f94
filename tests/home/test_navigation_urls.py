"""The navigation's links (`nav`, home.context_processors.navigation): reversed once per
process and per script prefix, the same as `{% url %}` would write them."""

import pytest
from django.test import RequestFactory
from django.urls import get_script_prefix, reverse, set_script_prefix

from home.context_processors import NAV_URLS, navigation
from tests.factories.accounts import StaffFactory


def test_navigation_urls_are_the_reversed_names():
    nav = navigation(RequestFactory().get("/"))["nav"]
    assert nav == {name.replace(":", "_"): reverse(name) for name in NAV_URLS}
    assert nav["dossiers_list"] == "/dossiers/"
    assert nav["account_logout"] == reverse("account_logout")


def test_navigation_urls_follow_the_script_prefix():
    previous = get_script_prefix()
    set_script_prefix("/ecertif/")
    try:
        nav = navigation(RequestFactory().get("/"))["nav"]
    finally:
        set_script_prefix(previous)
    assert nav["home"] == "/ecertif/"
    assert nav["dossiers_list"] == "/ecertif/dossiers/"
    assert navigation(RequestFactory().get("/"))["nav"]["dossiers_list"] == "/dossiers/"


@pytest.mark.django_db
def test_navbar_links_on_a_page(client):
    client.force_login(StaffFactory())
    html = client.get("/dossiers/").content.decode()
    for name in ["dossiers:list", "jurys:sessions", "stats:dashboard", "admin:index"]:
        assert f'href="{reverse(name)}"' in html
    assert f'<form method="post" action="{reverse("account_logout")}">' in html
