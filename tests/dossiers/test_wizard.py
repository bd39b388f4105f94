"""The employer's creation flow through the views: steps, validation, resume, uploads, download."""

import datetime
import hashlib
import html
import io
import re
from pathlib import Path

import pypdf
import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from dossiers.enums import AttachmentKind, DossierState, Transition
from dossiers.models import Attachment, Candidate, Dossier, DossierTransition, TrainingProvider
from ecertif.notifications.models import Notification
from tests.factories.accounts import EmployerFactory, MembershipFactory, UserFactory
from tests.factories.dossiers import (
    MINIMAL_PDF,
    AttachmentFactory,
    DossierFactory,
    TrainingProviderFactory,
)
from tests.factories.evaluations import AccreditationFactory, AssessorFactory
from tests.factories.referentiel import (
    CertificationFactory,
    CertificationOptionFactory,
    TrainingSchemeFactory,
)

pytestmark = pytest.mark.django_db

CREATE_URL = "/dossiers/nouveau/"
REQUIRED = "Ce champ est obligatoire."
SAVED_FOR_LATER = "Saisie enregistrée : vous pourrez la reprendre plus tard."
UPLOAD_OK = "Pièce ajoutée au dossier."
CANDIDATE = {
    "civility": "m",
    "birth_name": "Lefebvre",
    "usage_name": "",
    "first_names": "Hugo Marc",
    "birth_date": "1990-03-14",
    "birth_place": "Ajaccio",
    "birth_place_code": "2A004",
    "email": "hugo.lefebvre@exemple.fr",
    "phone": "06 11 22 33 44",
    "address": "12 rue Pasteur",
    "postcode": "69007",
    "city": "Lyon",
    "highest_diploma_level": "3",
    "position_held": "Conducteur d'équipements",
    "company_entry_date": "2018-01-08",
}


def _step(dossier, slug):
    return f"/dossiers/{dossier.pk}/etape/{slug}/"


def _text(response):
    return html.unescape(response.content.decode())


def _messages(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def _media_files():
    root = Path(settings.MEDIA_ROOT)
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


def _pdf_bytes(*, password=None):
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if password:
        writer.encrypt(password)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _image_bytes(image_format):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, image_format)
    return buffer.getvalue()


def _employer_of(establishment):
    user = UserFactory()
    MembershipFactory(user=user, establishment=establishment)
    return user


def _assessor(last_name, *certifications, valid_from=None, valid_until=None):
    assessor = AssessorFactory(user__first_name="Claire", user__last_name=last_name)
    extra = {}
    if valid_from is not None:
        extra["valid_from"] = valid_from
    if valid_until is not None:
        extra["valid_until"] = valid_until
    AccreditationFactory(assessor=assessor, certifications=list(certifications), **extra)
    return assessor


def _choice_label(assessor):
    return (
        f"{assessor.user.get_full_name()} — {assessor.organisation} "
        f"(habilitation {assessor.accreditation_number})"
    )


@pytest.fixture
def certification(db):
    return CertificationFactory(label="Responsable de secteur industriel")


@pytest.fixture
def option(certification):
    CertificationOptionFactory(certification=certification, label="Logistique")
    return CertificationOptionFactory(certification=certification, label="Production")


@pytest.fixture
def scheme(db):
    return TrainingSchemeFactory(label="Contrat de professionnalisation")


@pytest.fixture
def assessors(certification):
    """The accredited assessor, and three who must not be offered."""
    today = timezone.localdate()
    return {
        "accredited": _assessor("Valide", certification),
        "expired": _assessor(
            "Expiree",
            certification,
            valid_from=today - datetime.timedelta(days=730),
            valid_until=today - datetime.timedelta(days=1),
        ),
        "not_yet": _assessor(
            "Future",
            certification,
            valid_from=today + datetime.timedelta(days=1),
            valid_until=today + datetime.timedelta(days=365),
        ),
        "other_certification": _assessor("Autre", CertificationFactory()),
    }


@pytest.fixture
def employer(db):
    return EmployerFactory()


@pytest.fixture
def employer_client(client, employer):
    client.force_login(employer)
    return client


@pytest.fixture
def draft(employer, certification):
    """A dossier just created by the employer, nothing else filled."""
    return DossierFactory(
        establishment=employer.membership.establishment,
        certification=certification,
        candidate=None,
        training_scheme=None,
        assessor=None,
        assessor_confirmed_at=None,
    )


@pytest.fixture
def at_diplomas(employer, certification):
    """A dossier whose candidate declares a diploma: the upload step is next."""
    dossier = DossierFactory(
        establishment=employer.membership.establishment,
        certification=certification,
        assessor_confirmed_at=None,
    )
    dossier.candidate.declares_diploma = True
    dossier.candidate.save()
    return dossier


# --- The whole walk -------------------------------------------------------------------------


def test_wizard_walk_from_creation_to_submission(
    employer_client,
    employer,
    certification,
    option,
    scheme,
    assessors,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    establishment = employer.membership.establishment
    accredited = assessors["accredited"]

    # 1. Certification and option.
    response = employer_client.get(CREATE_URL)
    assert response.status_code == 200
    assert f'<option value="{certification.pk}">' in response.content.decode()
    response = employer_client.post(
        CREATE_URL, {"certification": certification.pk, "option": option.pk}
    )
    dossier = Dossier.objects.get(establishment=establishment)
    assert response.status_code == 302
    assert response["Location"] == _step(dossier, "dispositif")
    assert _messages(response) == [
        f"Dossier {dossier.number} créé. Étape suivante : le dispositif."
    ]
    assert (dossier.certification, dossier.option, dossier.created_by) == (
        certification,
        option,
        employer,
    )

    # 2. Training scheme.
    assert employer_client.get(_step(dossier, "dispositif")).status_code == 200
    response = employer_client.post(
        _step(dossier, "dispositif"), {"training_scheme": scheme.pk, "next": ""}
    )
    assert response["Location"] == _step(dossier, "candidat")

    # 3. Candidate, who declares a diploma.
    assert employer_client.get(_step(dossier, "candidat")).status_code == 200
    response = employer_client.post(
        _step(dossier, "candidat"), {**CANDIDATE, "declares_diploma": "on", "next": ""}
    )
    assert response["Location"] == _step(dossier, "diplomes")
    candidate = Candidate.objects.get(dossiers=dossier)
    assert (
        candidate.establishment,
        candidate.civility,
        candidate.birth_name,
        candidate.first_names,
        candidate.birth_date,
        candidate.birth_place_code,
        candidate.declares_diploma,
    ) == (establishment, "m", "Lefebvre", "Hugo Marc", datetime.date(1990, 3, 14), "2A004", True)

    # 4. Diploma: a real PDF upload.
    response = employer_client.get(_step(dossier, "diplomes"))
    assert "Le candidat a déclaré un diplôme : joignez-en la copie" in _text(response)
    pdf = _pdf_bytes()
    response = employer_client.post(
        _step(dossier, "diplomes"),
        {
            "kind": AttachmentKind.DIPLOMA,
            "label": "CAP Industries chimiques",
            "file": SimpleUploadedFile("diplôme CAP.pdf", pdf, content_type="text/plain"),
            "upload": "",
        },
    )
    assert response["Location"] == _step(dossier, "diplomes")
    assert _messages(response) == [UPLOAD_OK]
    attachment = Attachment.objects.get(dossier=dossier)
    assert (
        attachment.kind,
        attachment.label,
        attachment.original_name,
        attachment.content_type,
        attachment.size,
        attachment.sha256,
        attachment.uploaded_by,
    ) == (
        AttachmentKind.DIPLOMA,
        "CAP Industries chimiques",
        "diplôme CAP.pdf",
        "application/pdf",
        len(pdf),
        hashlib.sha256(pdf).hexdigest(),
        employer,
    )
    today = timezone.localdate()
    assert re.fullmatch(rf"prive/{today:%Y}/{today:%m}/[0-9a-f]{{32}}\.pdf", attachment.file.name)
    assert _media_files() == [attachment.file.name]
    assert (Path(settings.MEDIA_ROOT) / attachment.file.name).read_bytes() == pdf
    response = employer_client.get(_step(dossier, "diplomes"))
    assert "CAP Industries chimiques" in _text(response)
    response = employer_client.post(_step(dossier, "diplomes"), {"continue": ""})
    assert response["Location"] == _step(dossier, "organisme")

    # 5. Provider: none first, then a new one.
    assert employer_client.get(_step(dossier, "organisme")).status_code == 200
    response = employer_client.post(
        _step(dossier, "organisme"), {"mode": "choose", "provider": "", "next": ""}
    )
    assert response["Location"] == _step(dossier, "evaluateur")
    dossier.refresh_from_db()
    assert dossier.provider is None
    response = employer_client.post(
        _step(dossier, "organisme"),
        {
            "mode": "new",
            "nouveau-name": "Chimie Formation",
            "nouveau-city": "Villeurbanne",
            "nouveau-siret": "73282932000074",
            "nouveau-nda_number": "84691234569",
        },
    )
    assert response["Location"] == _step(dossier, "evaluateur")
    provider = TrainingProvider.objects.get()
    assert (provider.name, provider.city, provider.siret, provider.nda_number) == (
        "Chimie Formation",
        "Villeurbanne",
        "73282932000074",
        "84691234569",
    )
    dossier.refresh_from_db()
    assert dossier.provider == provider

    # 6. Assessor: only those accredited today for this certification are offered.
    response = employer_client.get(_step(dossier, "evaluateur"))
    text = _text(response)
    assert list(response.context["form"].fields["assessor"].queryset) == [accredited]
    assert _choice_label(accredited) in text
    for name in ("expired", "not_yet", "other_certification"):
        assert assessors[name].accreditation_number not in text
    response = employer_client.post(
        _step(dossier, "evaluateur"), {"assessor": accredited.pk, "confirm": "on", "next": ""}
    )
    assert response["Location"] == _step(dossier, "recapitulatif")
    dossier.refresh_from_db()
    assert dossier.assessor == accredited
    assert dossier.assessor_confirmed_at is not None

    # 7. Review and submit.
    response = employer_client.get(_step(dossier, "recapitulatif"))
    text = _text(response)
    assert response.context["missing"] == []
    assert f'<form method="post" action="/dossiers/{dossier.pk}/soumettre/">' in text
    assert "Soumettre le dossier à l'évaluateur" in text
    assert "Chimie Formation — Villeurbanne" in text
    assert "diplôme CAP.pdf" in text
    with django_capture_on_commit_callbacks(execute=True):
        response = employer_client.post(f"/dossiers/{dossier.pk}/soumettre/")
    assert response.status_code == 302
    assert response["Location"] == f"/dossiers/{dossier.pk}/"
    assert _messages(response) == [
        f"Dossier {dossier.number} soumis : il est en attente d'évaluation et l'évaluateur "
        "a été prévenu."
    ]

    dossier.refresh_from_db()
    assert dossier.state == DossierState.AWAITING_ASSESSMENT
    assert dossier.submitted_at is not None
    rows = list(
        DossierTransition.objects.filter(dossier=dossier).values_list(
            "source", "target", "transition", "actor"
        )
    )
    assert rows == [
        ("", DossierState.REGISTERING, Transition.CREATE, employer.pk),
        (
            DossierState.REGISTERING,
            DossierState.AWAITING_ASSESSMENT,
            Transition.SUBMIT,
            employer.pk,
        ),
    ]
    assessor_user = accredited.user
    assert [(m.to, m.subject) for m in mailoutbox] == [
        ([assessor_user.email], f"[e-Certif] Nouveau dossier à évaluer : {dossier.number}")
    ]
    assert f"{settings.SITE_URL}/dossiers/{dossier.pk}/" in mailoutbox[0].body
    notification = Notification.objects.get(recipient=assessor_user)
    assert notification.link == f"/dossiers/{dossier.pk}/"
    assert notification.text == (
        f"Nouveau dossier à évaluer : {dossier.number} — LEFEBVRE Hugo Marc"
    )

    # The assessor follows the link and reads the dossier; the employer can no longer edit it.
    employer_client.force_login(assessor_user)
    response = employer_client.get(notification.link)
    assert response.status_code == 200
    assert response.context["dossier"] == dossier


# --- Certification step ---------------------------------------------------------------------


def test_create_certification_with_options_requires_option(
    employer_client, employer, certification, option
):
    response = employer_client.post(CREATE_URL, {"certification": certification.pk})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "option": ["Cette certification exige de choisir une option."]
    }
    assert "Cette certification exige de choisir une option." in _text(response)
    assert "Corrigez les champs signalés ci-dessous." in _text(response)
    assert not Dossier.objects.exists()


def test_create_option_of_another_certification_refused(employer_client, certification, option):
    other = CertificationFactory()
    response = employer_client.post(CREATE_URL, {"certification": other.pk, "option": option.pk})
    assert response.context["form"].errors == {
        "option": ["Cette option n'appartient pas à la certification choisie."]
    }
    assert not Dossier.objects.exists()


def test_create_certification_required(employer_client):
    response = employer_client.post(CREATE_URL, {"certification": "", "option": ""})
    assert response.context["form"].errors == {"certification": [REQUIRED]}
    assert not Dossier.objects.exists()


def test_create_inactive_certification_refused(employer_client):
    inactive = CertificationFactory(active=False)
    response = employer_client.post(CREATE_URL, {"certification": inactive.pk})
    assert response.context["form"].errors == {
        "certification": ["Choisissez une certification de la liste."]
    }
    assert not Dossier.objects.exists()


def test_create_without_options_needs_no_option(employer_client, employer):
    certification = CertificationFactory()
    response = employer_client.post(CREATE_URL, {"certification": certification.pk})
    dossier = Dossier.objects.get()
    assert response["Location"] == _step(dossier, "dispositif")
    assert dossier.option is None
    row = DossierTransition.objects.get(dossier=dossier)
    assert (row.transition, row.actor, row.source, row.target) == (
        Transition.CREATE,
        employer,
        "",
        DossierState.REGISTERING,
    )


def test_step_certification_change_unconfirms_assessor(client, dossier, owner):
    other = CertificationFactory()
    client.force_login(owner)
    response = client.post(_step(dossier, "certification"), {"certification": other.pk})
    assert response["Location"] == _step(dossier, "dispositif")
    dossier.refresh_from_db()
    assert dossier.certification == other
    assert dossier.assessor_confirmed_at is None


# --- Candidate step -------------------------------------------------------------------------


def _today():
    return timezone.localdate()


CANDIDATE_ERRORS = [
    (
        "birth_date",
        lambda: _today() + datetime.timedelta(days=1),
        "La date de naissance doit être dans le passé.",
    ),
    ("birth_date", _today, "La date de naissance doit être dans le passé."),
    (
        "birth_date",
        lambda: _today().replace(year=_today().year - 16) + datetime.timedelta(days=1),
        "Le candidat doit avoir au moins 16 ans.",
    ),
    (
        "birth_date",
        lambda: datetime.date(_today().year - 81, 12, 31),
        "Vérifiez la date de naissance : elle semble erronée.",
    ),
    ("birth_date", lambda: "31/02/1990", "Saisissez une date valide."),
    ("birth_date", lambda: "", REQUIRED),
    (
        "birth_place_code",
        lambda: "ABCDE",
        "Saisissez le code postal ou le code INSEE de la commune de naissance (5 caractères).",
    ),
    (
        "birth_place_code",
        lambda: "2C004",
        "Saisissez le code postal ou le code INSEE de la commune de naissance (5 caractères).",
    ),
    ("postcode", lambda: "6900A", "Le code postal doit comporter 5 chiffres."),
    ("postcode", lambda: "6900", "Le code postal doit comporter 5 chiffres."),
    (
        "phone",
        lambda: "12 34",
        "Saisissez un numéro de téléphone valide (10 chiffres, par exemple 01 23 45 67 89).",
    ),
    ("email", lambda: "hugo@", "Saisissez une adresse électronique valide."),
    (
        "company_entry_date",
        lambda: _today() + datetime.timedelta(days=1),
        "La date d'entrée dans l'entreprise ne peut être future.",
    ),
    ("civility", lambda: "", REQUIRED),
    ("birth_name", lambda: "", REQUIRED),
    ("first_names", lambda: "", REQUIRED),
    ("birth_place", lambda: "", REQUIRED),
    ("address", lambda: "", REQUIRED),
    ("city", lambda: "", REQUIRED),
    ("highest_diploma_level", lambda: "", REQUIRED),
    ("position_held", lambda: "", REQUIRED),
]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    CANDIDATE_ERRORS,
    ids=[f"{field}-{message[:30]}" for field, _, message in CANDIDATE_ERRORS],
)
def test_candidate_step_error(employer_client, draft, field, value, message):
    value = value()
    if isinstance(value, datetime.date):
        value = value.isoformat()
    response = employer_client.post(_step(draft, "candidat"), {**CANDIDATE, field: value})
    assert response.status_code == 200
    assert response.context["form"].errors == {field: [message]}
    assert message in _text(response)
    assert not Candidate.objects.exists()
    draft.refresh_from_db()
    assert draft.candidate is None


def test_candidate_step_sixteen_today_accepted(employer_client, draft):
    sixteen = _today().replace(year=_today().year - 16)
    response = employer_client.post(
        _step(draft, "candidat"), {**CANDIDATE, "birth_date": sixteen.isoformat()}
    )
    assert response["Location"] == _step(draft, "diplomes")
    draft.refresh_from_db()
    assert draft.candidate.birth_date == sixteen


def test_candidate_step_updates_existing_candidate(client, dossier, owner):
    candidate_pk = dossier.candidate_id
    client.force_login(owner)
    client.post(_step(dossier, "candidat"), {**CANDIDATE, "birth_name": "  Morel  "})
    dossier.refresh_from_db()
    assert dossier.candidate_id == candidate_pk
    assert dossier.candidate.birth_name == "Morel"
    assert Candidate.objects.count() == 1


# --- Provider step --------------------------------------------------------------------------


def test_provider_step_choose_existing(employer_client, draft):
    provider = TrainingProviderFactory()
    response = employer_client.post(
        _step(draft, "organisme"), {"mode": "choose", "provider": provider.pk}
    )
    assert response["Location"] == _step(draft, "evaluateur")
    draft.refresh_from_db()
    assert draft.provider == provider


def test_provider_step_create_siret_with_spaces_accepted(employer_client, draft):
    response = employer_client.post(
        _step(draft, "organisme"),
        {
            "mode": "new",
            "nouveau-name": "Chimie Formation",
            "nouveau-city": "Villeurbanne",
            "nouveau-siret": "732 829 320 00074",
        },
    )
    assert response.status_code == 302
    assert TrainingProvider.objects.get().siret == "73282932000074"


def test_provider_step_create_duplicate_siret_refused(employer_client, draft):
    TrainingProviderFactory(siret="73282932000074")
    response = employer_client.post(
        _step(draft, "organisme"),
        {
            "mode": "new",
            "nouveau-name": "Doublon",
            "nouveau-city": "Lyon",
            "nouveau-siret": "73282932000074",
        },
    )
    assert response.status_code == 200
    assert response.context["create"].errors == {
        "siret": ["Cet organisme existe déjà : choisissez-le dans la liste ci-dessus."]
    }
    assert TrainingProvider.objects.count() == 1


def test_provider_step_create_bad_nda_refused(employer_client, draft):
    response = employer_client.post(
        _step(draft, "organisme"),
        {"mode": "new", "nouveau-name": "Org", "nouveau-city": "Lyon", "nouveau-nda_number": "12"},
    )
    assert response.context["create"].errors == {
        "nda_number": ["Le numéro de déclaration d'activité comporte 11 chiffres."]
    }
    assert "Le numéro de déclaration d'activité comporte 11 chiffres." in _text(response)
    assert not TrainingProvider.objects.exists()


# --- Assessor step --------------------------------------------------------------------------


def test_assessor_step_lists_only_accredited_today(employer_client, draft, assessors):
    # Expired for this certification but valid for another one: still not offered.
    stale = assessors["expired"]
    AccreditationFactory(assessor=stale, certifications=[CertificationFactory()])
    response = employer_client.get(_step(draft, "evaluateur"))
    text = _text(response)
    assert list(response.context["form"].fields["assessor"].queryset) == [assessors["accredited"]]
    assert _choice_label(assessors["accredited"]) in text
    for name in ("expired", "not_yet", "other_certification"):
        assert assessors[name].user.last_name not in text


def test_assessor_step_confirmation_required(employer_client, draft, assessors):
    response = employer_client.post(
        _step(draft, "evaluateur"), {"assessor": assessors["accredited"].pk}
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "confirm": ["Cochez la confirmation pour continuer."]
    }
    assert "Cochez la confirmation pour continuer." in _text(response)
    draft.refresh_from_db()
    assert (draft.assessor, draft.assessor_confirmed_at) == (None, None)


@pytest.mark.parametrize("name", ["expired", "not_yet", "other_certification"])
def test_assessor_step_unaccredited_choice_refused(employer_client, draft, assessors, name):
    response = employer_client.post(
        _step(draft, "evaluateur"), {"assessor": assessors[name].pk, "confirm": "on"}
    )
    assert response.context["form"].errors == {
        "assessor": ["Cet évaluateur n'est pas habilité pour cette certification."]
    }
    draft.refresh_from_db()
    assert draft.assessor is None


def test_assessor_step_choice_required(employer_client, draft, assessors):
    response = employer_client.post(_step(draft, "evaluateur"), {"confirm": "on"})
    assert response.context["form"].errors == {"assessor": ["Choisissez l'évaluateur habilité."]}


def test_assessor_step_none_accredited_empty_state(employer_client, draft):
    text = _text(employer_client.get(_step(draft, "evaluateur")))
    assert (
        "Aucun évaluateur n'est habilité aujourd'hui pour cette certification. "
        "Contactez le secrétariat des CQP (opic@uic.fr)."
    ) in text
    assert 'name="confirm"' not in text


# --- Review and submit ----------------------------------------------------------------------


def test_review_incomplete_lists_missing_without_submit_button(employer_client, draft):
    response = employer_client.get(_step(draft, "recapitulatif"))
    text = _text(response)
    assert response.context["missing"] == [
        "Choisissez le dispositif de formation.",
        "Renseignez l'état civil du candidat.",
        "Choisissez l'évaluateur habilité CPNE.",
    ]
    assert "Le dossier ne peut pas encore être soumis :" in text
    assert "/soumettre/" not in text


def test_submit_incomplete_redirects_to_review_with_messages(employer_client, draft):
    response = employer_client.post(f"/dossiers/{draft.pk}/soumettre/")
    assert response["Location"] == _step(draft, "recapitulatif")
    assert _messages(response) == [
        "Choisissez le dispositif de formation.",
        "Renseignez l'état civil du candidat.",
        "Choisissez l'évaluateur habilité CPNE.",
    ]
    draft.refresh_from_db()
    assert draft.state == DossierState.REGISTERING


# --- Save and resume later ------------------------------------------------------------------


def _resume_link(client, dossier):
    content = client.get(f"/dossiers/{dossier.pk}/").content.decode()
    links = re.findall(
        r'<a class="btn btn-primary" href="([^"]+)"><i class="bi bi-pencil" aria-hidden="true">'
        r"</i> Reprendre la saisie</a>",
        content,
    )
    assert len(links) == 1
    return links[0]


def test_save_and_quit_redirects_to_detail(employer_client, draft, scheme):
    response = employer_client.post(
        _step(draft, "dispositif"), {"training_scheme": scheme.pk, "save_and_quit": ""}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/dossiers/{draft.pk}/"
    assert _messages(response) == [SAVED_FOR_LATER]
    draft.refresh_from_db()
    assert draft.training_scheme == scheme


def test_save_and_quit_invalid_form_stays_on_step(employer_client, draft):
    response = employer_client.post(
        _step(draft, "candidat"), {**CANDIDATE, "postcode": "", "save_and_quit": ""}
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"postcode": [REQUIRED]}


def test_resume_link_follows_progress(
    employer_client, draft, scheme, assessors, django_capture_on_commit_callbacks
):
    assert _resume_link(employer_client, draft) == _step(draft, "dispositif")

    employer_client.post(
        _step(draft, "dispositif"), {"training_scheme": scheme.pk, "save_and_quit": ""}
    )
    assert _resume_link(employer_client, draft) == _step(draft, "candidat")

    employer_client.post(
        _step(draft, "candidat"), {**CANDIDATE, "declares_diploma": "on", "save_and_quit": ""}
    )
    assert _resume_link(employer_client, draft) == _step(draft, "diplomes")

    employer_client.post(
        _step(draft, "diplomes"),
        {
            "kind": AttachmentKind.DIPLOMA,
            "label": "CAP",
            "file": SimpleUploadedFile("cap.pdf", _pdf_bytes()),
        },
    )
    assert _resume_link(employer_client, draft) == _step(draft, "evaluateur")

    employer_client.post(
        _step(draft, "evaluateur"),
        {"assessor": assessors["accredited"].pk, "confirm": "on", "save_and_quit": ""},
    )
    assert _resume_link(employer_client, draft) == _step(draft, "recapitulatif")
    text = _text(employer_client.get(f"/dossiers/{draft.pk}/"))
    assert "Le dossier est complet : vous pouvez le soumettre à l'évaluateur." in text


# --- Uploads --------------------------------------------------------------------------------

TEN_MEBIBYTES = 10 * 1024 * 1024
BAD_UPLOADS = {
    "png_renamed_pdf": (
        "diplome.pdf",
        lambda: _image_bytes("PNG"),
        "Le contenu du fichier ne correspond pas à son extension .pdf.",
    ),
    "jpeg_renamed_png": (
        "diplome.png",
        lambda: _image_bytes("JPEG"),
        "Le contenu du fichier ne correspond pas à son extension .png.",
    ),
    "oversize": (
        "gros.pdf",
        lambda: b"%PDF-1.4\n" + b"0" * (TEN_MEBIBYTES + 1 - 9),
        "Le fichier dépasse la taille maximale de 10 Mo (10,1 Mo).",
    ),
    "empty_pdf": ("vide.pdf", lambda: b"", "Le fichier est vide."),
    "empty_png": ("vide.png", lambda: b"", "Le fichier est vide."),
    "corrupt_pdf": (
        "abime.pdf",
        lambda: b"%PDF-1.4\nceci n'est pas un PDF\n%%EOF\n",
        "Le PDF est illisible ou endommagé.",
    ),
    "encrypted_pdf": (
        "protege.pdf",
        lambda: _pdf_bytes(password="secret"),
        "Le PDF est protégé par un mot de passe : envoyez une version non protégée.",
    ),
    "corrupt_png": (
        "abime.png",
        lambda: b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
        "L'image est illisible ou endommagée.",
    ),
    "bad_extension": (
        "diplome.docx",
        lambda: b"PK\x03\x04 un document Word",
        "Format refusé : seuls les fichiers PDF, JPEG et PNG sont acceptés.",
    ),
    "no_extension": (
        "diplome",
        lambda: MINIMAL_PDF,
        "Format refusé : seuls les fichiers PDF, JPEG et PNG sont acceptés.",
    ),
}


@pytest.mark.parametrize("case", list(BAD_UPLOADS))
def test_upload_bad_file_refused_nothing_stored(employer_client, at_diplomas, case):
    name, content, message = BAD_UPLOADS[case]
    response = employer_client.post(
        _step(at_diplomas, "diplomes"),
        {
            "kind": AttachmentKind.DIPLOMA,
            "label": "Diplôme",
            "file": SimpleUploadedFile(name, content(), content_type="application/pdf"),
            "upload": "",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"file": [message]}
    assert message in _text(response)
    assert "Corrigez les champs signalés ci-dessous." in _text(response)
    assert not Attachment.objects.exists()
    assert _media_files() == []


def test_upload_without_file_refused(employer_client, at_diplomas):
    response = employer_client.post(
        _step(at_diplomas, "diplomes"), {"kind": AttachmentKind.DIPLOMA, "label": "Diplôme"}
    )
    assert response.context["form"].errors == {"file": ["Choisissez un fichier."]}
    assert not Attachment.objects.exists()


def test_upload_without_label_refused_nothing_stored(employer_client, at_diplomas):
    response = employer_client.post(
        _step(at_diplomas, "diplomes"),
        {"kind": AttachmentKind.DIPLOMA, "file": SimpleUploadedFile("cap.pdf", _pdf_bytes())},
    )
    assert response.context["form"].errors == {"label": [REQUIRED]}
    assert not Attachment.objects.exists()
    assert _media_files() == []


@pytest.mark.parametrize(
    ("name", "content", "content_type", "extension"),
    [
        ("scan.jpeg", lambda: _image_bytes("JPEG"), "image/jpeg", "jpg"),
        ("scan.JPG", lambda: _image_bytes("JPEG"), "image/jpeg", "jpg"),
        ("scan.png", lambda: _image_bytes("PNG"), "image/png", "png"),
        ("diplome...pdf", _pdf_bytes, "application/pdf", "pdf"),
    ],
)
def test_upload_accepted_formats(
    employer_client, at_diplomas, name, content, content_type, extension
):
    response = employer_client.post(
        _step(at_diplomas, "diplomes"),
        {
            "kind": AttachmentKind.OTHER,
            "label": "Scan",
            "file": SimpleUploadedFile(name, content(), content_type="application/octet-stream"),
        },
    )
    assert response["Location"] == _step(at_diplomas, "diplomes")
    attachment = Attachment.objects.get()
    assert (attachment.original_name, attachment.content_type, attachment.kind) == (
        name,
        content_type,
        AttachmentKind.OTHER,
    )
    assert attachment.file.name.endswith(f".{extension}")
    assert _media_files() == [attachment.file.name]


def _multipart(fields, filename, content):
    """A hand-made multipart body: the test client would strip the directories of `filename`."""
    boundary = "eCertifFrontiere7d3a"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n'
        ).encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


@pytest.mark.parametrize(
    "filename", ["../../../etc/diplome.pdf", "..\\..\\diplome.pdf", "C:\\Users\\rh\\diplome.pdf"]
)
def test_upload_path_in_name_reduced_to_basename(client, at_diplomas, filename):
    client.force_login(_employer_of(at_diplomas.establishment))
    body, content_type = _multipart(
        {"kind": AttachmentKind.DIPLOMA, "label": "CAP"}, filename, _pdf_bytes()
    )
    response = client.generic("POST", _step(at_diplomas, "diplomes"), body, content_type)
    assert response["Location"] == _step(at_diplomas, "diplomes")
    attachment = Attachment.objects.get()
    assert attachment.original_name == "diplome.pdf"
    assert _media_files() == [attachment.file.name]
    assert attachment.file.name.startswith("prive/")


@pytest.mark.parametrize("filename", ["..", "../..", "/"])
def test_upload_name_only_dots_or_slashes_refused(client, at_diplomas, filename):
    client.force_login(_employer_of(at_diplomas.establishment))
    body, content_type = _multipart(
        {"kind": AttachmentKind.DIPLOMA, "label": "CAP"}, filename, MINIMAL_PDF
    )
    response = client.generic("POST", _step(at_diplomas, "diplomes"), body, content_type)
    assert response.status_code == 200
    assert response.context["form"].errors == {"file": ["Choisissez un fichier."]}
    assert not Attachment.objects.exists()
    assert _media_files() == []


def test_upload_after_submission_refused(client):
    dossier = DossierFactory(awaiting_assessment=True)
    client.force_login(_employer_of(dossier.establishment))
    response = client.post(
        _step(dossier, "diplomes"),
        {
            "kind": AttachmentKind.DIPLOMA,
            "label": "CAP",
            "file": SimpleUploadedFile("cap.pdf", _pdf_bytes()),
        },
    )
    assert response["Location"] == f"/dossiers/{dossier.pk}/"
    assert _messages(response) == ["Ce dossier n'est plus modifiable."]
    assert not Attachment.objects.exists()
    assert _media_files() == []


def test_attachment_remove_deletes_row_and_file(
    client, at_diplomas, django_capture_on_commit_callbacks
):
    attachment = AttachmentFactory(dossier=at_diplomas, label="CAP")
    assert _media_files() == [attachment.file.name]
    client.force_login(_employer_of(at_diplomas.establishment))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/dossiers/{at_diplomas.pk}/pieces/{attachment.pk}/retirer/")
    assert response["Location"] == _step(at_diplomas, "diplomes")
    assert _messages(response) == ["Pièce « CAP » retirée du dossier."]
    assert not Attachment.objects.exists()
    assert _media_files() == []


# --- Download -------------------------------------------------------------------------------


def _download(client, attachment):
    response = client.get(f"/dossiers/{attachment.dossier_id}/pieces/{attachment.pk}/")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    response.close()
    return response, body


def test_download_as_attachment_with_original_name(client, dossier, owner):
    attachment = AttachmentFactory(dossier=dossier, original_name="diplome.pdf")
    client.force_login(owner)
    response, body = _download(client, attachment)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="diplome.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert body == MINIMAL_PDF


def test_download_uploaded_file_keeps_accented_name(employer_client, at_diplomas):
    pdf = _pdf_bytes()
    employer_client.post(
        _step(at_diplomas, "diplomes"),
        {
            "kind": AttachmentKind.DIPLOMA,
            "label": "CAP",
            "file": SimpleUploadedFile("diplôme été.pdf", pdf),
        },
    )
    response, body = _download(employer_client, Attachment.objects.get())
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''dipl%C3%B4me%20%C3%A9t%C3%A9.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert body == pdf


def test_download_by_assigned_assessor_after_submission(client):
    dossier = DossierFactory(awaiting_assessment=True)
    attachment = AttachmentFactory(dossier=dossier)
    client.force_login(dossier.assessor.user)
    response, body = _download(client, attachment)
    assert response.status_code == 200
    assert body == MINIMAL_PDF


def test_download_other_employer_404(client, dossier, other_employer):
    attachment = AttachmentFactory(dossier=dossier)
    client.force_login(other_employer)
    response, _ = _download(client, attachment)
    assert response.status_code == 404


def test_download_missing_file_404(client, dossier, owner):
    attachment = AttachmentFactory(dossier=dossier)
    attachment.file.storage.delete(attachment.file.name)
    client.force_login(owner)
    response, _ = _download(client, attachment)
    assert response.status_code == 404
