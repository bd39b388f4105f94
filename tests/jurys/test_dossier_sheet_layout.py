"""The per-dossier decision sheet never leaves the signature blocks alone on a page (#12)."""

import pytest

from jurys import documents
from tests.factories.accounts import EstablishmentFactory
from tests.factories.referentiel import CertificationFactory

# The fixtures of the decision documents' tests.
from tests.jurys import test_documents as document_tests
from tests.jurys.test_documents import decided_dossier, pdf_pages

president = document_tests.president
vice_president = document_tests.vice_president
session = document_tests.session

pytestmark = pytest.mark.django_db
LONG = "Geste professionnel à consolider : " + "consignation, contrôle et traçabilité. " * 4


@pytest.mark.parametrize("competences", [6, 7, 8, 9, 10])
def test_signatures_stay_with_the_decision(session, president, competences):
    certification = CertificationFactory(competences=competences)
    dossier = decided_dossier(
        session,
        certification,
        EstablishmentFactory(),
        president.user,
        birth_name="Martin",
        validated=set(range(1, competences)),
        motivations={competences: LONG},
    )

    pages = pdf_pages(documents.dossier_decision_sheet(dossier))

    signed = [page for page in pages if "Signature" in page]
    assert len(signed) == 1
    assert "Décision du jury" in signed[0]
    assert "Composition du jury" in signed[0]
