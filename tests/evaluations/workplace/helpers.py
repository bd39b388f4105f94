"""Constants and helpers shared by the tests of test_workplace.py."""

import html

from dossiers.services import dossier_submit
from evaluations.models import CompetenceResult
from evaluations.services import invitation_create
from tests.factories.accounts import MembershipFactory, UserFactory
from tests.factories.dossiers import DossierFactory
from tests.test_public_urls import ALL_URLS

PAGE_URL = "/evaluation-metier/"


SAVED = (
    "Vos observations sont enregistrées. Vous pouvez revenir les compléter jusqu'à la "
    "clôture de l'évaluation."
)


UNKNOWN_TITLE = "Ce lien d'invitation est inconnu"


CLOSED_TEXT = (
    "L'évaluation est close : vos observations ne peuvent plus être modifiées. "
    "Merci de votre participation."
)


def submitted_dossier(**kwargs):
    dossier = DossierFactory(**kwargs)
    employer = MembershipFactory(user=UserFactory(), establishment=dossier.establishment).user
    dossier_submit(dossier=dossier, by=employer)
    dossier.refresh_from_db()
    return dossier


def invite(dossier):
    return invitation_create(
        assessment=dossier.assessment,
        by=dossier.assessor.user,
        name="Paul Tuteur",
        email="Paul.Tuteur@exemple.fr",
        function="Chef d'équipe de fabrication",
    )


def text(response):
    return html.unescape(response.content.decode())


def enter_url(token):
    return f"/evaluation-metier/{token}/"


def results_of(dossier):
    return list(
        CompetenceResult.objects.filter(assessment__dossier=dossier).order_by("competence__number")
    )


def post_data(dossier, texts, general="Candidate autonome et rigoureuse."):
    data = {
        f"observation_{result.pk}": text
        for result, text in zip(results_of(dossier), texts, strict=True)
    }
    data["general_observation"] = general
    return data


WORKPLACE_URLS = [(name, path) for name, path in ALL_URLS if not name.startswith("workplace:")]
