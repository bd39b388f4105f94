import pgtrigger
from django.apps import AppConfig, apps
from django.contrib.auth.signals import user_logged_in
from simple_history.models import HistoricalChanges

from ecertif.sessions import stamp_login

from .triggers import append_only


def protect_field_history():
    """Every django-simple-history table refuses UPDATE and DELETE (see triggers.py)."""
    for model in apps.get_models():
        if issubclass(model, HistoricalChanges) and not model._meta.abstract:
            names = {t.name for t in getattr(model._meta, "triggers", [])}
            for trigger in append_only():
                if trigger.name not in names:
                    pgtrigger.register(trigger)(model)


class AuditConfig(AppConfig):
    name = "ecertif.audit"
    label = "audit"
    verbose_name = "Traçabilité"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        protect_field_history()
        user_logged_in.connect(stamp_login, dispatch_uid="ecertif_session_clocks")
