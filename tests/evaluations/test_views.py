"""The assessor's assessment page and its actions, for every role."""

import datetime
import hashlib
import html
import io
import os
import re

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from dossiers.enums import DossierState
from dossiers.exceptions import ALREADY_MOVED
from dossiers.models import Dossier
from dossiers.services import dossier_submit
from ecertif.core.uploads import MESSAGES
from evaluations import services
from evaluations.models import Assessment, CompetenceResult, WorkplaceAssessorInvitation
from evaluations.services import NO_INVITATION
from tests.evaluations.conftest import WORKPLACE, invite, pdf_upload
from tests.factories.accounts import MembershipFactory, UserFactory
from tests.factories.dossiers import MINIMAL_PDF, DossierFactory
from tests.factories.referentiel import CertificationFactory

pytestmark = pytest.mark.django_db

RESULTS_LOCKED = (
    "La saisie des résultats s'ouvre une fois l'évaluateur métier invité (étape 1), pour que "
    "ses observations puissent figurer à côté des vôtres."
)
LINK_LABEL = "Lien personnel de l'évaluateur métier"
REQUIRED = "Ce champ est obligatoire."
FUTURE_DATE = "La date d'évaluation ne peut pas être dans le futur."
LAST_BEFORE_FIRST = "La date de fin doit suivre la date de début."


def _text(response):
    return html.unescape(response.content.decode())


def _messages(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def _stored_files():
    return [name for _root, _dirs, names in os.walk(settings.MEDIA_ROOT) for name in names]


def _png_named_pdf():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format="PNG")
    return SimpleUploadedFile("outil4.pdf", buffer.getvalue(), content_type="application/pdf")


def _page_url(dossier):
    return f"/evaluations/{dossier.pk}/"


def _rows(dossier):
    return list(
        CompetenceResult.objects.filter(assessment__dossier=dossier).order_by("competence__number")
    )


def _download(response):
    """The body of a file response, closing the file it streams."""
    try:
        return b"".join(response.streaming_content)
    finally:
        response.close()


# --- Role matrix -----------------------------------------------------------------------------


def _urls(dossier, invitation):
    pk = dossier.pk
    return {
        "assessment": f"/evaluations/{pk}/",
        "invite": f"/evaluations/{pk}/inviter/",
        "invitation_resend": f"/evaluations/{pk}/invitations/{invitation.pk}/renvoyer/",
        "invitation_revoke": f"/evaluations/{pk}/invitations/{invitation.pk}/revoquer/",
        "results": f"/evaluations/{pk}/resultats/",
        "details": f"/evaluations/{pk}/observations/",
        "guide_upload": f"/evaluations/{pk}/outil-4/",
        "guide_download": f"/evaluations/{pk}/outil-4/telecharger/",
        "complete": f"/evaluations/{pk}/cloturer/",
    }


GET_URLS = ["assessment", "guide_download"]
POST_URLS = [
    "invite",
    "invitation_resend",
    "invitation_revoke",
    "results",
    "details",
    "guide_upload",
    "complete",
]


def _post_data(name, dossier):
    if name == "invite":
        return {"name": "Léa Autre", "email": "lea.autre@exemple.fr", "function": "Tutrice"}
    if name == "results":
        return {f"result_{row.pk}": "acquired" for row in _rows(dossier)}
    if name == "details":
        return {"candidate_observations": "Modifié."}
    if name == "guide_upload":
        return {"file": pdf_upload("autre.pdf")}
    return {}


@pytest.fixture
def matrix(invited, assigned_assessor):
    """A submitted dossier with an invitation and an outil n°4: every URL has something to do."""
    invitation, _token = invited
    dossier = Dossier.objects.get(pk=invitation.assessment.dossier_id)
    services.guide_upload(
        assessment=dossier.assessment, by=assigned_assessor, uploaded_file=pdf_upload()
    )
    return dossier, invitation


def _snapshot(dossier):
    assessment = Assessment.objects.get(dossier=dossier)
    return (
        Dossier.objects.get(pk=dossier.pk).state,
        assessment.guide_scan.name,
        assessment.candidate_observations,
        list(WorkplaceAssessorInvitation.objects.order_by("pk").values()),
        list(CompetenceResult.objects.order_by("pk").values()),
    )


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


# --- Invitation ------------------------------------------------------------------------------


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


# --- Results, details, outil n°4 -------------------------------------------------------------


def test_results_post_saves(client, invited, assigned_assessor):
    dossier = Dossier.objects.get(pk=invited[0].assessment.dossier_id)
    first, second, third = _rows(dossier)
    client.force_login(assigned_assessor)
    response = client.post(
        f"/evaluations/{dossier.pk}/resultats/",
        {
            f"result_{first.pk}": "acquired",
            f"comment_{first.pk}": "Conduite maîtrisée.",
            f"result_{second.pk}": "not_acquired",
            f"comment_{second.pk}": "À revoir.",
            f"comment_{third.pk}": "",
        },
    )
    assert response.status_code == 302
    assert response.url == f"/evaluations/{dossier.pk}/#resultats"
    assert _messages(response) == ["Résultats enregistrés."]
    assert [(r.result, r.comment) for r in _rows(dossier)] == [
        ("acquired", "Conduite maîtrisée."),
        ("not_acquired", "À revoir."),
        ("", ""),
    ]


def test_results_post_before_invitation_refused(client, submitted, assigned_assessor):
    row = _rows(submitted)[0]
    client.force_login(assigned_assessor)
    response = client.post(
        f"/evaluations/{submitted.pk}/resultats/", {f"result_{row.pk}": "acquired"}
    )
    assert response.status_code == 302
    assert _messages(response) == [NO_INVITATION]
    row.refresh_from_db()
    assert row.result == ""


def test_results_post_invalid_choice_shows_form(client, invited, assigned_assessor):
    dossier = Dossier.objects.get(pk=invited[0].assessment.dossier_id)
    row = _rows(dossier)[0]
    client.force_login(assigned_assessor)
    response = client.post(
        f"/evaluations/{dossier.pk}/resultats/", {f"result_{row.pk}": "peut-etre"}
    )
    assert response.status_code == 200
    assert list(response.context["results_form"].errors) == [f"result_{row.pk}"]
    row.refresh_from_db()
    assert row.result == ""


def test_details_post_saves(client, invited, assigned_assessor):
    dossier = Dossier.objects.get(pk=invited[0].assessment.dossier_id)
    today = timezone.localdate()
    client.force_login(assigned_assessor)
    response = client.post(
        f"/evaluations/{dossier.pk}/observations/",
        {
            "first_date": (today - datetime.timedelta(days=3)).isoformat(),
            "last_date": today.isoformat(),
            "candidate_observations": "Le candidat est d'accord.",
            "workplace_missing_reason": "",
        },
    )
    assert response.status_code == 302
    assert response.url == f"/evaluations/{dossier.pk}/#observations"
    assert _messages(response) == ["Observations enregistrées."]
    assessment = Assessment.objects.get(dossier=dossier)
    assert (
        assessment.first_date,
        assessment.last_date,
        assessment.candidate_observations,
    ) == (today - datetime.timedelta(days=3), today, "Le candidat est d'accord.")


@pytest.mark.parametrize(
    ("first", "last", "errors"),
    [
        (1, None, {"first_date": [FUTURE_DATE]}),
        (0, 2, {"last_date": [FUTURE_DATE]}),
        (-2, -5, {"last_date": [LAST_BEFORE_FIRST]}),
    ],
)
def test_details_post_invalid_dates(client, invited, assigned_assessor, first, last, errors):
    dossier = Dossier.objects.get(pk=invited[0].assessment.dossier_id)
    today = timezone.localdate()

    def day(offset):
        return "" if offset is None else (today + datetime.timedelta(days=offset)).isoformat()

    client.force_login(assigned_assessor)
    response = client.post(
        f"/evaluations/{dossier.pk}/observations/",
        {"first_date": day(first), "last_date": day(last), "candidate_observations": "Texte"},
    )
    assert response.status_code == 200
    assert response.context["details_form"].errors == errors
    assert list(errors.values())[0][0] in _text(response)
    assessment = Assessment.objects.get(dossier=dossier)
    assert (assessment.first_date, assessment.last_date, assessment.candidate_observations) == (
        None,
        None,
        "",
    )


def test_guide_upload_post_accepts_pdf(client, invited, assigned_assessor):
    dossier = Dossier.objects.get(pk=invited[0].assessment.dossier_id)
    client.force_login(assigned_assessor)
    response = client.post(f"/evaluations/{dossier.pk}/outil-4/", {"file": pdf_upload()})
    assert response.status_code == 302
    assert response.url == f"/evaluations/{dossier.pk}/#outil4"
    assert _messages(response) == ["Outil n°4 enregistré."]
    assessment = Assessment.objects.get(dossier=dossier)
    assert (
        assessment.guide_original_name,
        assessment.guide_content_type,
        assessment.guide_size,
    ) == (
        "outil4-scan.pdf",
        "application/pdf",
        len(MINIMAL_PDF),
    )
    assert assessment.guide_sha256 == hashlib.sha256(MINIMAL_PDF).hexdigest()
    assert len(_stored_files()) == 1
    assert "outil4-scan.pdf" in _text(client.get(_page_url(dossier)))


def test_guide_upload_post_refuses_png_renamed_pdf(client, invited, assigned_assessor):
    dossier = Dossier.objects.get(pk=invited[0].assessment.dossier_id)
    client.force_login(assigned_assessor)
    response = client.post(f"/evaluations/{dossier.pk}/outil-4/", {"file": _png_named_pdf()})
    assert response.status_code == 200
    expected = MESSAGES["mismatch"] % {"ext": "pdf"}
    assert expected == "Le contenu du fichier ne correspond pas à son extension .pdf."
    assert response.context["guide_form"].errors == {"file": [expected]}
    assert expected in _text(response)
    assessment = Assessment.objects.get(dossier=dossier)
    assert (assessment.guide_scan.name, assessment.guide_original_name) == ("", "")
    assert _stored_files() == []


def test_guide_upload_post_without_file(client, invited, assigned_assessor):
    dossier = Dossier.objects.get(pk=invited[0].assessment.dossier_id)
    client.force_login(assigned_assessor)
    response = client.post(f"/evaluations/{dossier.pk}/outil-4/", {})
    assert response.status_code == 200
    assert response.context["guide_form"].errors == {"file": ["Choisissez un fichier."]}


def test_guide_download_by_owner_is_attachment(client, matrix, owner):
    dossier, _invitation = matrix
    client.force_login(owner)
    response = client.get(f"/evaluations/{dossier.pk}/outil-4/telecharger/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert _download(response) == MINIMAL_PDF


def test_guide_download_by_other_employer_404(client, matrix, other_employer):
    dossier, _invitation = matrix
    client.force_login(other_employer)
    response = client.get(f"/evaluations/{dossier.pk}/outil-4/telecharger/")
    assert response.status_code == 404


# --- « Clôturer l'évaluation » ---------------------------------------------------------------


def test_complete_post_with_missing_items_shows_each_and_stays(
    client, submitted, assigned_assessor
):
    client.force_login(assigned_assessor)
    response = client.post(f"/evaluations/{submitted.pk}/cloturer/")
    assert response.status_code == 302
    assert response.url == f"/evaluations/{submitted.pk}/"
    assert _messages(response) == [
        "Invitez d'abord l'évaluateur métier.",
        "Saisissez le résultat (acquis / non acquis) des compétences : C1, C2, C3.",
        "Saisissez le commentaire des compétences : C1, C2, C3.",
        "Saisissez les observations du candidat.",
        "Joignez l'outil n°4 scanné (guide d'évaluation des compétences).",
    ]
    assert Dossier.objects.get(pk=submitted.pk).state == DossierState.AWAITING_ASSESSMENT


def test_page_lists_missing_items_for_assessor(client, invited, assigned_assessor):
    dossier = Dossier.objects.get(pk=invited[0].assessment.dossier_id)
    client.force_login(assigned_assessor)
    response = client.get(_page_url(dossier))
    assert response.context["missing"] == [
        "Les observations de l'évaluateur métier ne sont pas arrivées : attendez-les, "
        "ou indiquez pourquoi elles manquent.",
        "Saisissez le résultat (acquis / non acquis) des compétences : C1, C2, C3.",
        "Saisissez le commentaire des compétences : C1, C2, C3.",
        "Saisissez les observations du candidat.",
        "Joignez l'outil n°4 scanné (guide d'évaluation des compétences).",
    ]
    assert f'action="/evaluations/{dossier.pk}/cloturer/"' not in response.content.decode()


def test_complete_post_success_redirects_to_dossier(client, ready, assigned_assessor):
    client.force_login(assigned_assessor)
    page = client.get(_page_url(ready))
    assert f'action="/evaluations/{ready.pk}/cloturer/"' in page.content.decode()
    response = client.post(f"/evaluations/{ready.pk}/cloturer/")
    assert response.status_code == 302
    assert response.url == f"/dossiers/{ready.pk}/"
    assert _messages(response) == [
        f"Évaluation clôturée : le dossier {ready.number} est en attente de jury et "
        "l'employeur a été prévenu."
    ]
    assert Dossier.objects.get(pk=ready.pk).state == DossierState.AWAITING_JURY


def test_complete_post_twice_shows_already_moved(client, ready, assigned_assessor):
    client.force_login(assigned_assessor)
    client.post(f"/evaluations/{ready.pk}/cloturer/")
    client.get(f"/dossiers/{ready.pk}/")
    response = client.post(f"/evaluations/{ready.pk}/cloturer/")
    assert response.status_code == 302
    assert response.url == f"/evaluations/{ready.pk}/"
    assert _messages(response) == [ALREADY_MOVED]
    assert Dossier.objects.get(pk=ready.pk).state == DossierState.AWAITING_JURY


def test_page_after_completion_read_only_for_assessor(client, ready, assigned_assessor):
    services.assessment_complete(dossier=ready, by=assigned_assessor)
    client.force_login(assigned_assessor)
    response = client.get(_page_url(ready))
    assert response.status_code == 200
    assert response.context["can_write"] is False
    response = client.post(f"/evaluations/{ready.pk}/resultats/", {})
    assert response.status_code == 409  # « Déjà traité », not a bare 403


def test_complete_post_by_other_assessor_404(client, ready, other_assessor):
    client.force_login(other_assessor)
    assert client.post(f"/evaluations/{ready.pk}/cloturer/").status_code == 404
    assert Dossier.objects.get(pk=ready.pk).state == DossierState.AWAITING_ASSESSMENT


# --- Queries ---------------------------------------------------------------------------------


@pytest.mark.parametrize("competences", [3, 6])
def test_assessment_page_queries_do_not_grow_with_competences(
    client, django_assert_num_queries, competences
):
    certification = CertificationFactory(competences=competences)
    dossier = DossierFactory(certification=certification)
    owner = MembershipFactory(user=UserFactory(), establishment=dossier.establishment).user
    dossier_submit(dossier=dossier, by=owner)
    dossier.refresh_from_db()
    invite(dossier)
    client.force_login(dossier.assessor.user)
    with django_assert_num_queries(16):
        response = client.get(_page_url(dossier))
    assert response.status_code == 200
    assert len(response.context["results"]) == competences


@pytest.mark.parametrize("competences", [3, 6])
def test_assessment_page_read_only_queries_do_not_grow_with_competences(
    client, django_assert_num_queries, competences
):
    certification = CertificationFactory(competences=competences)
    dossier = DossierFactory(certification=certification)
    owner = MembershipFactory(user=UserFactory(), establishment=dossier.establishment).user
    dossier_submit(dossier=dossier, by=owner)
    dossier.refresh_from_db()
    invite(dossier)
    client.force_login(owner)
    with django_assert_num_queries(13):
        response = client.get(_page_url(dossier))
    assert response.status_code == 200
    assert len(response.context["results"]) == competences
