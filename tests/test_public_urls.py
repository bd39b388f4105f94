"""Every URL answers 302-to-login when anonymous, except the public ones listed here."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

# Names of the views an anonymous person may reach (SPEC §10).
PUBLIC_URL_NAMES = {
    "account_login",
    "account_signup",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
    "account_request_login_code",
    "account_email_verification_sent",
    "account_confirm_email",
    "account_inactive",
    "account_logout",
    "accounts:request_create",
    "accounts:request_done",
    "workplace:enter",
    "workplace:page",
    "verify_document",
    "health",
}
SAMPLE_VALUES = {"int": "1", "slug": "exemple", "str": "exemple", "path": "exemple", "uuid": ""}


def _sample_path(prefix, pattern):
    route = str(pattern.pattern)
    if hasattr(pattern.pattern, "converters") and pattern.pattern.converters:
        route = re.sub(r"<(?:(\w+):)?(\w+)>", lambda m: SAMPLE_VALUES[m.group(1) or "str"], route)
    route = route.lstrip("^").rstrip("$").replace("\\Z", "")
    # Regex groups (allauth's keys): a harmless sample value.
    route = re.sub(r"\(\?P<\w+>[^)]*\)", "0-abc", route)
    return prefix + route


def _walk(resolver, prefix="/", namespace=None):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue  # the admin redirects to its login, itself sent to ours (tested below)
            ns = entry.namespace or namespace
            yield from _walk(entry, _sample_path(prefix, entry), ns)
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield name, _sample_path(prefix, entry)


ALL_URLS = sorted(set(_walk(get_resolver())))


def test_url_inventory_is_not_empty():
    names = {name for name, _ in ALL_URLS}
    assert {"home", "referentiel:index", "accounts:request_create"} <= names


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "path"), ALL_URLS, ids=[n for n, _ in ALL_URLS])
def test_url_anonymous_redirected_to_login_unless_public(client, name, path):
    response = client.get(path)
    if name in PUBLIC_URL_NAMES:
        assert not (
            response.status_code == 302 and response["Location"].startswith("/comptes/login/")
        ), f"{name} doit être public"
    else:
        assert response.status_code == 302, f"{name} ({path}) répond {response.status_code}"
        assert response["Location"].startswith("/comptes/login/"), response["Location"]


@pytest.mark.django_db
def test_admin_anonymous_goes_through_application_login(client):
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/comptes/login/")
    assert response.status_code == 200
