"""The illustrated guides of the Aide: one per video tutorial of the branch's user guide."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Guide:
    slug: str
    title: str
    audience: str
    summary: str


GUIDES = [
    Guide(
        "se-connecter",
        "Comment se connecter ou faire une demande de création de compte ?",
        "Employeurs",
        "Demander l'ouverture du compte de l'établissement, puis se connecter.",
    ),
    Guide(
        "creer-une-candidature",
        "Comment créer une candidature ?",
        "Employeurs",
        "Les sept étapes du dossier candidat, de la certification à la soumission.",
    ),
    Guide(
        "inscrire-a-un-jury",
        "Comment inscrire une candidature à un jury ?",
        "Employeurs",
        "Choisir une session ouverte pour un dossier évalué, avant la date limite.",
    ),
    Guide(
        "inviter-un-evaluateur-metier",
        "Comment inviter un évaluateur métier ?",
        "Évaluateurs habilités",
        "La première étape de l'évaluation, avant toute saisie de résultat.",
    ),
    Guide(
        "evaluer-une-candidature",
        "Comment évaluer une candidature ?",
        "Évaluateurs habilités",
        "Résultats par compétence, observations du candidat, outil n°4, clôture.",
    ),
    Guide(
        "evaluateur-metier",
        "Évaluateur métier : questions fréquentes",
        "Évaluateurs métier",
        "Ce que l'on attend de vous, combien de temps le lien reste valable, à qui écrire.",
    ),
]


def guide_by_slug(slug):
    return next((guide for guide in GUIDES if guide.slug == slug), None)
