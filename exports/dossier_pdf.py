"""« Exporter PDF »: the whole dossier on paper (identity, setup, files, history, assessment,
decision). A pure function, model in and bytes out, like the jury's documents."""

from dossiers.models import Dossier
from ecertif.files.pdf import render_pdf


def dossier_summary(dossier_id):
    dossier = (
        Dossier.objects.select_related(
            "candidate",
            "certification",
            "option",
            "establishment",
            "training_scheme",
            "provider",
            "assessor__user",
        )
        .prefetch_related(
            "attachments",
            "transitions__actor",
            "transitions__reason_row",
            "carried_competences__competence",
        )
        .get(pk=dossier_id)
    )
    assessment = getattr(dossier, "assessment", None) if hasattr(dossier, "assessment") else None
    results = list(assessment.results.select_related("competence")) if assessment else []
    invitations = list(assessment.invitations.all()) if assessment else []
    decisions = list(
        dossier.decisions.select_related("session", "document")
        .prefetch_related("competences__competence")
        .order_by("-recorded_at")
    )
    return render_pdf(
        "documents/dossier_summary.html",
        {
            "dossier": dossier,
            "candidate": dossier.candidate,
            "assessment": assessment,
            "results": results,
            "invitations": invitations,
            "decisions": decisions,
        },
    )
