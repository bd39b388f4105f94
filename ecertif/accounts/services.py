"""Account requests: submitted by an employer, approved or refused by the secretariat."""

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from ecertif.mail.services import queue_email
from ecertif.notifications.services import notify_many

from .enums import AccountRequestStatus
from .groups import secretariat_users
from .models import AccountRequest, EmployerMembership, Establishment, User


class AccountRequestError(Exception):
    """A decision that cannot be taken; the message is shown to the secretariat."""


def activation_url(user):
    path = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )
    return f"{settings.SITE_URL}{path}"


@transaction.atomic
def account_request_submit(*, form):
    account_request = form.save()
    notify_many(
        recipients=secretariat_users(),
        text=f"Demande de création de compte : {account_request.company_name}",
        link=f"/admin/accounts/accountrequest/{account_request.pk}/change/",
    )
    queue_email(
        to=settings.SECRETARIAT_EMAIL,
        subject="[e-Certif] Nouvelle demande de création de compte",
        template="account_request_received_secretariat",
        context={"request": account_request},
    )
    queue_email(
        to=account_request.contact_email,
        subject="[e-Certif] Votre demande de création de compte a bien été reçue",
        template="account_request_received",
        context={"request": account_request},
    )
    return account_request


@transaction.atomic
def account_request_approve(*, account_request, by):
    account_request = AccountRequest.objects.select_for_update().get(pk=account_request.pk)
    if account_request.status != AccountRequestStatus.PENDING:
        raise AccountRequestError(
            f"La demande de {account_request.company_name} a déjà été traitée."
        )
    if Establishment.objects.filter(siret=account_request.siret).exists():
        raise AccountRequestError(
            f"Un établissement existe déjà avec le SIRET {account_request.siret}."
        )
    email = account_request.contact_email.lower()
    if User.objects.filter(email__iexact=email).exists():
        raise AccountRequestError(f"Un utilisateur existe déjà avec l'adresse {email}.")
    establishment = Establishment.objects.create(
        siret=account_request.siret,
        name=account_request.company_name,
        address=account_request.address,
        postcode=account_request.postcode,
        city=account_request.city,
    )
    user = User.objects.create_user(
        email=email,
        password=None,
        first_name=account_request.contact_first_name,
        last_name=account_request.contact_last_name,
        phone=account_request.contact_phone,
    )
    EmployerMembership.objects.create(user=user, establishment=establishment)
    account_request.status = AccountRequestStatus.APPROVED
    account_request.decided_at = timezone.now()
    account_request.decided_by = by
    account_request.establishment = establishment
    account_request.save()
    queue_email(
        to=user.email,
        subject="[e-Certif] Votre compte employeur est ouvert",
        template="account_request_approved",
        context={"request": account_request, "user": user, "activation_url": activation_url(user)},
        secret=True,
    )
    return user


@transaction.atomic
def account_request_refuse(*, account_request, by, reason):
    reason = (reason or "").strip()
    if not reason:
        raise AccountRequestError("Le motif du refus est obligatoire.")
    account_request = AccountRequest.objects.select_for_update().get(pk=account_request.pk)
    if account_request.status != AccountRequestStatus.PENDING:
        raise AccountRequestError(
            f"La demande de {account_request.company_name} a déjà été traitée."
        )
    account_request.status = AccountRequestStatus.REFUSED
    account_request.decided_at = timezone.now()
    account_request.decided_by = by
    account_request.refusal_reason = reason
    account_request.save()
    queue_email(
        to=account_request.contact_email,
        subject="[e-Certif] Votre demande de création de compte",
        template="account_request_refused",
        context={"request": account_request},
    )
    return account_request
