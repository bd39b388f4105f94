from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_groups(sender, **kwargs):
    # Imported here: models are not ready when apps.py is imported.
    from .groups import ensure_secretariat_group

    ensure_secretariat_group()


class AccountsConfig(AppConfig):
    name = "ecertif.accounts"
    label = "accounts"
    verbose_name = "Comptes et établissements"

    def ready(self):
        post_migrate.connect(_ensure_groups, sender=self, dispatch_uid="ecertif_groups")
        # Imported here: models are not ready when apps.py is imported.
        from ecertif.mail.signals import email_given_up

        from .receivers import alert_secretariat

        email_given_up.connect(alert_secretariat, dispatch_uid="ecertif_alert_secretariat")
