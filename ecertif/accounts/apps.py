from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ecertif.accounts"
    label = "accounts"
    verbose_name = "Comptes et établissements"
