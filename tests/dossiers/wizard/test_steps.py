"""The employer's creation flow through the views: steps, validation, resume, uploads, download."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dossiers.enums import AttachmentKind, DossierState, Transition
from dossiers.models import Candidate, Dossier, DossierTransition, TrainingProvider
from tests.dossiers.wizard.helpers import (
    CANDIDATE,
    CANDIDATE_ERRORS,
    CREATE_URL,
    REQUIRED,
    SAVED_FOR_LATER,
    _choice_label,
    _messages,
    _pdf_bytes,
    _resume_link,
    _step,
    _text,
    _today,
)
from tests.factories.dossiers import (
    TrainingProviderFactory,
)
from tests.factories.evaluations import AccreditationFactory
from tests.factories.referentiel import (
    CertificationFactory,
)

pytestmark = pytest.mark.django_db


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
