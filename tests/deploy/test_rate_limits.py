"""The real client behind the proxies, and rate limits nobody can turn against real users."""

import pytest
from django.test import Client, RequestFactory
from django.utils.html import escape
from stdnum import luhn

from ecertif.accounts.models import AccountRequest
from ecertif.proxy import client_ip, client_ip_from
from tests.factories.accounts import PASSWORD, UserFactory

LOGIN = "/comptes/login/"
ACCOUNT_REQUEST = "/demande-de-compte/"
TOO_MANY_LOGINS = "Trop de tentatives de connexion échouées. Veuillez réessayer ultérieurement."
TOO_MANY_REQUESTS = (
    "Trop de demandes de compte envoyées récemment depuis votre connexion ou pour cet "
    "établissement : réessayez plus tard ou écrivez au secrétariat des CQP (opic@uic.fr)."
)
PROXY = "10.0.0.2"  # the nginx container, as gunicorn sees it


def valid_siret(number):
    """A SIRET whose SIREN and SIRET check digits are both right."""
    siren = f"44306{number:03d}"
    siret = f"{siren}{luhn.calc_check_digit(siren)}0001"
    return siret + luhn.calc_check_digit(siret)


def behind_proxy(address):
    """A test client whose requests reach Django through one proxy, from `address`."""
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address)


def account_request(number, **overrides):
    return {
        "siret": valid_siret(number),
        "company_name": f"Chimie {number}",
        "address": "3 avenue des Usines",
        "postcode": "44000",
        "city": "Nantes",
        "contact_first_name": "Lucie",
        "contact_last_name": "Bernard",
        "contact_email": f"contact{number}@chimie-ouest.fr",
        "contact_phone": "02 40 00 00 00",
        "message": "",
        **overrides,
    }


@pytest.mark.parametrize(
    ("remote_addr", "forwarded_for", "trusted_proxies", "expected"),
    [
        ("203.0.113.7", "", 0, "203.0.113.7"),
        # Without a trusted proxy, a client-written header proves nothing.
        ("203.0.113.7", "198.51.100.1", 0, "203.0.113.7"),
        ("10.0.0.2", "198.51.100.1", 1, "198.51.100.1"),
        # The client wrote the left part itself: only the hop our proxy added counts.
        ("10.0.0.2", "1.2.3.4, 198.51.100.1", 1, "198.51.100.1"),
        ("10.0.0.3", "1.2.3.4, 198.51.100.1, 10.0.0.9", 2, "198.51.100.1"),
        # Fewer hops than proxies: the request bypassed one, the peer is all we know.
        ("10.0.0.2", "198.51.100.1", 2, "10.0.0.2"),
        ("10.0.0.2", "", 1, "10.0.0.2"),
        ("10.0.0.2", "pas-une-adresse", 1, "10.0.0.2"),
        ("10.0.0.2", " 2001:DB8::1 ", 1, "2001:db8::1"),
    ],
)
def test_client_ip_from_trusted_hops(remote_addr, forwarded_for, trusted_proxies, expected):
    assert (
        client_ip_from(
            remote_addr=remote_addr, forwarded_for=forwarded_for, trusted_proxies=trusted_proxies
        )
        == expected
    )


def test_client_ip_reads_the_setting(settings):
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == PROXY
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "198.51.100.1"


def test_allauth_uses_the_same_proxy_count(settings):
    from allauth import app_settings

    assert settings.ALLAUTH_TRUSTED_PROXY_COUNT == settings.TRUSTED_PROXY_COUNT
    assert app_settings.TRUSTED_PROXY_COUNT == settings.TRUSTED_PROXY_COUNT


@pytest.mark.django_db
def test_failed_logins_from_one_client_do_not_lock_out_the_owner_or_others(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    UserFactory(email="rh@exemple.fr")
    UserFactory(email="autre@exemple.fr")
    attacker = behind_proxy("198.51.100.66")
    for _ in range(6):
        response = attacker.post(LOGIN, {"login": "rh@exemple.fr", "password": "mauvais"})
        assert response.status_code == 200
    assert escape(TOO_MANY_LOGINS) in response.content.decode()
    # The attacker's address is blocked for this account, even with the right password.
    response = attacker.post(LOGIN, {"login": "rh@exemple.fr", "password": PASSWORD})
    assert escape(TOO_MANY_LOGINS) in response.content.decode()
    assert "_auth_user_id" not in attacker.session
    # The owner, from their own address, logs in.
    owner = behind_proxy("203.0.113.10")
    response = owner.post(LOGIN, {"login": "rh@exemple.fr", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    # Another user behind the same proxy is not affected.
    other = behind_proxy("203.0.113.11")
    response = other.post(LOGIN, {"login": "autre@exemple.fr", "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.django_db
def test_failed_logins_per_address_across_accounts(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for index in range(21):
        UserFactory(email=f"cible{index}@exemple.fr")
    sprayer = behind_proxy("198.51.100.66")
    for index in range(20):
        response = sprayer.post(LOGIN, {"login": f"cible{index}@exemple.fr", "password": "x"})
        assert escape(TOO_MANY_LOGINS) not in response.content.decode()
    response = sprayer.post(LOGIN, {"login": "cible20@exemple.fr", "password": PASSWORD})
    assert escape(TOO_MANY_LOGINS) in response.content.decode()
    response = behind_proxy("203.0.113.10").post(
        LOGIN, {"login": "cible20@exemple.fr", "password": PASSWORD}
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_account_request_accepted_after_five_rejected(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    client = behind_proxy("198.51.100.20")
    for _ in range(6):
        response = client.post(ACCOUNT_REQUEST, account_request(1, postcode="00000"))
        assert response.status_code == 200
        assert response.context["form"].errors
    response = client.post(ACCOUNT_REQUEST, account_request(1))
    assert response.status_code == 302
    assert response["Location"] == "/demande-de-compte/envoyee/"
    assert AccountRequest.objects.count() == 1


@pytest.mark.django_db
def test_account_requests_accepted_per_address(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    client = behind_proxy("198.51.100.20")
    for number in range(5):
        assert client.post(ACCOUNT_REQUEST, account_request(number)).status_code == 302
    response = client.post(ACCOUNT_REQUEST, account_request(5))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [TOO_MANY_REQUESTS]
    assert AccountRequest.objects.count() == 5
    # Behind the same proxy, another company is not affected.
    response = behind_proxy("198.51.100.21").post(ACCOUNT_REQUEST, account_request(5))
    assert response.status_code == 302
    assert AccountRequest.objects.count() == 6


@pytest.mark.django_db
def test_account_requests_accepted_per_contact_email(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    same = {"contact_email": "rh@chimie-ouest.fr"}
    for number in range(3):
        client = behind_proxy(f"198.51.100.{30 + number}")
        assert client.post(ACCOUNT_REQUEST, account_request(number, **same)).status_code == 302
    response = behind_proxy("198.51.100.40").post(ACCOUNT_REQUEST, account_request(3, **same))
    assert response.context["form"].non_field_errors() == [TOO_MANY_REQUESTS]
    assert AccountRequest.objects.count() == 3


@pytest.mark.django_db
def test_account_requests_accepted_per_siret(settings):
    from ecertif.accounts.enums import AccountRequestStatus

    settings.TRUSTED_PROXY_COUNT = 1
    for number in range(2):
        client = behind_proxy(f"198.51.100.{30 + number}")
        data = account_request(7, contact_email=f"rh{number}@chimie-ouest.fr")
        assert client.post(ACCOUNT_REQUEST, data).status_code == 302
        # Refused by the secretariat: the form would accept the SIRET again.
        AccountRequest.objects.update(status=AccountRequestStatus.REFUSED)
    data = account_request(7, contact_email="rh9@chimie-ouest.fr")
    response = behind_proxy("198.51.100.40").post(ACCOUNT_REQUEST, data)
    assert response.context["form"].non_field_errors() == [TOO_MANY_REQUESTS]
    assert AccountRequest.objects.count() == 2
