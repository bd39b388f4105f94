"""Authentication backends that load, with the user of a session, what every page asks next:
the role flags (home/roles.py) and the bell's unread count — one query instead of three.

The user row is the one Django's `ModelBackend.get_user` would load (`raw()` builds the
model), refused the same way when the account cannot authenticate (inactive)."""

from allauth.account import auth_backends as allauth_backends
from django.contrib.auth import backends

from .roles import user_with_roles


class UserWithRolesMixin:
    def get_user(self, user_id):
        user = user_with_roles(user_id)
        if user is None:
            return None
        return user if self.user_can_authenticate(user) else None


class ModelBackend(UserWithRolesMixin, backends.ModelBackend):
    """Django's backend (password login by email), loading the roles with the user."""


class AuthenticationBackend(UserWithRolesMixin, allauth_backends.AuthenticationBackend):
    """allauth's backend (login form, rate limits), loading the roles with the user."""
