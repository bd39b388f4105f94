"""The detail page offers the seed's actions (issue #12): Éditer, Exporter PDF, Exporter Excel;
the row's « Notification » opens that dossier's notifications only."""

import pytest

from ecertif.notifications.services import notify
from tests.factories.dossiers import DossierFactory

pytestmark = pytest.mark.django_db


def test_detail_offers_edit_and_exports(employer_client):
    dossier = DossierFactory(establishment=employer_client.establishment)
    html = employer_client.get(f"/dossiers/{dossier.pk}/").content.decode()

    assert '<i class="bi bi-pencil" aria-hidden="true"></i> Éditer</a>' in html
    assert (
        f'<a class="btn btn-outline-secondary" href="/dossiers/{dossier.pk}/dossier.pdf">'
        '<i class="bi bi-filetype-pdf" aria-hidden="true"></i> Exporter PDF</a>'
    ) in html
    assert (
        f'<a class="btn btn-outline-secondary" href="/exports/dossiers/?q={dossier.number}">'
        '<i class="bi bi-filetype-xlsx" aria-hidden="true"></i> Exporter Excel</a>'
    ) in html


def test_row_notification_opens_that_dossiers_notifications(employer_client):
    dossier, other = DossierFactory.create_batch(2, establishment=employer_client.establishment)
    user = employer_client.user
    notify(recipient=user, text="Sur le premier", link=f"/dossiers/{dossier.pk}/")
    notify(recipient=user, text="Sur l'autre", link=f"/dossiers/{other.pk}/")

    html = employer_client.get("/dossiers/").content.decode()
    assert f'href="/notifications/?lien=/dossiers/{dossier.pk}/"' in html

    response = employer_client.get("/notifications/", {"lien": f"/dossiers/{dossier.pk}/"})
    assert [n.text for n in response.context["page_obj"]] == ["Sur le premier"]
    assert "toutes les notifications" in response.content.decode()
