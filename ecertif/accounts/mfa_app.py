"""allauth's MFA app, named in French (« MFA » in the admin's breadcrumbs and permissions)."""

from allauth.mfa.apps import MFAConfig


class FrenchMFAConfig(MFAConfig):
    verbose_name = "Double authentification"
