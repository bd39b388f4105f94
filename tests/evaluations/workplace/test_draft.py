"""The workplace assessor's draft, « J'ai terminé », and the assessor's reopening (issue #12)."""

import pytest

from dossiers.exceptions import DossierActionError
from ecertif.notifications.models import Notification
from evaluations import services
from evaluations.guards import complete_missing
from tests.evaluations.workplace.helpers import PAGE_URL, enter_url, post_data, results_of

pytestmark = pytest.mark.django_db
MISSING_OBSERVATIONS = (
    "Les observations de l'évaluateur métier ne sont pas arrivées : attendez-les, ou indiquez "
    "pourquoi elles manquent."
)


def _assessor_mails(mailoutbox, dossier):
    return [m.subject for m in mailoutbox if m.to == [dossier.assessor.user.email]]


def test_draft_tells_nobody_and_does_not_count_as_received(
    workplace_client, dossier, invitation, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        workplace_client.post(PAGE_URL, post_data(dossier, ["a", "b", ""]))

    invitation.refresh_from_db()
    assert invitation.observations_submitted_at is None
    assert _assessor_mails(mailoutbox, dossier) == []
    assert MISSING_OBSERVATIONS in complete_missing(dossier)
    # The assessor does not see a draft beside the competences.
    client = workplace_client
    client.force_login(dossier.assessor.user)
    html = client.get(f"/evaluations/{dossier.pk}/").content.decode()
    assert "Brouillon en cours, pas encore transmis" in html
    assert "— pas encore transmise —" in html


def test_send_tells_assessor_once_and_locks_the_page(
    workplace_client, dossier, invitation, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = workplace_client.post(
            PAGE_URL, {**post_data(dossier, ["a", "b", "c"]), "send": ""}, follow=True
        )

    html = response.content.decode()
    assert "Merci : vos observations sont transmises à l&#x27;évaluateur habilité." in html
    assert "Vos observations ont été transmises à l'évaluateur habilité le " in html
    assert "J'ai terminé : transmettre" not in html
    assert _assessor_mails(mailoutbox, dossier) == [
        f"[e-Certif] Observations de l'évaluateur métier — dossier {dossier.number}"
    ]
    assert MISSING_OBSERVATIONS not in complete_missing(dossier)

    # A stale tab posting again is refused in French and the text stays on screen.
    response = workplace_client.post(PAGE_URL, post_data(dossier, ["x", "y", "z"]))
    html = response.content.decode()
    assert response.status_code == 409
    assert "demandez-lui de les rouvrir" in html
    assert "<dd>x</dd>" in html  # the text just typed is still on screen
    assert [r.workplace_observation for r in results_of(dossier)] == ["a", "b", "c"]


def test_send_with_nothing_written_refused(workplace_client, dossier, invitation):
    response = workplace_client.post(
        PAGE_URL, {**post_data(dossier, ["", "", ""], general=""), "send": ""}
    )

    assert response.status_code == 409
    assert "Saisissez au moins une observation avant de les transmettre." in (
        response.content.decode()
    )
    invitation.refresh_from_db()
    assert invitation.observations_submitted_at is None


def test_assessor_reopens_then_workplace_assessor_sends_again(
    client, dossier, invitation, token, mailoutbox, django_capture_on_commit_callbacks
):
    services.workplace_observations_save(
        invitation=invitation,
        observations={r.pk: "vu" for r in results_of(dossier)},
        general_observation="",
        send=True,
    )
    client.force_login(dossier.assessor.user)
    url = f"/evaluations/{dossier.pk}/invitations/{invitation.pk}/rouvrir/"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)

    assert "Observations rouvertes : Paul Tuteur est prévenu(e) par courriel" in (
        response.content.decode()
    )
    invitation.refresh_from_db()
    assert invitation.observations_submitted_at is None
    reopened = [m for m in mailoutbox if m.to == [invitation.email]][-1]
    assert reopened.subject == (
        f"[e-Certif] Vos observations sont rouvertes — dossier {dossier.number}"
    )
    assert "cliquer de nouveau sur « J'ai terminé »" in reopened.body

    # The workplace assessor edits with the same link and sends again.
    client.logout()
    client.get(enter_url(token))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(PAGE_URL, {**post_data(dossier, ["a2", "b2", "c2"]), "send": ""})
    invitation.refresh_from_db()
    assert invitation.observations_submitted_at is not None
    assert (
        Notification.objects.filter(
            recipient=dossier.assessor.user,
            text=f"Paul Tuteur a transmis ses observations pour le dossier {dossier.number}.",
        ).count()
        == 2
    )


def test_reopen_refused_before_sending(dossier, invitation):
    with pytest.raises(DossierActionError) as error:
        services.workplace_observations_reopen(invitation=invitation, by=dossier.assessor.user)
    assert error.value.messages == ["Ces observations n'ont pas encore été transmises."]


def test_reopen_refused_to_another_user(dossier, invitation, django_user_model):
    services.workplace_observations_save(
        invitation=invitation, observations={}, general_observation="ok", send=True
    )
    stranger = django_user_model.objects.create_user(email="x@exemple.fr", password="x")
    with pytest.raises(DossierActionError):
        services.workplace_observations_reopen(invitation=invitation, by=stranger)
    invitation.refresh_from_db()
    assert invitation.observations_submitted_at is not None
