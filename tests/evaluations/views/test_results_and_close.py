"""The assessor's assessment page and its actions, for every role."""

import datetime
import hashlib

import pytest
from django.utils import timezone

from dossiers.enums import DossierState
from dossiers.exceptions import ALREADY_MOVED
from dossiers.models import Dossier
from dossiers.services import dossier_submit
from ecertif.files.uploads import MESSAGES
from evaluations import services
from evaluations.models import Assessment
from evaluations.services import NO_INVITATION
from tests.evaluations.conftest import invite, pdf_upload
from tests.evaluations.views.helpers import (
    FUTURE_DATE,
    LAST_BEFORE_FIRST,
    _download,
    _messages,
    _page_url,
    _png_named_pdf,
    _rows,
    _stored_files,
    _text,
)
from tests.factories.accounts import MembershipFactory, UserFactory
from tests.factories.dossiers import MINIMAL_PDF, DossierFactory
from tests.factories.referentiel import CertificationFactory

pytestmark = pytest.mark.django_db


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
    with django_assert_num_queries(13):  # + the carried competences (issue #12)
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
    with django_assert_num_queries(10):  # + the carried competences (issue #12)
        response = client.get(_page_url(dossier))
    assert response.status_code == 200
    assert len(response.context["results"]) == competences
