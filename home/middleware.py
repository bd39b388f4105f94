from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from ecertif.accounts.enums import MFA_REQUIRED_ROLES

from .roles import primary_role, roles_for


class RoleMiddleware:
    """`request.roles` and `request.role`, computed once per request and only when asked."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        roles = SimpleLazyObject(lambda: roles_for(request.user))
        request.roles = roles
        request.role = SimpleLazyObject(lambda: primary_role(list(roles)) or "")
        return self.get_response(request)


class RequireMFAMiddleware:
    """Secretariat and jury members must activate TOTP when settings.ECERTIF_MFA_REQUIRED is on."""

    allowed_prefixes = ("/comptes/", "/static/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.ECERTIF_MFA_REQUIRED
            and request.user.is_authenticated
            and not request.path.startswith(self.allowed_prefixes)
            and MFA_REQUIRED_ROLES.intersection(request.roles)
            and not Authenticator.objects.filter(
                user=request.user, type=Authenticator.Type.TOTP
            ).exists()
        ):
            messages.warning(
                request,
                "Votre rôle exige une double authentification : activez une application "
                "d'authentification (TOTP) pour continuer.",
            )
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
