"""A session without any registered dossier offers no export (its sheet and its Excel file would
be empty): the page says there is nothing yet."""

import pytest
from django.urls import reverse

from tests.factories.jurys import JurySessionFactory

pytestmark = pytest.mark.django_db


def test_empty_session_offers_no_export(client, secretariat):
    session = JurySessionFactory()
    client.force_login(secretariat)

    html = client.get(reverse("jurys:session", args=[session.pk])).content.decode()

    assert "Aucun dossier inscrit à cette session." in html
    assert reverse("jurys:session_sheet", args=[session.pk]) not in html
    assert reverse("exports:session", args=[session.pk]) not in html
