"""Constants and helpers shared by the tests of test_views.py."""

import html
import re

from django.contrib.messages import get_messages

from dossiers.enums import DossierState
from tests.factories.accounts import MembershipFactory, UserFactory

LIST_URL = "/dossiers/"


EMPTY_EMPLOYER = (
    "Aucun dossier pour l'instant. Créez le premier dossier candidat de votre établissement."
)


EMPTY_FILTERED = "Aucun dossier ne correspond à ces critères."


EMPTY_OTHERS = "Aucun dossier à afficher."


RETURN_DONE = "Dossier renvoyé à l'employeur pour complément."


REASON_REQUIRED = "Indiquez le motif du renvoi : l'employeur le recevra."


def _text(response):
    """The page as a person reads it: entities decoded (« l'instant », not « l&#x27;instant »)."""
    return html.unescape(response.content.decode())


def _messages(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def _numbers(response):
    return [dossier.number for dossier in response.context["page_obj"].object_list]


def _employer_of(establishment):
    user = UserFactory()
    MembershipFactory(user=user, establishment=establishment)
    return user


ROW_STATES = [
    DossierState.REGISTERING,
    DossierState.AWAITING_ASSESSMENT,
    DossierState.VALIDATED,
]


def _row_actions(response):
    """{dossier number: [visible labels of its action buttons]}."""
    content = response.content.decode()
    rows = re.findall(
        r'aria-label="Actions sur le dossier ([^"]+)">(.*?)</div>', content, flags=re.S
    )
    return {
        number: re.findall(r'<span class="visually-hidden">([^<]+)</span>', block)
        for number, block in rows
    }


DECIDED = {
    DossierState.VALIDATED,
    DossierState.PARTIALLY_VALIDATED,
    DossierState.NOT_VALIDATED,
}


SHEET = "Exporter la feuille de décision du jury"


def _tail(state):
    """The icons every reader gets after the role's own: PDF, then the sheet once decided."""
    return ["Exporter PDF", "Exporter Excel", *([SHEET] if state in DECIDED else [])]
