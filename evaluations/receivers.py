from .services import assessment_open


def open_assessment_on_submit(sender, dossier, **kwargs):
    assessment_open(dossier=dossier)
