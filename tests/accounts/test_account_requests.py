import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from ecertif.accounts.enums import AccountRequestStatus
from ecertif.accounts.models import AccountRequest, EmployerMembership, Establishment, User
from ecertif.accounts.services import (
    AccountRequestError,
    account_request_approve,
    account_request_refuse,
)
from tests.factories.accounts import AccountRequestFactory, EstablishmentFactory

URL = "/demande-de-compte/"

VALID = {
    "siret": "443 061 841 00047",
    "company_name": "Chimie de l'Ouest",
    "address": "3 avenue des Usines",
    "postcode": "44000",
    "city": "Nantes",
    "contact_first_name": "Lucie",
    "contact_last_name": "Bernard",
    "contact_email": "Lucie.Bernard@Chimie-Ouest.fr",
    "contact_phone": "02 40 00 00 00",
    "message": "CQP Opérateur de fabrication",
}

REQUIRED = "Ce champ est obligatoire."


@pytest.mark.django_db
def test_account_request_valid_creates_request_and_emails(
    client, settings, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, VALID)
    assert response.status_code == 302
    assert response["Location"] == "/demande-de-compte/envoyee/"
    request = AccountRequest.objects.get()
    assert request.siret == "44306184100047"
    assert request.contact_email == "lucie.bernard@chimie-ouest.fr"
    assert request.status == AccountRequestStatus.PENDING
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [settings.SECRETARIAT_EMAIL, "lucie.bernard@chimie-ouest.fr"]
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("siret", "", REQUIRED),
        ("siret", "4430618410004", "Le SIRET doit comporter exactement 14 chiffres."),
        ("siret", "4430618410004A", "Le SIRET ne doit contenir que des chiffres."),
        (
            "siret",
            "44306184100048",
            "Le SIRET n'est pas valide : la clé de contrôle est incorrecte.",
        ),
        ("company_name", "", REQUIRED),
        ("address", "", REQUIRED),
        ("postcode", "", REQUIRED),
        ("postcode", "4400", "Le code postal doit comporter 5 chiffres."),
        ("postcode", "98000", "Ce code postal ne correspond à aucun département français."),
        ("city", "", REQUIRED),
        ("contact_first_name", "", REQUIRED),
        ("contact_last_name", "", REQUIRED),
        ("contact_email", "", REQUIRED),
        (
            "contact_email",
            "lucie@",
            "Saisissez une adresse électronique valide (par exemple nom@entreprise.fr).",
        ),
        ("contact_phone", "", REQUIRED),
        (
            "contact_phone",
            "abc",
            "Saisissez un numéro de téléphone valide (10 chiffres, par exemple 01 23 45 67 89).",
        ),
    ],
)
def test_account_request_invalid_field_refused(client, field, value, message):
    response = client.post(URL, {**VALID, field: value})
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert escape(message) in response.content.decode()
    assert AccountRequest.objects.count() == 0


@pytest.mark.django_db
def test_account_request_siret_with_account_refused(client):
    EstablishmentFactory(siret="44306184100047")
    response = client.post(URL, VALID)
    assert response.context["form"].errors["siret"] == [
        "Un compte existe déjà pour cet établissement. Demandez à la personne qui le détient "
        "de vous ajouter, ou contactez le secrétariat des CQP."
    ]
    assert AccountRequest.objects.count() == 0


@pytest.mark.django_db
def test_account_request_siret_with_pending_request_refused(client):
    AccountRequestFactory(siret="44306184100047")
    response = client.post(URL, VALID)
    assert response.context["form"].errors["siret"] == [
        "Une demande de création de compte est déjà en cours pour ce SIRET. "
        "Le secrétariat des CQP vous répondra par courriel."
    ]
    assert AccountRequest.objects.count() == 1


@pytest.mark.django_db
def test_account_request_after_refusal_accepted(client):
    AccountRequestFactory(siret="44306184100047", status=AccountRequestStatus.REFUSED)
    response = client.post(URL, VALID)
    assert response.status_code == 302
    assert AccountRequest.objects.count() == 2


def _activation_link(body):
    return re.search(r"http://testserver(/comptes/password/reset/key/\S+)", body).group(1)


@pytest.mark.django_db
def test_account_request_approve_activation_login_lands_on_employer_home(
    client, settings, secretariat, mailoutbox, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "http://testserver"
    request = AccountRequestFactory(contact_email="lucie@chimie-ouest.fr")
    with django_capture_on_commit_callbacks(execute=True):
        user = account_request_approve(account_request=request, by=secretariat)
    request.refresh_from_db()
    assert request.status == AccountRequestStatus.APPROVED
    assert request.decided_by == secretariat
    establishment = Establishment.objects.get(siret="44306184100047")
    assert establishment.department == "44"
    assert establishment.region == "52"
    assert EmployerMembership.objects.get(user=user).establishment == establishment
    assert not user.has_usable_password()
    assert [m.to for m in mailoutbox] == [["lucie@chimie-ouest.fr"]]
    assert mailoutbox[0].subject == "[e-Certif] Votre compte employeur est ouvert"

    link = _activation_link(mailoutbox[0].body)
    response = client.get(link, follow=True)
    assert response.status_code == 200
    set_password_url = response.redirect_chain[-1][0]
    response = client.post(
        set_password_url,
        {"password1": "Nouveau-mot-de-passe-2026", "password2": "Nouveau-mot-de-passe-2026"},
    )
    assert response.status_code == 302
    response = client.post(
        "/comptes/login/",
        {"login": "lucie@chimie-ouest.fr", "password": "Nouveau-mot-de-passe-2026"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/"
    assert [t.name for t in response.templates][0] == "home/employer.html"
    assert "Chimie de l&#x27;Ouest" in response.content.decode()


@pytest.mark.django_db
def test_account_request_refuse_emails_reason(
    secretariat, mailoutbox, django_capture_on_commit_callbacks
):
    request = AccountRequestFactory(contact_email="lucie@chimie-ouest.fr")
    with django_capture_on_commit_callbacks(execute=True):
        account_request_refuse(
            account_request=request, by=secretariat, reason="SIRET hors de la branche."
        )
    request.refresh_from_db()
    assert request.status == AccountRequestStatus.REFUSED
    assert request.refusal_reason == "SIRET hors de la branche."
    assert [m.to for m in mailoutbox] == [["lucie@chimie-ouest.fr"]]
    assert "Motif : SIRET hors de la branche." in mailoutbox[0].body
    assert Establishment.objects.count() == 0


@pytest.mark.django_db
def test_account_request_refuse_without_reason_refused(secretariat):
    request = AccountRequestFactory()
    with pytest.raises(AccountRequestError, match="Le motif du refus est obligatoire."):
        account_request_refuse(account_request=request, by=secretariat, reason="  ")
    request.refresh_from_db()
    assert request.status == AccountRequestStatus.PENDING


@pytest.mark.django_db
def test_account_request_approve_twice_refused(secretariat):
    request = AccountRequestFactory()
    account_request_approve(account_request=request, by=secretariat)
    with pytest.raises(AccountRequestError, match="a déjà été traitée"):
        account_request_approve(account_request=request, by=secretariat)
    assert User.objects.filter(email=request.contact_email).count() == 1


@pytest.mark.django_db
def test_admin_approve_action(client, secretariat, mailoutbox, django_capture_on_commit_callbacks):
    request = AccountRequestFactory()
    client.force_login(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:accounts_accountrequest_changelist"),
            {"action": "approve", "_selected_action": [request.pk]},
            follow=True,
        )
    assert response.status_code == 200
    request.refresh_from_db()
    assert request.status == AccountRequestStatus.APPROVED
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_admin_refuse_action_asks_reason_then_refuses(
    client, secretariat, mailoutbox, django_capture_on_commit_callbacks
):
    request = AccountRequestFactory()
    client.force_login(secretariat)
    url = reverse("admin:accounts_accountrequest_changelist")
    response = client.post(url, {"action": "refuse", "_selected_action": [request.pk]})
    assert response.status_code == 200
    assert "Motif du refus" in response.content.decode()
    request.refresh_from_db()
    assert request.status == AccountRequestStatus.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url,
            {
                "action": "refuse",
                "_selected_action": [request.pk],
                "apply": "1",
                "reason": "Établissement hors champ.",
            },
        )
    request.refresh_from_db()
    assert request.status == AccountRequestStatus.REFUSED
    assert request.refusal_reason == "Établissement hors champ."
    assert len(mailoutbox) == 1
