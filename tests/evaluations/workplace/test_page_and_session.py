import datetime

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.utils import timezone

from dossiers.exceptions import DossierActionError
from dossiers.models import Dossier
from ecertif.notifications.models import Notification
from evaluations.models import CompetenceResult, WorkplaceAssessorInvitation
from evaluations.services import invitation_resend, invitation_revoke, new_token
from evaluations.workplace import views as workplace_views
from evaluations.workplace.views import LINK_KEY, SESSION_KEY
from tests.evaluations.workplace.helpers import (
    CLOSED_TEXT,
    PAGE_URL,
    SAVED,
    WORKPLACE_URLS,
    enter_url,
    invite,
    post_data,
    results_of,
    submitted_dossier,
    text,
)
from tests.factories.referentiel import CertificationFactory, CertificationOptionFactory
from tests.test_public_urls import PUBLIC_URL_NAMES


def test_page_shows_candidate_certification_and_competences(workplace_client, dossier):
    response = workplace_client.get(PAGE_URL)

    assert response.status_code == 200
    content = text(response)
    assert dossier.candidate.full_name in content
    assert f"CQP — {dossier.certification.label}" in content
    assert f"n° {dossier.number}" in content
    assert dossier.assessor.user.get_full_name() in content
    assert "Paul Tuteur, Chef d'équipe de fabrication" in content
    for result in results_of(dossier):
        competence = result.competence
        assert f"C{competence.number} — {competence.label}" in content
        assert f'name="observation_{result.pk}"' in content
    assert 'name="general_observation"' in content
    assert 'name="csrfmiddlewaretoken"' in content
    assert "Aucune observation enregistrée pour l'instant." in content
    # Not `no-referrer` here: browsers would then post `Origin: null`, refused by CSRF.
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "no-store" in response.headers["Cache-Control"]


def test_page_shows_certification_option(db, client):
    certification = CertificationFactory()
    option = CertificationOptionFactory(certification=certification, label="Logistique")
    dossier = submitted_dossier(certification=certification, option=option)
    _, token = invite(dossier)
    client.get(enter_url(token))

    response = client.get(PAGE_URL)

    assert f"{certification.label} (option Logistique)" in text(response)


def test_page_does_not_show_assessor_results(workplace_client, dossier):
    CompetenceResult.objects.filter(assessment__dossier=dossier).update(
        result="not_acquired", comment="Commentaire confidentiel de l'évaluateur"
    )

    response = workplace_client.get(PAGE_URL)

    assert "Commentaire confidentiel" not in text(response)
    assert "Non acquis" not in text(response)


def test_page_prefills_current_observations(workplace_client, dossier, invitation):
    first = results_of(dossier)[0]
    CompetenceResult.objects.filter(pk=first.pk).update(workplace_observation="Très soigneuse")
    WorkplaceAssessorInvitation.objects.filter(pk=invitation.pk).update(
        general_observation="Bonne intégration"
    )

    response = workplace_client.get(PAGE_URL)

    form = response.context["form"]
    assert form[f"observation_{first.pk}"].value() == "Très soigneuse"
    assert form["general_observation"].value() == "Bonne intégration"
    assert "Très soigneuse</textarea>" in text(response)


def test_page_post_saves_observations(
    workplace_client, dossier, invitation, django_capture_on_commit_callbacks
):
    data = post_data(dossier, ["Maîtrise le poste", "", "  Respecte les consignes  "])

    with django_capture_on_commit_callbacks(execute=True):
        response = workplace_client.post(PAGE_URL, data)

    assert response.status_code == 302
    assert response.url == PAGE_URL
    assert [r.workplace_observation for r in results_of(dossier)] == [
        "Maîtrise le poste",
        "",
        "Respecte les consignes",
    ]
    invitation.refresh_from_db()
    assert invitation.general_observation == "Candidate autonome et rigoureuse."
    # A draft: kept, but not sent, and the assessor is not told.
    assert invitation.draft_saved_at is not None
    assert invitation.observations_submitted_at is None
    assert not Notification.objects.filter(
        recipient=dossier.assessor.user, link=f"/evaluations/{dossier.pk}/"
    ).exists()
    assert [str(m) for m in get_messages(response.wsgi_request)] == [SAVED]


def test_page_after_save_shows_success_message(workplace_client, dossier):
    response = workplace_client.post(PAGE_URL, post_data(dossier, ["a", "b", "c"]), follow=True)

    assert response.redirect_chain == [(PAGE_URL, 302)]
    content = text(response)
    assert SAVED in content
    assert "Brouillon enregistré le " in content


def test_page_second_post_updates_observations(workplace_client, dossier, invitation):
    workplace_client.post(PAGE_URL, post_data(dossier, ["a", "b", "c"]))
    invitation.refresh_from_db()
    first_saved_at = invitation.draft_saved_at

    with time_machine.travel(timezone.now() + datetime.timedelta(hours=1)):
        response = workplace_client.post(
            PAGE_URL, {**post_data(dossier, ["a2", "b2", ""], general="Mise à jour"), "send": ""}
        )

    assert response.status_code == 302
    assert [r.workplace_observation for r in results_of(dossier)] == ["a2", "b2", ""]
    invitation.refresh_from_db()
    assert invitation.general_observation == "Mise à jour"
    assert invitation.observations_submitted_at > first_saved_at
    assert invitation.observations_submitted_at == invitation.draft_saved_at
    texts = list(
        Notification.objects.filter(
            recipient=dossier.assessor.user, link=f"/evaluations/{dossier.pk}/"
        )
        .order_by("pk")
        .values_list("text", flat=True)
    )
    assert texts == [f"Paul Tuteur a transmis ses observations pour le dossier {dossier.number}."]


def test_page_post_too_long_observation_shows_french_error(workplace_client, dossier, invitation):
    data = post_data(dossier, ["x" * 5001, "b", "c"])

    response = workplace_client.post(PAGE_URL, data)

    assert response.status_code == 200
    first = results_of(dossier)[0]
    assert response.context["form"].errors == {
        f"observation_{first.pk}": [
            "Votre observation ne doit pas dépasser 5000 caractères "
            "(elle en compte actuellement 5001)."
        ]
    }
    assert [r.workplace_observation for r in results_of(dossier)] == ["", "", ""]
    invitation.refresh_from_db()
    assert invitation.observations_submitted_at is None


def test_page_post_too_long_general_observation_shows_french_error(workplace_client, dossier):
    response = workplace_client.post(PAGE_URL, post_data(dossier, ["a", "b", "c"], "y" * 5002))

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "general_observation": [
            "Votre observation ne doit pas dépasser 5000 caractères "
            "(elle en compte actuellement 5002)."
        ]
    }


def test_page_post_counts_line_break_as_one_character(workplace_client, dossier):
    long_text = "a" * 4998 + "\r\n" + "b"

    response = workplace_client.post(PAGE_URL, post_data(dossier, [long_text, "", ""]))

    assert response.status_code == 302
    assert results_of(dossier)[0].workplace_observation == "a" * 4998 + "\nb"


def test_page_post_action_error_shows_its_message(
    workplace_client, dossier, invitation, monkeypatch
):
    def refuse(**kwargs):
        raise DossierActionError("Cette invitation n'est plus valable : l'évaluation est close.")

    monkeypatch.setattr(workplace_views, "workplace_observations_save", refuse)

    response = workplace_client.post(PAGE_URL, post_data(dossier, ["gardé", "", ""]))

    assert response.status_code == 409
    content = text(response)
    assert "Cette invitation n'est plus valable : l'évaluation est close." in content
    assert "gardé</textarea>" in content
    assert [r.workplace_observation for r in results_of(dossier)] == ["", "", ""]


def test_page_ignores_result_ids_of_another_dossier(workplace_client, dossier):
    other = submitted_dossier()
    other_result = results_of(other)[0]
    data = post_data(dossier, ["a", "b", "c"])
    data[f"observation_{other_result.pk}"] = "intrusion"

    response = workplace_client.post(PAGE_URL, data)

    assert response.status_code == 302
    assert results_of(other)[0].workplace_observation == ""


def test_page_query_count_does_not_grow_with_competences(db, client, django_assert_num_queries):
    for count in (3, 6):
        dossier = submitted_dossier(certification=CertificationFactory(competences=count))
        _, token = invite(dossier)
        client.get(enter_url(token))
        with django_assert_num_queries(3):
            response = client.get(PAGE_URL)
        assert len(response.context["form"].competence_fields()) == count


def test_page_revoked_while_open_refuses_get(workplace_client, dossier, invitation):
    invitation_revoke(invitation=invitation, by=dossier.assessor.user)

    response = workplace_client.get(PAGE_URL)

    assert response.status_code == 410
    assert "Cette invitation a été révoquée" in text(response)
    assert SESSION_KEY not in workplace_client.session


def test_page_revoked_while_open_refuses_post(workplace_client, dossier, invitation):
    invitation_revoke(invitation=invitation, by=dossier.assessor.user)

    response = workplace_client.post(PAGE_URL, post_data(dossier, ["a", "b", "c"]))

    assert response.status_code == 410
    assert "Cette invitation a été révoquée" in text(response)
    assert [r.workplace_observation for r in results_of(dossier)] == ["", "", ""]
    assert not Notification.objects.filter(link=f"/evaluations/{dossier.pk}/").exists()
    assert SESSION_KEY not in workplace_client.session


def test_page_expired_while_open_refuses_post(workplace_client, dossier, invitation):
    # The link expires while the session (10 hours) is still alive.
    expires_at = timezone.now() + datetime.timedelta(minutes=1)
    WorkplaceAssessorInvitation.objects.filter(pk=invitation.pk).update(expires_at=expires_at)

    with time_machine.travel(expires_at + datetime.timedelta(minutes=1)):
        response = workplace_client.post(PAGE_URL, post_data(dossier, ["a", "b", "c"]))

    assert response.status_code == 410
    assert "Ce lien a expiré" in text(response)
    assert [r.workplace_observation for r in results_of(dossier)] == ["", "", ""]


def test_page_closed_while_open_refuses_post(workplace_client, dossier):
    Dossier.objects.filter(pk=dossier.pk).update(state="awaiting_jury")

    response = workplace_client.post(PAGE_URL, post_data(dossier, ["a", "b", "c"]))

    assert response.status_code == 410
    assert CLOSED_TEXT in text(response)
    assert [r.workplace_observation for r in results_of(dossier)] == ["", "", ""]
    assert SESSION_KEY not in workplace_client.session


def test_page_deleted_invitation_shows_no_session_page(workplace_client, invitation):
    WorkplaceAssessorInvitation.objects.filter(pk=invitation.pk).delete()

    response = workplace_client.get(PAGE_URL)

    assert response.status_code == 403
    assert "Ouvrez le lien reçu par courriel" in text(response)
    assert SESSION_KEY not in workplace_client.session


def test_page_without_session_shows_open_link_page(client, invitation):
    response = client.get(PAGE_URL)

    assert response.status_code == 403
    assert "Ouvrez le lien reçu par courriel" in text(response)
    assert "no-store" in response.headers["Cache-Control"]


def test_page_post_without_session_shows_open_link_page(client, dossier, invitation):
    response = client.post(PAGE_URL, post_data(dossier, ["a", "b", "c"]))

    assert response.status_code == 403
    assert [r.workplace_observation for r in results_of(dossier)] == ["", "", ""]


def test_page_for_logged_in_user_without_invitation_shows_open_link_page(client, dossier):
    client.force_login(dossier.assessor.user)

    response = client.get(PAGE_URL)

    assert response.status_code == 403


def test_page_second_link_replaces_first_invitation(client, dossier, invitation, token):
    other_dossier = submitted_dossier()
    other_invitation, other_token = invite(other_dossier)
    client.get(enter_url(token))

    client.get(enter_url(other_token))

    assert dict(client.session.items()) == {
        SESSION_KEY: other_invitation.pk,
        LINK_KEY: other_invitation.token_hash,
    }
    assert other_dossier.number in text(client.get(PAGE_URL))


@pytest.mark.parametrize("url", ["/", "/dossiers/", "/notifications/", "/referentiel/"])
def test_workplace_session_does_not_reach_the_application(workplace_client, url):
    response = workplace_client.get(url)

    assert response.status_code == 302
    assert response.url == f"/comptes/login/?next={url}"


def test_workplace_session_does_not_reach_the_assessment(workplace_client, dossier):
    url = f"/evaluations/{dossier.pk}/"

    response = workplace_client.get(url)

    assert response.status_code == 302
    assert response.url == f"/comptes/login/?next={url}"


def test_workplace_session_does_not_reach_the_admin(workplace_client):
    response = workplace_client.get("/admin/")

    assert response.status_code == 302
    assert response.url == "/admin/login/?next=/admin/"
    login = workplace_client.get(response.url)
    assert login.status_code == 302
    assert login.url.startswith("/comptes/login/")


def test_page_after_resend_old_session_refused(client, invitation, token, dossier):
    client.get(enter_url(token))
    assert client.get(PAGE_URL).status_code == 200
    invitation_resend(invitation=invitation, by=dossier.assessor.user)

    response = client.get(PAGE_URL)

    assert response.status_code == 410
    assert "Ce lien a été remplacé" in response.content.decode()
    assert SESSION_KEY not in client.session
    # The old link itself is unknown now.
    assert client.get(enter_url(token)).status_code == 404


def test_enter_200_random_tokens_no_hit(client, invitation):
    hits = 0
    for index in range(200):
        # One address each: from a single address, guessing is throttled (French 429).
        response = client.get(enter_url(new_token()), REMOTE_ADDR=f"10.0.0.{index + 1}")
        assert response.status_code == 404
        hits += SESSION_KEY in client.session
    assert hits == 0


@pytest.mark.parametrize(("name", "path"), WORKPLACE_URLS, ids=[n for n, _ in WORKPLACE_URLS])
def test_workplace_session_opens_no_other_url(workplace_client, name, path):
    """Every URL pattern of the application, with the workplace assessor's session."""
    response = workplace_client.get(path)
    if name in PUBLIC_URL_NAMES:
        # Public pages (login, account request…) never show anything of the dossier.
        assert response.status_code in (200, 302, 404, 405)
        assert "ROUSSEL" not in response.content.decode()
    else:
        assert response.status_code == 302, f"{name} ({path}) : {response.status_code}"
        assert response["Location"].startswith("/comptes/login/")
