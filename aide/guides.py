"""The illustrated guides of the Aide: one per video tutorial of the branch's user guide.

Each step's screenshot (static/aide/<guide>-<n>.png) is taken from the demo data by the browser
test tests/e2e/test_aide_screenshots.py, which regenerates them all: they never go stale.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Step:
    title: str
    text: str
    # (demo account or None, page to open: a path or a key the screenshot test resolves)
    shot: tuple[str | None, str] | None = None


@dataclass(frozen=True)
class Guide:
    slug: str
    title: str
    audience: str
    summary: str
    steps: list[Step] = field(default_factory=list)
    faq: list[tuple[str, str]] = field(default_factory=list)

    def image(self, index):
        return f"aide/{self.slug}-{index}.png"


EMPLOYER = "employeur@demo.ecertif.fr"
ASSESSOR = "evaluateur@demo.ecertif.fr"

GUIDES = [
    Guide(
        "se-connecter",
        "Comment se connecter ou faire une demande de création de compte ?",
        "Employeurs",
        "Demander l'ouverture du compte de l'établissement, puis se connecter.",
        steps=[
            Step(
                "Demander un compte pour l'établissement",
                "Sur la page de connexion, suivez « Demander un compte ». Indiquez le SIRET de "
                "l'établissement, sa raison sociale et la personne à contacter. Le Secrétariat des "
                "CQP vérifie la demande et vous envoie par courriel un lien pour choisir votre mot "
                "de passe.",
                (None, "/demande-de-compte/"),
            ),
            Step(
                "Se connecter",
                "Saisissez l'adresse électronique et le mot de passe du compte. Mot de passe "
                "oublié ? Le lien sous le formulaire vous en envoie un nouveau.",
                (None, "/comptes/login/"),
            ),
            Step(
                "Votre page d'accueil",
                "Elle liste ce qui vous attend : dossiers à compléter, dossiers évalués à "
                "inscrire à un jury, décisions rendues.",
                (EMPLOYER, "/"),
            ),
        ],
    ),
    Guide(
        "creer-une-candidature",
        "Comment créer une candidature ?",
        "Employeurs",
        "Les sept étapes du dossier candidat, de la certification à la soumission.",
        steps=[
            Step(
                "1. Certification",
                "Choisissez le CQP ou CQPI visé (et son option s'il en a). Le dossier reçoit son "
                "numéro ; vous pouvez l'interrompre à tout moment et le reprendre plus tard "
                "depuis la liste des dossiers.",
                (EMPLOYER, "wizard:certification"),
            ),
            Step(
                "2. Dispositif de formation",
                "Indiquez le dispositif qui finance le parcours du candidat.",
                (EMPLOYER, "wizard:dispositif"),
            ),
            Step(
                "3. Candidat",
                "L'état civil du candidat tel qu'il figurera sur le parchemin, son adresse, son "
                "poste et son plus haut diplôme. Né(e) à l'étranger : cochez la case et "
                "choisissez le pays dans la liste officielle.",
                (EMPLOYER, "wizard:candidat"),
            ),
            Step(
                "4. Diplômes",
                "Si le candidat a déclaré un diplôme, joignez-en la copie (PDF, JPEG ou PNG).",
                (EMPLOYER, "wizard:diplomes"),
            ),
            Step(
                "5. Organisme de formation",
                "Facultatif : l'organisme qui accompagne le candidat.",
                (EMPLOYER, "wizard:organisme"),
            ),
            Step(
                "6. Évaluateur habilité",
                "Choisissez l'évaluateur habilité CPNE pour cette certification — de préférence "
                "avant l'inscription, en consultant l'annuaire des évaluateurs habilités — puis "
                "confirmez votre choix.",
                (EMPLOYER, "wizard:evaluateur"),
            ),
            Step(
                "7. Récapitulatif et soumission",
                "Relisez le dossier. Ce qui manque est listé avec un lien vers l'étape à "
                "compléter ; une fois complet, « Soumettre le dossier à l'évaluateur » le lui "
                "transmet.",
                (EMPLOYER, "wizard:recapitulatif"),
            ),
        ],
    ),
    Guide(
        "inscrire-a-un-jury",
        "Comment inscrire une candidature à un jury ?",
        "Employeurs",
        "Choisir une session ouverte pour un dossier évalué, avant la date limite.",
        steps=[
            Step(
                "Le dossier évalué",
                "Quand l'évaluateur a clôturé l'évaluation, le dossier passe « En attente de "
                "jury » et affiche « À inscrire à un jury ».",
                (EMPLOYER, "jury:detail"),
            ),
            Step(
                "Choisir la session",
                "« Inscrire à un jury » propose les sessions ouvertes, avec leur date limite "
                "d'inscription. Vous pouvez retirer le dossier jusqu'à cette date.",
                (EMPLOYER, "jury:register"),
            ),
            Step(
                "Après la décision : envoyer son document au candidat",
                "Une fois le parchemin ou l'attestation délivré, « Envoyer au candidat » sur la "
                "page du dossier lui adresse par courriel, après confirmation, le document "
                "(PDF signé) et son lien de vérification. Il faut l'adresse électronique "
                "du candidat dans le dossier. L'envoi figure dans l'historique ; vous pouvez le "
                "renouveler.",
            ),
        ],
    ),
    Guide(
        "inviter-un-evaluateur-metier",
        "Comment inviter un évaluateur métier ?",
        "Évaluateurs habilités",
        "La première étape de l'évaluation, avant toute saisie de résultat.",
        steps=[
            Step(
                "Inviter d'abord",
                "Sur la page d'évaluation, la section 1 demande le nom, l'adresse électronique "
                "et la fonction de l'évaluateur métier. La saisie de vos résultats s'ouvre "
                "ensuite.",
                (ASSESSOR, "assessment:invite"),
            ),
            Step(
                "Suivre l'invitation",
                "L'évaluateur métier reçoit un lien personnel par courriel ; il enregistre un "
                "brouillon, puis clique sur « J'ai terminé » : vous êtes alors prévenu et ses "
                "observations s'affichent à côté de chaque compétence. Vous pouvez lui renvoyer "
                "un lien, révoquer l'invitation ou rouvrir ses observations.",
                (ASSESSOR, "assessment:progress"),
            ),
        ],
    ),
    Guide(
        "evaluer-une-candidature",
        "Comment évaluer une candidature ?",
        "Évaluateurs habilités",
        "Résultats par compétence, observations du candidat, outil n°4, clôture.",
        steps=[
            Step(
                "Résultats par compétence",
                "Pour chaque compétence : acquis ou non acquis, et votre commentaire, à côté de "
                "l'observation de l'évaluateur métier.",
                (ASSESSOR, "assessment:results"),
            ),
            Step(
                "Observations du candidat et outil n°4",
                "Saisissez les dates et les observations du candidat, puis déposez l'outil n°4 "
                "scanné. Chaque partie a son bouton « Enregistrer » : la page vous prévient si "
                "vous la quittez avec des modifications non enregistrées.",
                (ASSESSOR, "assessment:observations"),
            ),
            Step(
                "Clôturer l'évaluation",
                "Quand tout est saisi, « Clôturer l'évaluation » transmet le dossier à "
                "l'employeur pour l'inscription à un jury. La liste de ce qui manque s'affiche "
                "tant que ce n'est pas possible.",
                (ASSESSOR, "assessment:close"),
            ),
        ],
    ),
    Guide(
        "evaluateur-metier",
        "Évaluateur métier : questions fréquentes",
        "Évaluateurs métier",
        "Ce que l'on attend de vous, combien de temps le lien reste valable, à qui écrire.",
        faq=[
            (
                "Qu'attend-on de moi ?",
                "Vous côtoyez le candidat au travail : pour chaque compétence, décrivez ce que "
                "vous l'avez vu faire. Vos observations éclairent l'évaluateur habilité, qui "
                "décide du résultat.",
            ),
            (
                "Dois-je tout remplir en une fois ?",
                "Non. « Enregistrer le brouillon » garde votre saisie ; revenez avec le même lien "
                "pour la compléter. Les champs sont facultatifs.",
            ),
            (
                "Que se passe-t-il quand je clique sur « J'ai terminé » ?",
                "Vos observations sont transmises à l'évaluateur habilité, qui en est prévenu. "
                "Elles ne sont plus modifiables, sauf s'il les rouvre : vous recevez alors un "
                "courriel.",
            ),
            (
                "Combien de temps mon lien est-il valable ?",
                "Jusqu'à la date indiquée sur la page, et tant que l'évaluation n'est pas "
                "clôturée. Lien perdu ou expiré ? Demandez-en un nouveau à l'évaluateur "
                "habilité : son adresse figure sur la page.",
            ),
            (
                "Ai-je besoin d'un compte ?",
                "Non : le lien reçu par courriel suffit. Il est personnel, ne le transférez pas.",
            ),
        ],
    ),
]


def guide_by_slug(slug):
    return next((guide for guide in GUIDES if guide.slug == slug), None)
