"""The assessor's assessment page and its actions, for every role."""

import hashlib
import re

import pytest
from django.conf import settings

from dossiers.enums import DossierState
from dossiers.models import Dossier
from dossiers.services import dossier_submit
from evaluations.models import WorkplaceAssessorInvitation
from tests.evaluations.conftest import WORKPLACE
from tests.evaluations.views.helpers import (
    GET_URLS,
    LINK_LABEL,
    POST_URLS,
    REQUIRED,
    RESULTS_LOCKED,
    _download,
    _messages,
    _page_url,
    _post_data,
    _snapshot,
    _text,
    _urls,
)
from tests.factories.accounts import MembershipFactory, UserFactory
from tests.factories.dossiers import MINIMAL_PDF, DossierFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", GET_URLS + POST_URLS)
def test_anonymous_redirected_to_login(client, matrix, name):
    dossier, invitation = matrix
    url = _urls(dossier, invitation)[name]
    before = _snapshot(dossier)
    response = client.post(url) if name in POST_URLS else client.get(url)
    assert response.status_code == 302
    assert response.url == f"/comptes/login/?next={url}"
    assert _snapshot(dossier) == before


@pytest.mark.parametrize("name", GET_URLS + POST_URLS)
@pytest.mark.parametrize("role", ["other_employer", "other_assessor"])
def test_other_tenant_gets_404(client, request, matrix, role, name):
    dossier, invitation = matrix
    client.force_login(request.getfixturevalue(role))
    url = _urls(dossier, invitation)[name]
    before = _snapshot(dossier)
    data = _post_data(name, dossier)
    response = client.post(url, data) if name in POST_URLS else client.get(url)
    assert response.status_code == 404
    assert _snapshot(dossier) == before


@pytest.mark.parametrize("role", ["owner", "secretariat"])
def test_assessment_page_read_only_for_reader(client, request, matrix, role):
    dossier, _invitation = matrix
    client.force_login(request.getfixturevalue(role))
    response = client.get(_page_url(dossier))
    assert response.status_code == 200
    assert response.context["can_write"] is False
    assert response.context["missing"] == []
    text = _text(response)
    assert "Paul Tuteur" in text
    assert f'action="/evaluations/{dossier.pk}/' not in text
    assert "Clôturer l'évaluation" not in text
    assert "Enregistrer les résultats" not in text


@pytest.mark.parametrize("role", ["owner", "secretariat"])
@pytest.mark.parametrize("name", POST_URLS)
def test_post_action_forbidden_for_reader(client, request, matrix, role, name):
    dossier, invitation = matrix
    client.force_login(request.getfixturevalue(role))
    before = _snapshot(dossier)
    response = client.post(_urls(dossier, invitation)[name], _post_data(name, dossier))
    assert response.status_code == 403
    assert _snapshot(dossier) == before


@pytest.mark.parametrize("role", ["owner", "secretariat"])
def test_complete_post_forbidden_for_reader(client, request, ready, role):
    client.force_login(request.getfixturevalue(role))
    response = client.post(f"/evaluations/{ready.pk}/cloturer/")
    assert response.status_code == 403
    dossier = Dossier.objects.get(pk=ready.pk)
    assert dossier.state == DossierState.AWAITING_ASSESSMENT
    assert dossier.assessment.completed_at is None


@pytest.mark.parametrize("role", ["owner", "secretariat", "assigned_assessor"])
def test_guide_download_for_reader(client, request, matrix, role):
    dossier, invitation = matrix
    client.force_login(request.getfixturevalue(role))
    response = client.get(_urls(dossier, invitation)["guide_download"])
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="outil4-scan.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert _download(response) == MINIMAL_PDF


def test_assessment_page_writable_for_assigned_assessor(client, matrix, assigned_assessor):
    dossier, _invitation = matrix
    client.force_login(assigned_assessor)
    response = client.get(_page_url(dossier))
    assert response.status_code == 200
    assert response.context["can_write"] is True
    text = _text(response)
    assert "Enregistrer les résultats" in text
    assert "Renvoyer un lien" in text


@pytest.mark.parametrize("name", POST_URLS)
def test_post_urls_refuse_get(client, matrix, assigned_assessor, name):
    dossier, invitation = matrix
    client.force_login(assigned_assessor)
    assert client.get(_urls(dossier, invitation)[name]).status_code == 405


def test_assessment_page_forbidden_to_owner_before_submission(client, dossier, owner):
    client.force_login(owner)
    assert client.get(_page_url(dossier)).status_code == 403


def test_assessment_page_404_for_assessor_before_submission(client, dossier, assigned_assessor):
    client.force_login(assigned_assessor)
    assert client.get(_page_url(dossier)).status_code == 404


def test_page_before_invitation_locks_results(client, submitted, assigned_assessor):
    client.force_login(assigned_assessor)
    response = client.get(_page_url(submitted))
    text = _text(response)
    assert RESULTS_LOCKED in text
    assert "Inviter l'évaluateur métier" in text
    assert "Enregistrer les résultats" not in text


def test_invite_post_creates_invitation_and_shows_link_once(
    client, submitted, assigned_assessor, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(assigned_assessor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/evaluations/{submitted.pk}/inviter/", WORKPLACE)
    assert response.status_code == 302
    assert response.url == f"/evaluations/{submitted.pk}/#invitation"
    assert _messages(response) == ["Invitation envoyée à paul.tuteur@exemple.fr."]
    invitation = WorkplaceAssessorInvitation.objects.get(assessment__dossier=submitted)
    assert [m.to for m in mailoutbox] == [["paul.tuteur@exemple.fr"]]

    page = _text(client.get(_page_url(submitted)))
    links = re.findall(r'value="(https?://[^"]+/evaluation-metier/([^/"]+)/)"', page)
    assert len(links) == 1
    link, token = links[0]
    assert link == f"{settings.SITE_URL}/evaluation-metier/{token}/"
    assert hashlib.sha256(token.encode()).hexdigest() == invitation.token_hash
    assert link in mailoutbox[0].body
    assert LINK_LABEL in page
    assert RESULTS_LOCKED not in page

    reloaded = _text(client.get(_page_url(submitted)))
    assert token not in reloaded
    assert LINK_LABEL not in reloaded
    assert "/evaluation-metier/" not in reloaded


def test_invite_link_not_shown_to_owner_in_same_session(
    client, submitted, assigned_assessor, owner
):
    client.force_login(assigned_assessor)
    client.post(f"/evaluations/{submitted.pk}/inviter/", WORKPLACE)
    client.force_login(owner)
    assert "/evaluation-metier/" not in _text(client.get(_page_url(submitted)))


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        (
            {"name": "", "email": "", "function": ""},
            {"name": [REQUIRED], "email": [REQUIRED], "function": [REQUIRED]},
        ),
        (
            {"name": "Paul Tuteur", "email": "pas-une-adresse", "function": "Tuteur"},
            {"email": ["Saisissez une adresse électronique valide."]},
        ),
    ],
)
def test_invite_post_invalid_shows_errors(client, submitted, assigned_assessor, data, errors):
    client.force_login(assigned_assessor)
    response = client.post(f"/evaluations/{submitted.pk}/inviter/", data)
    assert response.status_code == 200
    assert response.context["invitation_form"].errors == errors
    text = _text(response)
    for messages in errors.values():
        assert messages[0] in text
    assert not WorkplaceAssessorInvitation.objects.exists()


def test_invitation_resend_post_shows_new_link(client, invited, assigned_assessor):
    invitation, old_token = invited
    dossier = Dossier.objects.get(pk=invitation.assessment.dossier_id)
    client.force_login(assigned_assessor)
    response = client.post(f"/evaluations/{dossier.pk}/invitations/{invitation.pk}/renvoyer/")
    assert response.url == f"/evaluations/{dossier.pk}/#invitation"
    assert _messages(response) == [
        "Nouveau lien envoyé à paul.tuteur@exemple.fr ; l'ancien ne fonctionne plus."
    ]
    page = _text(client.get(_page_url(dossier)))
    token = re.search(r"/evaluation-metier/([^/\"]+)/", page).group(1)
    assert token != old_token
    invitation.refresh_from_db()
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()


def test_invitation_revoke_post_then_resend_refused(client, invited, assigned_assessor):
    invitation, _token = invited
    dossier = Dossier.objects.get(pk=invitation.assessment.dossier_id)
    client.force_login(assigned_assessor)
    response = client.post(f"/evaluations/{dossier.pk}/invitations/{invitation.pk}/revoquer/")
    assert _messages(response) == ["Invitation de Paul Tuteur révoquée : son lien est désactivé."]
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    client.get(_page_url(dossier))
    response = client.post(f"/evaluations/{dossier.pk}/invitations/{invitation.pk}/renvoyer/")
    assert _messages(response) == ["Cette invitation a été révoquée : créez-en une nouvelle."]
    assert "Révoquée" in _text(client.get(_page_url(dossier)))


def test_invitation_of_another_dossier_404(client, invited, assigned_assessor):
    invitation, _token = invited
    other = DossierFactory(
        assessor=invitation.assessment.assessor,
        certification=invitation.assessment.dossier.certification,
    )
    dossier_submit(
        dossier=other,
        by=MembershipFactory(user=UserFactory(), establishment=other.establishment).user,
    )
    client.force_login(assigned_assessor)
    response = client.post(f"/evaluations/{other.pk}/invitations/{invitation.pk}/revoquer/")
    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
