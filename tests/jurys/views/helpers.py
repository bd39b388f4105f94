"""Constants and helpers shared by the tests of test_views.py."""

from django.contrib.messages import get_messages

from tests.factories.dossiers import DossierFactory
from tests.factories.jurys import SessionRegistrationFactory

INSCRIBE_BADGE = '<span class="badge text-bg-warning">À inscrire à un jury</span>'


def _messages(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def fmt(day):
    return f"{day:%d/%m/%Y}"


def _registered_dossiers(session, establishment, certification, count):
    dossiers = []
    for _ in range(count):
        dossier = DossierFactory(
            awaiting_jury=True, establishment=establishment, certification=certification
        )
        SessionRegistrationFactory(session=session, dossier=dossier)
        dossiers.append(dossier)
    return dossiers


def _decision_post(dossier, values, motivations=None, motivation=""):
    data = {"motivation": motivation}
    for competence in dossier.certification.competences.all():
        data[f"validated_{competence.pk}"] = values[competence.number]
        data[f"motivation_{competence.pk}"] = (motivations or {}).get(competence.number, "")
    return data
