import base64
import datetime
import hashlib

import pytest
import time_machine
from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import timezone

from dossiers.models import Dossier
from ecertif.mail.models import OutboxEmail
from ecertif.mail.services import SCRUBBED
from evaluations.models import WorkplaceAssessorInvitation
from evaluations.services import invitation_revoke, new_token
from evaluations.workplace import views as workplace_views
from evaluations.workplace.views import LINK_KEY, SESSION_KEY
from tests.evaluations.workplace.helpers import (
    CLOSED_TEXT,
    PAGE_URL,
    UNKNOWN_TITLE,
    enter_url,
    invite,
    text,
)


def test_new_token_has_at_least_120_bits():
    token = new_token()
    assert len(token) == 32
    assert workplace_views.TOKEN_RE.fullmatch(token)
    assert len(base64.urlsafe_b64decode(token)) * 8 == 192


def test_new_token_differs_each_time():
    assert len({new_token() for _ in range(100)}) == 100


def test_invitation_create_stores_only_token_hash(
    dossier, client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation, token = invite(dossier)
    client.get(enter_url(token))

    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    hits = set()
    for model in apps.get_models():
        text_fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField))
        ]
        for row in model.objects.values(*text_fields):
            hits.update(
                (model._meta.label, name)
                for name, value in row.items()
                if value and token in str(value)
            )
    # The email carried the link; its stored body is erased once sent: no column holds the token.
    assert hits == set()
    assert [m.to for m in mailoutbox] == [["paul.tuteur@exemple.fr"]]
    assert token in mailoutbox[0].body
    sent = OutboxEmail.objects.get(recipient="paul.tuteur@exemple.fr")
    assert (sent.contains_secret, sent.body_text, sent.body_html) == (True, SCRUBBED, "")


def test_enter_valid_token_redirects_to_page_without_token(client, invitation, token):
    response = client.get(enter_url(token))

    assert response.status_code == 302
    assert response.url == PAGE_URL
    assert dict(client.session.items()) == {
        SESSION_KEY: invitation.pk,
        LINK_KEY: invitation.token_hash,
    }
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response.headers["Cache-Control"]


def test_enter_valid_token_changes_session_key_and_drops_other_data(client, invitation, token):
    session = client.session
    session["something_else"] = "x"
    session.save()
    old_key = session.session_key

    client.get(enter_url(token))

    assert client.cookies[settings.SESSION_COOKIE_NAME].value != old_key
    assert dict(client.session.items()) == {
        SESSION_KEY: invitation.pk,
        LINK_KEY: invitation.token_hash,
    }


def test_enter_valid_token_logs_out_a_logged_in_user(client, dossier, invitation, token):
    client.force_login(dossier.assessor.user)

    response = client.get(enter_url(token))

    assert response.status_code == 302
    assert dict(client.session.items()) == {
        SESSION_KEY: invitation.pk,
        LINK_KEY: invitation.token_hash,
    }
    assert client.get("/").url == "/comptes/login/?next=/"


def test_enter_post_not_allowed(client, token):
    response = client.post(enter_url(token))

    assert response.status_code == 405
    assert SESSION_KEY not in client.session


@pytest.mark.parametrize(
    "bad_token",
    [
        "abc",
        "../../etc",
        "x" * 200,
        "A" * 31,
        "A" * 33,
        "A" * 31 + "=",
        "A" * 31 + "+",
        "A" * 31 + "é",
        "%00" * 32,
        "<script>alert(1)</script>",
    ],
)
def test_enter_malformed_token_shows_unknown_page(client, invitation, bad_token):
    response = client.get(enter_url(bad_token))

    assert response.status_code == 404
    assert UNKNOWN_TITLE in text(response)
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert SESSION_KEY not in client.session


def test_enter_unknown_token_shows_unknown_page(client, invitation):
    response = client.get(enter_url(new_token()))

    assert response.status_code == 404
    assert UNKNOWN_TITLE in text(response)
    assert "Paul Tuteur" not in text(response)
    assert SESSION_KEY not in client.session


def test_enter_replaced_token_shows_unknown_page(client, invitation, token):
    WorkplaceAssessorInvitation.objects.filter(pk=invitation.pk).update(token_hash="0" * 64)

    response = client.get(enter_url(token))

    assert response.status_code == 404
    assert UNKNOWN_TITLE in text(response)


def test_enter_revoked_invitation_shows_revoked_page(client, dossier, invitation, token):
    invitation_revoke(invitation=invitation, by=dossier.assessor.user)
    assessor = dossier.assessor.user

    response = client.get(enter_url(token))

    assert response.status_code == 410
    content = text(response)
    assert "Cette invitation a été révoquée" in content
    assert f"contactez l'évaluateur habilité, {assessor.get_full_name()}, à l'adresse" in content
    assert f'href="mailto:{assessor.email}"' in content
    assert dossier.candidate.full_name not in content
    assert SESSION_KEY not in client.session


def test_enter_expired_invitation_shows_expired_page(client, dossier, invitation, token):
    with time_machine.travel(invitation.expires_at + datetime.timedelta(seconds=1)):
        response = client.get(enter_url(token))

    assert response.status_code == 410
    content = text(response)
    assert "Ce lien a expiré" in content
    assert (
        f"Demandez un nouveau lien à l'évaluateur habilité, {dossier.assessor.user.get_full_name()}"
        in content
    )
    assert f"valable jusqu'au {timezone.localtime(invitation.expires_at):%d/%m/%Y}" in content
    assert SESSION_KEY not in client.session


def test_enter_at_expiry_instant_shows_expired_page(client, invitation, token):
    with time_machine.travel(invitation.expires_at):
        response = client.get(enter_url(token))

    assert response.status_code == 410
    assert "Ce lien a expiré" in text(response)


def test_enter_just_before_expiry_opens_session(client, invitation, token):
    with time_machine.travel(invitation.expires_at - datetime.timedelta(seconds=1)):
        response = client.get(enter_url(token))

    assert response.status_code == 302
    assert response.url == PAGE_URL


@pytest.mark.parametrize(
    "state", ["awaiting_jury", "validated", "partially_validated", "not_validated"]
)
def test_enter_closed_assessment_shows_closed_page(client, dossier, token, state):
    Dossier.objects.filter(pk=dossier.pk).update(state=state)

    response = client.get(enter_url(token))

    assert response.status_code == 410
    assert CLOSED_TEXT in text(response)
    assert SESSION_KEY not in client.session


def test_enter_closed_and_expired_shows_closed_page(client, dossier, invitation, token):
    Dossier.objects.filter(pk=dossier.pk).update(state="awaiting_jury")

    with time_machine.travel(invitation.expires_at + datetime.timedelta(days=1)):
        response = client.get(enter_url(token))

    assert response.status_code == 410
    assert CLOSED_TEXT in text(response)


def test_enter_dossier_returned_for_completion_shows_suspended_page(client, dossier, token):
    Dossier.objects.filter(pk=dossier.pk).update(state="registering")

    response = client.get(enter_url(token))

    assert response.status_code == 409
    assert "L'évaluation est suspendue" in text(response)
    assert SESSION_KEY not in client.session
