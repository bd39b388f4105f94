"""Conditions of the transitions, as lists of what is missing, in French."""

from django.utils import timezone

from .enums import AttachmentKind

CANDIDATE_REQUIRED = {
    "civility": "civilité",
    "birth_name": "nom de naissance",
    "first_names": "prénoms",
    "birth_date": "date de naissance",
    "birth_place": "commune de naissance",
    "birth_place_code": "code de la commune de naissance",
    "address": "adresse",
    "postcode": "code postal",
    "city": "commune",
    "highest_diploma_level": "niveau de diplôme",
    "position_held": "poste occupé",
}


def _is_accredited(dossier, day):
    """The chosen assessor holds an accreditation for the certification valid on `day`."""
    day = day or timezone.localdate()
    return dossier.assessor.accreditations.filter(
        certifications=dossier.certification_id, valid_from__lte=day, valid_until__gte=day
    ).exists()


def submit_missing(dossier, *, day=None):
    """Everything that prevents the employer from submitting, in the order of the steps."""
    missing = []
    certification = dossier.certification
    if not certification.active:
        missing.append("Cette certification n'est plus proposée : choisissez-en une autre.")
    if certification.has_options and dossier.option_id is None:
        missing.append("Choisissez l'option de la certification.")
    if dossier.training_scheme_id is None:
        missing.append("Choisissez le dispositif de formation.")
    candidate = dossier.candidate
    if candidate is None:
        missing.append("Renseignez l'état civil du candidat.")
    else:
        absent = [
            label for field, label in CANDIDATE_REQUIRED.items() if not getattr(candidate, field)
        ]
        if absent:
            missing.append(f"Complétez l'état civil du candidat : {', '.join(absent)}.")
    if dossier.establishment_id is None:
        missing.append("Identifiez l'établissement.")
    if (
        candidate is not None
        and candidate.declares_diploma
        and not any(a.kind == AttachmentKind.DIPLOMA for a in dossier.attachments.all())
    ):
        missing.append("Joignez la copie du diplôme du candidat.")
    if dossier.assessor_id is None:
        missing.append("Choisissez l'évaluateur habilité CPNE.")
    else:
        if not _is_accredited(dossier, day):
            missing.append(
                "L'évaluateur choisi n'a pas d'habilitation valide aujourd'hui pour cette "
                "certification : choisissez-en un autre."
            )
        if dossier.assessor_confirmed_at is None:
            missing.append("Confirmez le choix de l'évaluateur habilité CPNE.")
    return missing


def return_missing(dossier):
    # Competence results arrive with the assessment (#4); until one exists, returning is allowed.
    assessment = getattr(dossier, "assessment", None)
    if assessment is not None and assessment.has_results():
        return ["Des résultats ont déjà été saisis : le dossier ne peut plus être renvoyé."]
    return []
