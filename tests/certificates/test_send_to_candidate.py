"""Issue #11 item 7: the dossier's employer (or the secretariat) emails the candidate their
parchemin or attestation (signed PDF attached) and its verification link, after a confirmation
page; each send is recorded and shown in the dossier's timeline."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from certificates.models import DocumentSend
from certificates.sending import NO_EMAIL, REVOKED, send_document
from dossiers.privacy import ERASED_TEXT, anonymise_candidate
from ecertif.mail.models import OutboxEmail
from jurys import services
from jurys.documents import verification_url
from tests.factories.accounts import SIRETS, EstablishmentFactory, MembershipFactory
from tests.jurys.conftest import LOGIN_URL

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(establishment):
    return MembershipFactory(
        establishment=establishment, user__first_name="Claire", user__last_name="Roux"
    ).user


def _url(dossier):
    return reverse("certificates:send_to_candidate", args=[dossier.pk])


def _messages(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_confirmation_page_shows_the_address_and_the_link(client, owner, validated):
    validated.candidate.email = "camille.petit@exemple.fr"
    validated.candidate.save()
    client.force_login(owner)
    response = client.get(_url(validated))
    assert response.status_code == 200
    page = response.content.decode()
    document = validated.decisions.get().document
    assert "Un courriel va être envoyé à <strong>camille.petit@exemple.fr</strong>" in page
    assert f"Parchemin n° {document.number}" in page
    assert verification_url(document) in page
    assert "Envoyer à camille.petit@exemple.fr" in page
    assert not DocumentSend.objects.exists()
    assert not OutboxEmail.objects.filter(subject__startswith="[e-Certif] Votre").exists()


def test_send_emails_the_link_records_it_and_shows_it_in_the_timeline(
    client, owner, validated, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://certif.exemple.fr"
    validated.candidate.email = "camille.petit@exemple.fr"
    validated.candidate.save()
    document = validated.decisions.get().document
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(validated))
    assert response.status_code == 302
    assert response.url == f"/dossiers/{validated.pk}/"
    assert _messages(response) == [
        f"Parchemin n° {document.number} envoyé à camille.petit@exemple.fr : le courriel part "
        "dans quelques instants."
    ]
    send = DocumentSend.objects.get()
    assert (send.document, send.dossier, send.recipient, send.sent_by) == (
        document,
        validated,
        "camille.petit@exemple.fr",
        owner,
    )
    link = f"https://certif.exemple.fr/verifier/{document.verification_code}/"
    [message] = mailoutbox
    assert message.to == ["camille.petit@exemple.fr"]
    assert message.subject == (
        f"[e-Certif] Votre parchemin n° {document.number} — Conducteur d'appareils"
    )
    assert f"Parchemin n° {document.number} — Conducteur d'appareils." in message.body
    assert link in message.body
    assert "Vous le trouverez en pièce jointe (PDF signé électroniquement)." in message.body
    html, mime = message.alternatives[0]
    assert mime == "text/html" and f'<a href="{link}">' in html
    [(name, content, content_type)] = message.attachments
    assert (name, content_type) == (f"parchemin-{document.number}.pdf", "application/pdf")
    assert content.startswith(b"%PDF-")
    send.email.refresh_from_db()
    assert send.email.recipient == "camille.petit@exemple.fr"
    # Sent: the outbox keeps the file's name, not its bytes.
    assert (send.email.attachment_name, bytes(send.email.attachment)) == (
        f"parchemin-{document.number}.pdf",
        b"",
    )

    page = client.get(f"/dossiers/{validated.pk}/").content.decode()
    assert f"Parchemin n° {document.number} envoyé au candidat (camille.petit@exemple.fr)" in page
    assert "Claire Roux" in page
    assert "Envoyer de nouveau au candidat" in page


def test_a_second_send_is_recorded_again(
    client, secretariat, partial, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url(partial))
        client.post(_url(partial))
    assert DocumentSend.objects.filter(dossier=partial, sent_by=secretariat).count() == 2
    assert len(mailoutbox) == 2
    assert mailoutbox[0].subject.startswith("[e-Certif] Votre attestation de compétences n° A-")
    assert mailoutbox[0].attachments[0][0].startswith("attestation-A-")
    page = client.get(f"/dossiers/{partial.pk}/").content.decode()
    assert page.count("envoyé au candidat") == 2


def test_refused_without_email(client, owner, validated):
    validated.candidate.email = ""
    validated.candidate.save()
    client.force_login(owner)
    for method in (client.get, client.post):
        response = method(_url(validated), follow=True)
        assert response.redirect_chain == [(f"/dossiers/{validated.pk}/", 302)]
        assert [str(m) for m in response.context["messages"]] == [NO_EMAIL]
    assert not DocumentSend.objects.exists()
    assert not OutboxEmail.objects.filter(subject__startswith="[e-Certif] Votre").exists()
    page = client.get(f"/dossiers/{validated.pk}/").content.decode()
    assert "le document ne peut pas lui être envoyé par courriel" in page
    assert _url(validated) not in page


def test_refused_once_the_decision_is_revoked(client, secretariat, validated):
    services.decision_revoke(dossier=validated, by=secretariat, reason="Erreur de saisie.")
    client.force_login(secretariat)
    response = client.post(_url(validated))
    assert response.status_code == 302
    assert _messages(response) == [REVOKED]
    assert not DocumentSend.objects.exists()
    assert not OutboxEmail.objects.filter(subject__startswith="[e-Certif] Votre").exists()


@pytest.mark.parametrize(
    ("role", "page", "send", "sends"),
    [
        ("secretariat", 200, 302, 1),
        ("owner", 200, 302, 1),
        ("other_employer", 404, 404, 0),
        ("assessor", 403, 403, 0),
        ("jury_member", 403, 403, 0),
    ],
)
def test_who_may_send(client, role, page, send, sends, validated, owner, secretariat, president):
    users = {
        "secretariat": lambda: secretariat,
        "owner": lambda: owner,
        "other_employer": lambda: (
            MembershipFactory(establishment=EstablishmentFactory(siret=SIRETS[1])).user
        ),
        "assessor": lambda: validated.assessor.user,
        "jury_member": lambda: president.user,
    }
    client.force_login(users[role]())
    assert client.get(_url(validated)).status_code == page
    assert client.post(_url(validated)).status_code == send
    assert DocumentSend.objects.count() == sends


def test_anonymous_and_workplace_assessors_go_to_the_login_page(client, validated):
    """A workplace assessor (tuteur) has no account: their invitation link opens only their
    own form; here they are anonymous like anyone signed out."""
    for method in (client.get, client.post):
        response = method(_url(validated))
        assert response.status_code == 302
        assert response.url.startswith(LOGIN_URL)
    assert not DocumentSend.objects.exists()


def test_button_only_for_those_who_may_send(client, owner, validated, president):
    client.force_login(owner)
    assert _url(validated) in client.get(f"/dossiers/{validated.pk}/").content.decode()
    client.force_login(president.user)
    page = client.get(f"/dossiers/{validated.pk}/").content.decode()
    assert "Envoi du document au candidat" not in page and _url(validated) not in page


def test_anonymisation_keeps_who_and_when_not_the_address(
    client, owner, validated, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url(validated))
    anonymise_candidate(validated.candidate)
    send = DocumentSend.objects.get()
    assert (send.recipient, send.sent_by) == ("", owner)
    send.email.refresh_from_db()
    assert (send.email.body_text, send.email.attachment_name) == (ERASED_TEXT, "")
    page = client.get(f"/dossiers/{validated.pk}/").content.decode()
    assert "envoyé au candidat (adresse effacée)" in page


def test_admin_lists_the_sends_read_only(admin_client, owner, validated):
    send = send_document(dossier=validated, by=owner)
    listing = admin_client.get("/admin/certificates/documentsend/")
    assert listing.status_code == 200
    assert validated.candidate.email in listing.content.decode()
    assert admin_client.get("/admin/certificates/documentsend/add/").status_code == 403
    change = admin_client.post(f"/admin/certificates/documentsend/{send.pk}/change/", {})
    assert change.status_code == 403
    assert DocumentSend.objects.get().recipient == validated.candidate.email
