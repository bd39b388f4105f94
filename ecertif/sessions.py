"""Session lifetime and caching of authenticated pages.

- Idle timeout: SESSION_IDLE_TIMEOUT seconds without a request (shorter for the secretariat,
  SESSION_IDLE_TIMEOUT_SECRETARIAT), then the next request starts from the login page.
- Absolute timeout: SESSION_ABSOLUTE_TIMEOUT seconds after login, whatever the activity.
- Every page served to a logged-in user carries `Cache-Control: no-store`: personal data never
  stays in a shared or back-button cache.
"""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control

# The role slug (ecertif.accounts.enums.Role.SECRETARIAT) set by home's RoleMiddleware.
SECRETARIAT = "secretariat"
STARTED_KEY = "ecertif_auth_started"
SEEN_KEY = "ecertif_last_seen"
# Last activity is rewritten at most this often: not one session write per request.
SEEN_PRECISION = 60


def stamp_login(sender, request, user, **kwargs):
    """`user_logged_in` receiver: the clocks start at login (no extra write on the next page)."""
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[STARTED_KEY] = now
        request.session[SEEN_KEY] = now


def _idle_limit(request, idle):
    if idle <= min(settings.SESSION_IDLE_TIMEOUT, settings.SESSION_IDLE_TIMEOUT_SECRETARIAT):
        return idle  # within both limits: no need to know the role (no query)
    if SECRETARIAT in getattr(request, "roles", ()):
        return settings.SESSION_IDLE_TIMEOUT_SECRETARIAT
    return settings.SESSION_IDLE_TIMEOUT


class SessionTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            session = request.session
            started = session.setdefault(STARTED_KEY, now)
            seen = session.get(SEEN_KEY, now)
            if now - started > settings.SESSION_ABSOLUTE_TIMEOUT:
                return self._expire(request, "Votre session a dépassé sa durée maximale")
            if now - seen > _idle_limit(request, now - seen):
                return self._expire(
                    request, "Votre session a expiré après une période d'inactivité"
                )
            if now - seen >= SEEN_PRECISION or SEEN_KEY not in session:
                session[SEEN_KEY] = now
        response = self.get_response(request)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response

    def _expire(self, request, reason):
        path = request.get_full_path()
        logout(request)
        messages.info(request, f"{reason} : reconnectez-vous pour continuer.")
        response = redirect(f"{reverse('account_login')}?{urlencode({'next': path})}")
        patch_cache_control(response, no_store=True, private=True)
        return response
