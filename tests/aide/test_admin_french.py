"""The secretariat's admin in French (issue #12): import errors naming the row and the column,
« Approuver » / « Refuser » on an account request's page, new sessions in the future, distinct
column titles."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ecertif.accounts.enums import AccountRequestStatus
from jurys.models import SessionRegistration
from tests.factories.accounts import AccountRequestFactory, UserFactory
from tests.factories.referentiel import CertificationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def _text(response):
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#x27;", "'")


def _import(admin_client, content):
    upload = SimpleUploadedFile("competences.csv", content.encode(), content_type="text/csv")
    # The format list is « --- », xlsx, csv.
    return admin_client.post(
        "/admin/referentiel/competence/import/", {"import_file": upload, "format": "1"}
    )


def test_import_unknown_certification_french_row_and_column(admin_client):
    CertificationFactory(code="cqp-connu")
    response = _import(
        admin_client, "certification,number,label\ncqp-connu,1,Conduire\nINCONNU,2,Régler\n"
    )

    text = _text(response)
    assert response.status_code == 200
    assert (
        "Ligne 3 du fichier : colonne « Certification » : aucun(e) certification n'a le code "
        "« INCONNU »." in text
    )
    assert "matching query does not exist" not in text


def test_import_number_not_integer_french_message(admin_client):
    CertificationFactory(code="cqp-connu")
    response = _import(admin_client, "certification,number,label\ncqp-connu,abc,Conduire\n")

    text = _text(response)
    assert "« abc » n'est pas un nombre entier." in text
    assert "ConversionSyntax" not in text


def test_account_request_page_approve_button_approves(
    admin_client, mailoutbox, django_capture_on_commit_callbacks
):
    request = AccountRequestFactory()
    page = admin_client.get(f"/admin/accounts/accountrequest/{request.pk}/change/")
    html = page.content.decode()
    assert f'action="/admin/accounts/accountrequest/{request.pk}/approuver/"' in html
    assert f'<a href="/admin/accounts/accountrequest/{request.pk}/refuser/">Refuser</a>' in html

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"/admin/accounts/accountrequest/{request.pk}/approuver/")

    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == AccountRequestStatus.APPROVED
    assert [m.to for m in mailoutbox if "activ" in m.body.lower()] == [[request.contact_email]]
    # Once decided, no more buttons.
    html = admin_client.get(f"/admin/accounts/accountrequest/{request.pk}/change/").content
    assert b"/approuver/" not in html


def test_account_request_page_refuse_with_reason(admin_client):
    request = AccountRequestFactory()
    url = f"/admin/accounts/accountrequest/{request.pk}/refuser/"
    assert "Le motif sera envoyé par courriel" in admin_client.get(url).content.decode()

    response = admin_client.post(
        url,
        {
            "_selected_action": [request.pk],
            "action": "refuse",
            "apply": "1",
            "reason": "SIRET inconnu.",
        },
    )

    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == AccountRequestStatus.REFUSED


def test_new_session_in_the_past_refused_in_french(admin_client):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = admin_client.post(
        "/admin/jurys/jurysession/add/",
        {
            "date": yesterday.isoformat(),
            "registration_deadline": yesterday.isoformat(),
            "place": "Paris",
        },
    )

    text = _text(response)
    assert response.status_code == 200
    assert (
        f"Choisissez une date à partir d'aujourd'hui ({timezone.localdate():%d/%m/%Y}) : une "
        "nouvelle session ne peut pas être dans le passé." in text
    )


def test_registration_end_columns_have_distinct_titles():
    fields = {f.name: f.verbose_name for f in SessionRegistration._meta.fields}
    assert fields["ended_at"] == "inscription terminée le"
    assert fields["end_kind"] == "type de fin d'inscription"
