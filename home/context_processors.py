import functools

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse


def role(request):
    roles = getattr(request, "roles", [])
    return {"role": getattr(request, "role", ""), "roles": roles}


# The links of the navigation bar and the footer, on every page.
NAV_URLS = (
    "home",
    "dossiers:list",
    "jurys:sessions",
    "stats:dashboard",
    "referentiel:index",
    "certificates:register",
    "admin:index",
    "aide:index",
    "aide:accessibility",
    "notifications:list",
    "exports:list",
    "account_change_password",
    "mfa_index",
    "account_logout",
    "account_login",
)


@functools.lru_cache(maxsize=8)
def _navigation_urls(prefix, urlconf):
    return {name.replace(":", "_"): reverse(name, urlconf=urlconf) for name in NAV_URLS}


def navigation(request):
    """`nav.<name>` (« : » written « _ »): the navigation's URLs, reversed once per process
    (fifteen `{% url %}` on every page cost as much as a query)."""
    return {"nav": _navigation_urls(get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)}
