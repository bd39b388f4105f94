"""Dossier screens: list (search, filters, sort, pagination), detail, delete, duplicate, return."""

import re

import pytest
from django.utils import timezone

from dossiers import services
from dossiers.enums import DossierState, Transition, WizardStep
from dossiers.exceptions import ALREADY_MOVED
from dossiers.models import Attachment, Candidate, Dossier, DossierTransition
from jurys.models import SessionRegistration
from tests.dossiers.views.helpers import (
    LIST_URL,
    REASON_REQUIRED,
    RETURN_DONE,
    _employer_of,
    _messages,
    _text,
)
from tests.factories.dossiers import (
    MINIMAL_PDF,
    AttachmentFactory,
    DossierFactory,
    TrainingProviderFactory,
)
from tests.factories.jurys import JurySessionFactory
from tests.factories.referentiel import CertificationOptionFactory

pytestmark = pytest.mark.django_db


def test_detail_shows_candidate_setup_and_attachments(client, dossier, owner):
    option = CertificationOptionFactory(certification=dossier.certification, label="Production")
    provider = TrainingProviderFactory(name="Chimie Formation", city="Villeurbanne")
    Dossier.objects.filter(pk=dossier.pk).update(option=option, provider=provider)
    attachment = AttachmentFactory(
        dossier=dossier, label="Baccalauréat professionnel", original_name="bac-pro.pdf"
    )
    client.force_login(owner)
    response = client.get(f"/dossiers/{dossier.pk}/")
    text = _text(response)
    candidate = dossier.candidate
    assessor = dossier.assessor
    assert response.status_code == 200
    assert f"Dossier {dossier.number} En cours d'inscription" in " ".join(
        re.sub(r"<[^>]+>", " ", text).split()
    )
    assert f"Madame Julie Anne {candidate.birth_name.upper()}" in text
    assert "le 12/04/1995 à Lyon (69003)" in text
    assert "4 rue des Lilas, 69003 Lyon" in text
    assert f"{candidate.email} · 06 12 34 56 78" in text
    assert "Opératrice de fabrication depuis le 01/09/2020" in text
    assert "Niveau 4 (baccalauréat)" in text
    assert f"CQP — {dossier.certification.label} (option Production)" in text
    assert f'<dd class="col-sm-8">{dossier.training_scheme.label}</dd>' in text
    assert "Chimie Formation — Villeurbanne" in text
    assert f"{assessor.user.get_full_name()} — Cabinet d'évaluation" in text
    assert f"confirmé le {timezone.localdate():%d/%m/%Y}" in text
    assert (
        f'<a href="/dossiers/{dossier.pk}/pieces/{attachment.pk}/">Baccalauréat professionnel</a>'
    ) in text
    assert (
        f"— Diplôme obtenu (copie), bac-pro.pdf, {len(MINIMAL_PDF)} octets, déposé le "
        f"{timezone.localdate():%d/%m/%Y}"
    ) in text.replace("\xa0", " ")
    assert "Le dossier est complet : vous pouvez le soumettre à l'évaluateur." in text


def test_detail_incomplete_lists_what_is_missing(client):
    dossier = DossierFactory(candidate=None, training_scheme=None, assessor_confirmed_at=None)
    client.force_login(_employer_of(dossier.establishment))
    text = _text(client.get(f"/dossiers/{dossier.pk}/"))
    alert = text.split("Avant de soumettre ce dossier :", 1)[1].split("</ul>", 1)[0]
    assert re.findall(r"<li>([^<]+)</li>", alert) == [
        "Choisissez le dispositif de formation.",
        "Renseignez l'état civil du candidat.",
        "Confirmez le choix de l'évaluateur habilité CPNE.",
    ]
    assert "L'état civil du candidat n'est pas encore renseigné." in text
    assert "Le dossier est complet" not in text
    assert (
        f'<a class="btn btn-primary" href="/dossiers/{dossier.pk}/etape/dispositif/">'
        '<i class="bi bi-pencil" aria-hidden="true"></i> Reprendre la saisie</a>'
    ) in text


def test_detail_history_timeline(
    client, dossier, owner, assigned_assessor, django_capture_on_commit_callbacks
):
    DossierTransition.objects.create(
        dossier=dossier, source="", target=dossier.state, transition=Transition.CREATE, actor=owner
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.dossier_submit(dossier=dossier, by=owner)
        services.dossier_return_for_completion(
            dossier=dossier, by=assigned_assessor, reason="La copie du diplôme est illisible."
        )
    client.force_login(owner)
    text = _text(client.get(f"/dossiers/{dossier.pk}/"))
    section = text.split('id="historique"', 1)[1]
    assert re.findall(r'<div class="fw-semibold">([^<]+)</div>', section) == [
        "Création du dossier",
        "Soumission à l'évaluateur",
        "Renvoi à l'employeur pour complément",
    ]
    assert re.findall(r'<div class="small">([^<]+)</div>', section) == [
        "En cours d'inscription → En attente d'évaluation",
        "En attente d'évaluation → En cours d'inscription",
    ]
    assert re.findall(r'<div class="small fst-italic">([^<]+)</div>', section) == [
        "Motif : La copie du diplôme est illisible."
    ]
    rows = list(DossierTransition.objects.filter(dossier=dossier).order_by("at", "pk"))
    actors = [owner, owner, assigned_assessor]
    assert re.findall(r'<div class="small text-body-secondary">([^<]+)</div>', section) == [
        f"{timezone.localtime(row.at):%d/%m/%Y à %H:%M} — {actor.get_full_name()}"
        for row, actor in zip(rows, actors, strict=True)
    ]


def test_detail_actions_owner_registering(client, dossier, owner):
    client.force_login(owner)
    content = client.get(f"/dossiers/{dossier.pk}/").content.decode()
    assert "Reprendre la saisie" in content
    assert f'action="/dossiers/{dossier.pk}/dupliquer/"' in content
    assert f'href="/dossiers/{dossier.pk}/supprimer/"' in content
    assert f'href="/dossiers/{dossier.pk}/renvoyer/"' not in content


def test_detail_actions_owner_submitted(client, owner, dossier):
    Dossier.objects.filter(pk=dossier.pk).update(state=DossierState.AWAITING_ASSESSMENT)
    client.force_login(owner)
    content = client.get(f"/dossiers/{dossier.pk}/").content.decode()
    assert "Reprendre la saisie" not in content
    assert "Avant de soumettre" not in content
    assert f'action="/dossiers/{dossier.pk}/dupliquer/"' in content
    assert f'href="/dossiers/{dossier.pk}/supprimer/"' not in content
    assert f'href="/dossiers/{dossier.pk}/renvoyer/"' not in content


@pytest.mark.parametrize("role", ["assigned_assessor", "secretariat"])
def test_detail_actions_reader_submitted(client, dossier, assigned_assessor, secretariat, role):
    Dossier.objects.filter(pk=dossier.pk).update(state=DossierState.AWAITING_ASSESSMENT)
    client.force_login(assigned_assessor if role == "assigned_assessor" else secretariat)
    content = client.get(f"/dossiers/{dossier.pk}/").content.decode()
    assert "Reprendre la saisie" not in content
    assert f'action="/dossiers/{dossier.pk}/dupliquer/"' not in content
    assert f'href="/dossiers/{dossier.pk}/supprimer/"' not in content
    assert f'href="/dossiers/{dossier.pk}/renvoyer/"' in content


def test_delete_confirmation_page(client, dossier, owner):
    client.force_login(owner)
    response = client.get(f"/dossiers/{dossier.pk}/supprimer/")
    text = _text(response)
    assert response.status_code == 200
    assert f"Supprimer le dossier {dossier.number} ?" in text
    assert (
        f"Le dossier de {dossier.candidate.full_name} et ses pièces jointes seront "
        "définitivement supprimés. Cette action est irréversible."
    ) in text
    assert Dossier.objects.filter(pk=dossier.pk).exists()


def test_delete_post_removes_dossier_candidate_and_files(
    client, dossier, owner, django_capture_on_commit_callbacks
):
    attachment = AttachmentFactory(dossier=dossier)
    storage, name = attachment.file.storage, attachment.file.name
    candidate_pk = dossier.candidate_id
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/dossiers/{dossier.pk}/supprimer/")
    assert response.status_code == 302
    assert response["Location"] == "/dossiers/"
    assert _messages(response) == [f"Dossier {dossier.number} supprimé."]
    assert not Dossier.objects.filter(pk=dossier.pk).exists()
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert not Candidate.objects.filter(pk=candidate_pk).exists()
    assert not storage.exists(name)


def test_delete_keeps_candidate_of_another_dossier(client, dossier, owner):
    other = DossierFactory(
        establishment=dossier.establishment, candidate=dossier.candidate, validated=True
    )
    client.force_login(owner)
    client.post(f"/dossiers/{dossier.pk}/supprimer/")
    assert not Dossier.objects.filter(pk=dossier.pk).exists()
    other.refresh_from_db()
    assert other.candidate_id == dossier.candidate_id


def test_duplicate_creates_copy_and_redirects_into_wizard(client, owner):
    dossier = DossierFactory(
        awaiting_assessment=True, provider=TrainingProviderFactory(), option=None
    )
    AttachmentFactory(dossier=dossier)
    user = _employer_of(dossier.establishment)
    client.force_login(user)
    response = client.post(f"/dossiers/{dossier.pk}/dupliquer/")
    copy = Dossier.objects.get(origin=dossier)
    assert response.status_code == 302
    assert response["Location"] == f"/dossiers/{copy.pk}/etape/evaluateur/"
    assert _messages(response) == [
        f"Dossier {copy.number} créé à partir de {dossier.number} : vérifiez chaque étape "
        "puis confirmez l'évaluateur."
    ]
    assert copy.number != dossier.number
    assert copy.state == DossierState.REGISTERING
    assert (
        copy.establishment_id,
        copy.candidate_id,
        copy.certification_id,
        copy.option_id,
        copy.training_scheme_id,
        copy.provider_id,
        copy.assessor_id,
    ) == (
        dossier.establishment_id,
        dossier.candidate_id,
        dossier.certification_id,
        dossier.option_id,
        dossier.training_scheme_id,
        dossier.provider_id,
        dossier.assessor_id,
    )
    assert copy.assessor_confirmed_at is None
    assert copy.submitted_at is None
    assert copy.created_by == user
    assert list(copy.attachments.all()) == []
    row = DossierTransition.objects.get(dossier=copy)
    assert (row.source, row.target, row.transition, row.actor, row.reason) == (
        "",
        DossierState.REGISTERING,
        Transition.CREATE,
        user,
        f"Copie du dossier {dossier.number}",
    )
    dossier.refresh_from_db()
    assert dossier.state == DossierState.AWAITING_ASSESSMENT


def test_duplicate_declared_diploma_resumes_at_diplomas(client, owner, dossier):
    dossier.candidate.declares_diploma = True
    dossier.candidate.save()
    AttachmentFactory(dossier=dossier)
    client.force_login(owner)
    response = client.post(f"/dossiers/{dossier.pk}/dupliquer/")
    copy = Dossier.objects.get(origin=dossier)
    assert response["Location"] == f"/dossiers/{copy.pk}/etape/{WizardStep.DIPLOMAS}/"


def test_return_form_page(client, submitted, assigned_assessor):
    client.force_login(assigned_assessor)
    response = client.get(f"/dossiers/{submitted.pk}/renvoyer/")
    text = _text(response)
    assert response.status_code == 200
    assert f"Renvoyer le dossier {submitted.number} à l'employeur" in text
    assert "Motif (transmis à l'employeur)" in text


def test_return_with_reason_by_assigned_assessor(
    client, submitted, owner, assigned_assessor, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    client.force_login(assigned_assessor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/dossiers/{submitted.pk}/renvoyer/", {"reason": "  Diplôme illisible.  "}
        )
    assert response.status_code == 302
    assert response["Location"] == f"/dossiers/{submitted.pk}/"
    assert _messages(response) == [RETURN_DONE]
    submitted.refresh_from_db()
    assert submitted.state == DossierState.REGISTERING
    assert submitted.assessor_confirmed_at is None
    row = DossierTransition.objects.get(
        dossier=submitted, transition=Transition.RETURN_FOR_COMPLETION
    )
    assert (row.source, row.target, row.actor, row.reason) == (
        DossierState.AWAITING_ASSESSMENT,
        DossierState.REGISTERING,
        assigned_assessor,
        "Diplôme illisible.",
    )
    assert [(m.to, m.subject) for m in mailoutbox] == [
        ([owner.email], f"[e-Certif] Dossier {submitted.number} à compléter")
    ]


@pytest.mark.parametrize("reason", ["", "   "])
def test_return_without_reason_refused(client, submitted, assigned_assessor, reason):
    client.force_login(assigned_assessor)
    response = client.post(f"/dossiers/{submitted.pk}/renvoyer/", {"reason": reason})
    assert response.status_code == 200
    assert response.context["form"].errors == {"reason": [REASON_REQUIRED]}
    assert REASON_REQUIRED in _text(response)
    submitted.refresh_from_db()
    assert submitted.state == DossierState.AWAITING_ASSESSMENT
    assert not DossierTransition.objects.filter(
        dossier=submitted, transition=Transition.RETURN_FOR_COMPLETION
    ).exists()


def test_return_by_secretariat(client, submitted, secretariat):
    client.force_login(secretariat)
    response = client.post(f"/dossiers/{submitted.pk}/renvoyer/", {"reason": "Pièce manquante"})
    assert response["Location"] == f"/dossiers/{submitted.pk}/"
    assert _messages(response) == [RETURN_DONE]
    submitted.refresh_from_db()
    assert submitted.state == DossierState.REGISTERING


def test_return_by_assessor_after_secretariat_returned_told_already_moved(
    client, submitted, assigned_assessor, secretariat
):
    services.dossier_return_for_completion(
        dossier=submitted, by=secretariat, reason="Pièce manquante"
    )
    client.force_login(assigned_assessor)
    response = client.post(f"/dossiers/{submitted.pk}/renvoyer/", {"reason": "Autre motif"})
    assert response.status_code == 302
    assert _messages(response) == [ALREADY_MOVED]


def test_return_already_returned_by_someone_else_told_already_moved(
    client, submitted, assigned_assessor, secretariat
):
    services.dossier_return_for_completion(
        dossier=submitted, by=assigned_assessor, reason="Pièce manquante"
    )
    client.force_login(secretariat)
    response = client.post(f"/dossiers/{submitted.pk}/renvoyer/", {"reason": "Autre motif"})
    assert response.status_code == 302
    assert response["Location"] == f"/dossiers/{submitted.pk}/"
    assert _messages(response) == [ALREADY_MOVED]


def test_list_filter_by_jury_session(employer_client):
    session = JurySessionFactory(open=True)
    registered = DossierFactory(awaiting_jury=True, establishment=employer_client.establishment)
    DossierFactory(awaiting_jury=True, establishment=employer_client.establishment)
    SessionRegistration.objects.create(
        session=session, dossier=registered, registered_by=employer_client.user
    )
    response = employer_client.get(LIST_URL, {"session": session.pk})
    assert [d.number for d in response.context["page_obj"].object_list] == [registered.number]
