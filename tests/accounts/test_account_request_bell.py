import pytest

from tests.factories.accounts import StaffFactory

pytestmark = pytest.mark.django_db


def test_account_request_rings_the_secretariat_bell(client):
    from ecertif.notifications.models import Notification

    staff = StaffFactory()
    client.post(
        "/demande-de-compte/",
        {
            "siret": "44306184100047",
            "company_name": "Chimie de l'Ouest",
            "address": "3 avenue des Usines",
            "postcode": "44000",
            "city": "Nantes",
            "contact_first_name": "Lucie",
            "contact_last_name": "Bernard",
            "contact_email": "lucie@chimie-ouest.fr",
            "contact_phone": "02 40 00 00 00",
        },
    )
    assert list(Notification.objects.filter(recipient=staff).values_list("text", flat=True)) == [
        "Demande de création de compte : Chimie de l'Ouest"
    ]
