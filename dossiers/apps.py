from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class DossiersConfig(AppConfig):
    name = "dossiers"
    verbose_name = "Dossiers"

    def ready(self):
        # Inside ready(): forms import models, which the app registry must have loaded first.
        from .forms import choices_changed

        # The list's filter selects: their cached choices follow these tables.
        for label in ("referentiel.Certification", "jurys.JurySession"):
            model = self.apps.get_model(label)
            post_save.connect(choices_changed, sender=model, dispatch_uid=f"choices-{label}")
            post_delete.connect(choices_changed, sender=model, dispatch_uid=f"choices-{label}-d")
