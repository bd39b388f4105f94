from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = "Évaluations"

    def ready(self):
        # Imported once the app registry is ready: the receivers use the models.
        from dossiers.signals import dossier_submitted

        from .receivers import open_assessment_on_submit

        dossier_submitted.connect(open_assessment_on_submit, dispatch_uid="open_assessment")
