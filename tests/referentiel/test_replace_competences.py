import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape
from openpyxl import Workbook

from referentiel.models import Certification, Competence
from referentiel.services import _protecting_relations, replace_competences
from tests.factories.accounts import EmployerFactory, StaffFactory, UserFactory
from tests.factories.evaluations import evaluated_dossier
from tests.factories.referentiel import CertificationFactory


def url(certification):
    return reverse("admin:referentiel_certification_replace_competences", args=[certification.pk])


def csv_file(text, name="competences.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def xlsx_file(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("competences.xlsx", buffer.getvalue())


def competence_list(certification):
    return list(
        Competence.objects.filter(certification=certification)
        .order_by("number")
        .values_list("number", "label")
    )


@pytest.fixture
def secretariat_client(client):
    client.force_login(StaffFactory())
    return client


@pytest.fixture
def certification():
    certification = CertificationFactory(competences=0)
    for number, label in [(1, "Préparer"), (2, "Conduire"), (3, "Contrôler")]:
        Competence.objects.create(certification=certification, number=number, label=label)
    return certification


def preview(client, certification, upload):
    response = client.post(url(certification), {"file": upload})
    assert response.status_code == 200
    return response


def confirm(client, certification, preview_response):
    payload = preview_response.context["payload"]
    return client.post(url(certification), {"confirm": "1", "payload": payload})


def preview_and_confirm(client, certification, upload):
    response = preview(client, certification, upload)
    return response, confirm(client, certification, response)


@pytest.mark.django_db
def test_change_page_has_replace_button(secretariat_client, certification):
    response = secretariat_client.get(
        reverse("admin:referentiel_certification_change", args=[certification.pk])
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert url(certification) in content
    assert "Remplacer la liste des compétences" in content


@pytest.mark.django_db
def test_replace_adds_changes_removes_exactly_and_marks_official(secretariat_client, certification):
    other = CertificationFactory()
    other_before = competence_list(other)
    upload = csv_file("number,label\n1,Préparer\n2,Conduire l'installation\n4,Maintenir\n")
    previewed = preview(secretariat_client, certification, upload)

    plan = previewed.context["plan"]
    assert plan.added == [(4, "Maintenir")]
    assert [(c.number, label) for c, label in plan.changed] == [(2, "Conduire l'installation")]
    assert [c.number for c in plan.removed] == [3]
    content = previewed.content.decode()
    assert "C4 — Maintenir" in content
    assert "« Conduire » → « Conduire l&#x27;installation »" in content
    assert "C3 — Contrôler" in content
    assert competence_list(certification) == [(1, "Préparer"), (2, "Conduire"), (3, "Contrôler")]

    response = confirm(secretariat_client, certification, previewed)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "admin:referentiel_certification_change", args=[certification.pk]
    )
    assert competence_list(certification) == [
        (1, "Préparer"),
        (2, "Conduire l'installation"),
        (4, "Maintenir"),
    ]
    assert Certification.objects.get(pk=certification.pk).competences_provisional is False
    assert competence_list(other) == other_before
    assert Certification.objects.get(pk=other.pk).competences_provisional is True


@pytest.mark.django_db
def test_replace_from_xlsx_with_certification_column(secretariat_client, certification):
    upload = xlsx_file(
        [
            ["certification", "number", "label"],
            [certification.code, 1, "Préparer"],
            [certification.code, 2, "Conduire"],
            [certification.code, 3, "Contrôler"],
            [certification.code, 5, "Rendre compte"],
        ]
    )
    _, response = preview_and_confirm(secretariat_client, certification, upload)
    assert response.status_code == 302
    assert competence_list(certification)[-1] == (5, "Rendre compte")
    assert len(competence_list(certification)) == 4
    assert Certification.objects.get(pk=certification.pk).competences_provisional is False


@pytest.mark.django_db
def test_protecting_relations_are_results_decisions_and_carried_competences():
    names = sorted(relation.related_model.__name__ for relation in _protecting_relations())
    assert names == ["CarriedCompetence", "CompetenceDecision", "CompetenceResult"]


@pytest.mark.django_db
def test_replace_refused_when_a_removed_competence_is_used(secretariat_client):
    dossier = evaluated_dossier()
    certification = dossier.certification
    Certification.objects.filter(pk=certification.pk).update(competences_provisional=True)
    before = competence_list(certification)
    assert [number for number, _ in before] == [1, 2, 3]
    third = Competence.objects.get(certification=certification, number=3)
    upload = csv_file("number,label\n1,Nouveau 1\n2,Nouveau 2\n")

    preview = secretariat_client.post(url(certification), {"file": upload})
    assert preview.status_code == 200
    content = preview.content.decode()
    assert "Remplacement refusé" in content
    assert escape(str(third)) in content
    assert "Confirmer le remplacement" not in content

    # Even a forged confirmation (the payload of the refused preview) changes nothing.
    response = secretariat_client.post(
        url(certification), {"confirm": "1", "payload": preview.context["payload"]}
    )
    assert response.status_code == 200
    assert "Remplacement refusé" in response.content.decode()
    assert escape(str(third)) in response.content.decode()
    assert competence_list(certification) == before
    assert Certification.objects.get(pk=certification.pk).competences_provisional is True


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "number,label\n1,Préparer\nabc,Conduire\n",
            "Ligne 3, colonne « number » : « abc » n&#x27;est pas un numéro de compétence",
        ),
        (
            "number,label\n1,Préparer\n2,\n",
            "Ligne 3, colonne « label » : l&#x27;intitulé est vide.",
        ),
        (
            "number,label\n1,Préparer\n1,Conduire\n",
            "Ligne 3, colonne « number » : le numéro 1 figure déjà ligne 2.",
        ),
        (
            "certification,number,label\nautre-code,1,Préparer\n",
            "Ligne 2, colonne « certification » : « autre-code » n&#x27;est pas le code",
        ),
        ("numero,label\n1,Préparer\n", "Colonne(s) absente(s) du fichier : « number »."),
    ],
)
def test_bad_row_changes_nothing_with_french_error(
    secretariat_client, certification, text, message
):
    before = competence_list(certification)
    response = secretariat_client.post(url(certification), {"file": csv_file(text)})
    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    assert "payload" not in response.context
    assert "Confirmer le remplacement" not in content
    assert competence_list(certification) == before
    assert Certification.objects.get(pk=certification.pk).competences_provisional is True


@pytest.mark.django_db
def test_wrong_file_type_is_refused_in_french(secretariat_client, certification):
    upload = SimpleUploadedFile("competences.json", b"[]")
    response = secretariat_client.post(url(certification), {"file": upload})
    assert "Le fichier doit être au format xlsx ou csv." in response.content.decode()


@pytest.mark.django_db
def test_tampered_payload_changes_nothing(secretariat_client, certification):
    before = competence_list(certification)
    response = secretariat_client.post(url(certification), {"confirm": "1", "payload": "faux"})
    assert response.status_code == 200
    assert "Confirmation invalide" in response.content.decode()
    assert competence_list(certification) == before


@pytest.mark.django_db
def test_secretariat_reaches_the_page(secretariat_client, certification):
    response = secretariat_client.get(url(certification))
    assert response.status_code == 200
    assert "Fichier (xlsx ou csv)" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("user_factory", [UserFactory, EmployerFactory])
def test_non_staff_roles_are_sent_to_login(client, certification, user_factory):
    client.force_login(user_factory())
    response = client.get(url(certification))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
    response = client.post(url(certification), {"file": csv_file("number,label\n1,X\n")})
    assert response.status_code == 302
    assert competence_list(certification)[0] == (1, "Préparer")


@pytest.mark.django_db
def test_staff_without_referentiel_permissions_is_forbidden(client, certification):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(url(certification)).status_code == 403


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client, certification):
    response = client.get(url(certification))
    assert response.status_code == 302


@pytest.mark.django_db
def test_service_refusal_names_the_used_competence_and_changes_nothing():
    certification = evaluated_dossier().certification
    before = competence_list(certification)
    third = Competence.objects.get(certification=certification, number=3)
    with pytest.raises(ValidationError) as error:
        replace_competences(certification, [(1, "Nouveau 1"), (2, "Nouveau 2"), (4, "Ajoutée")])
    assert error.value.messages == [
        "Remplacement refusé : des dossiers utilisent déjà des compétences absentes du "
        "fichier (résultats d'évaluation, décisions de jury ou compétences capitalisées) : "
        f"{third}. Aucune modification n'a été faite."
    ]
    assert competence_list(certification) == before


@pytest.mark.django_db
def test_damaged_xlsx_is_refused_in_french(secretariat_client, certification):
    upload = SimpleUploadedFile("competences.xlsx", b"pas un classeur")
    response = secretariat_client.post(url(certification), {"file": upload})
    assert response.status_code == 200
    assert "Le fichier est illisible : est-ce bien un fichier xlsx ou csv ?" in (
        response.content.decode()
    )
    assert len(competence_list(certification)) == 3
