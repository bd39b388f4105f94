"""Conditions of « Clôturer l'évaluation », as the French list of what is missing.

Reads the dossier's assessment through its reverse accessor: no import of the dossiers app.
"""


def _numbers(results):
    return ", ".join(f"C{r.competence.number}" for r in results)


def complete_missing(dossier):
    assessment = getattr(dossier, "assessment", None)
    if assessment is None:
        return ["L'évaluation de ce dossier n'est pas ouverte."]
    missing = []
    invitations = [i for i in assessment.invitations.all() if i.revoked_at is None]
    if not invitations:
        missing.append("Invitez d'abord l'évaluateur métier.")
    elif not any(i.observations_submitted_at for i in invitations) and not (
        assessment.workplace_missing_reason.strip()
    ):
        missing.append(
            "Les observations de l'évaluateur métier ne sont pas arrivées : attendez-les, "
            "ou indiquez pourquoi elles manquent."
        )
    results = list(assessment.results.select_related("competence"))
    without_result = [r for r in results if not r.result]
    without_comment = [r for r in results if not r.comment.strip()]
    if without_result:
        missing.append(
            f"Saisissez le résultat (acquis / non acquis) des compétences : "
            f"{_numbers(without_result)}."
        )
    if without_comment:
        missing.append(f"Saisissez le commentaire des compétences : {_numbers(without_comment)}.")
    if not assessment.candidate_observations.strip():
        missing.append("Saisissez les observations du candidat.")
    if not assessment.guide_scan:
        missing.append("Joignez l'outil n°4 scanné (guide d'évaluation des compétences).")
    return missing
