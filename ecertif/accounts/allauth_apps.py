"""allauth's apps, named in French and told apart from ours in the admin (its catalogue calls the
MFA app « MFA » and the account app « Comptes », next to our « Comptes et établissements »)."""

from allauth.account.apps import AccountConfig
from allauth.mfa.apps import MFAConfig


class FrenchAccountConfig(AccountConfig):
    verbose_name = "Connexion"


class FrenchMFAConfig(MFAConfig):
    verbose_name = "Double authentification"
