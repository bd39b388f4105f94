"""An account keeps its one address: nobody can claim another person's address."""

import pytest
from allauth.account.models import EmailAddress

from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def test_email_page_shows_the_address_only(client):
    user = UserFactory()
    client.force_login(user)
    response = client.get("/comptes/email/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<strong>{user.email}</strong>" in html
    assert "<form" not in html.split("<main", 1)[-1]


def test_adding_someone_elses_address_is_impossible(client):
    attacker, victim = UserFactory(), UserFactory()
    client.force_login(attacker)
    before = list(EmailAddress.objects.values_list("user_id", "email"))
    for action in ("action_add", "action_primary", "action_send", "action_remove"):
        response = client.post("/comptes/email/", {"email": victim.email, action: ""})
        assert response.status_code == 405
    assert list(EmailAddress.objects.values_list("user_id", "email")) == before
    attacker.refresh_from_db()
    assert attacker.email != victim.email
