"""« Exporter PDF »: the dossier summary, every section, for whoever may read the dossier."""

from io import BytesIO

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from demo.demo import seed_demo
from dossiers.enums import DossierState
from dossiers.models import Dossier
from tests.factories.accounts import EmployerFactory, EstablishmentFactory


@pytest.fixture
def demo(db):
    call_command("loaddata", "referentiel", verbosity=0)
    return seed_demo()


def _text(response):
    reader = PdfReader(
        BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )
    return "\n".join(page.extract_text() for page in reader.pages)


def test_dossier_pdf_has_every_section(client, demo):
    dossier = Dossier.objects.get(state=DossierState.PARTIALLY_VALIDATED)
    client.force_login(demo["employer"])
    response = client.get(f"/dossiers/{dossier.pk}/dossier.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="dossier-{dossier.number}.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    text = _text(response)
    for section in [
        f"Dossier candidat {dossier.number}",
        "Candidat",
        "Parcours",
        "Pièces jointes",
        "Évaluation",
        "Décisions du jury",
        "Historique",
    ]:
        assert section in text, section
    assert dossier.candidate.birth_name.upper() in text
    assert "Jury du" in text and "Partiel" in text
    assert "Soumission" in text and "Clôture de" in text


@pytest.mark.parametrize("who", ["anonymous", "other_employer", "secretariat", "assessor"])
def test_dossier_pdf_access(client, demo, who):
    dossier = Dossier.objects.get(state=DossierState.PARTIALLY_VALIDATED)
    user = {
        "anonymous": None,
        "other_employer": EmployerFactory(
            membership__establishment=EstablishmentFactory(siret="44306184100047")
        ),
        "secretariat": demo["secretariat"],
        "assessor": demo["assessor"],
    }[who]
    if user is not None:
        client.force_login(user)
    response = client.get(f"/dossiers/{dossier.pk}/dossier.pdf")
    expected = {"anonymous": 302, "other_employer": 404, "secretariat": 200, "assessor": 200}
    assert response.status_code == expected[who]
    if who == "anonymous":
        assert response["Location"].startswith("/comptes/login/")
