import pytest

from dossiers.models import Dossier
from evaluations import services
from tests.evaluations.conftest import pdf_upload


@pytest.fixture
def matrix(invited, assigned_assessor):
    """A submitted dossier with an invitation and an outil n°4: every URL has something to do."""
    invitation, _token = invited
    dossier = Dossier.objects.get(pk=invitation.assessment.dossier_id)
    services.guide_upload(
        assessment=dossier.assessment, by=assigned_assessor, uploaded_file=pdf_upload()
    )
    return dossier, invitation
