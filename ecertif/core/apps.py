from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_groups(sender, **kwargs):
    from ecertif.accounts.groups import ensure_secretariat_group

    ensure_secretariat_group()


class CoreConfig(AppConfig):
    name = "ecertif.core"
    label = "core"
    verbose_name = "Socle"

    def ready(self):
        post_migrate.connect(_ensure_groups, sender=self, dispatch_uid="ecertif_groups")
        from django.contrib.auth.signals import user_logged_in

        from .sessions import stamp_login

        user_logged_in.connect(stamp_login, dispatch_uid="ecertif_session_clocks")
