"""Constants and helpers shared by the tests of test_views.py."""

import html
import io
import os

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from dossiers.models import Dossier
from evaluations.models import Assessment, CompetenceResult, WorkplaceAssessorInvitation
from tests.evaluations.conftest import pdf_upload

RESULTS_LOCKED = (
    "La saisie des résultats s'ouvre une fois l'évaluateur métier invité (étape 1), pour que "
    "ses observations puissent figurer à côté des vôtres."
)


LINK_LABEL = "Lien personnel de l'évaluateur métier"


REQUIRED = "Ce champ est obligatoire."


FUTURE_DATE = "La date d'évaluation ne peut pas être dans le futur."


LAST_BEFORE_FIRST = "La date de fin doit suivre la date de début."


def _text(response):
    return html.unescape(response.content.decode())


def _messages(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def _stored_files():
    return [name for _root, _dirs, names in os.walk(settings.MEDIA_ROOT) for name in names]


def _png_named_pdf():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format="PNG")
    return SimpleUploadedFile("outil4.pdf", buffer.getvalue(), content_type="application/pdf")


def _page_url(dossier):
    return f"/evaluations/{dossier.pk}/"


def _rows(dossier):
    return list(
        CompetenceResult.objects.filter(assessment__dossier=dossier).order_by("competence__number")
    )


def _download(response):
    """The body of a file response, closing the file it streams."""
    try:
        return b"".join(response.streaming_content)
    finally:
        response.close()


def _urls(dossier, invitation):
    pk = dossier.pk
    return {
        "assessment": f"/evaluations/{pk}/",
        "invite": f"/evaluations/{pk}/inviter/",
        "invitation_resend": f"/evaluations/{pk}/invitations/{invitation.pk}/renvoyer/",
        "invitation_revoke": f"/evaluations/{pk}/invitations/{invitation.pk}/revoquer/",
        "results": f"/evaluations/{pk}/resultats/",
        "details": f"/evaluations/{pk}/observations/",
        "guide_upload": f"/evaluations/{pk}/outil-4/",
        "guide_download": f"/evaluations/{pk}/outil-4/telecharger/",
        "complete": f"/evaluations/{pk}/cloturer/",
    }


GET_URLS = ["assessment", "guide_download"]


POST_URLS = [
    "invite",
    "invitation_resend",
    "invitation_revoke",
    "results",
    "details",
    "guide_upload",
    "complete",
]


def _post_data(name, dossier):
    if name == "invite":
        return {"name": "Léa Autre", "email": "lea.autre@exemple.fr", "function": "Tutrice"}
    if name == "results":
        return {f"result_{row.pk}": "acquired" for row in _rows(dossier)}
    if name == "details":
        return {"candidate_observations": "Modifié."}
    if name == "guide_upload":
        return {"file": pdf_upload("autre.pdf")}
    return {}


def _snapshot(dossier):
    assessment = Assessment.objects.get(dossier=dossier)
    return (
        Dossier.objects.get(pk=dossier.pk).state,
        assessment.guide_scan.name,
        assessment.candidate_observations,
        list(WorkplaceAssessorInvitation.objects.order_by("pk").values()),
        list(CompetenceResult.objects.order_by("pk").values()),
    )
