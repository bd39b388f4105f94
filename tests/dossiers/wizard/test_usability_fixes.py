"""Smaller defects of issue #12 seen on screen, fixed: entry date before birth, « copie à
joindre » when attached, steps marked done before they were seen, SIRET of zeros, and the « ? »
link of each wizard step."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from dossiers.enums import AttachmentKind, WizardStep
from ecertif.accounts.siret import MESSAGE_CHECKSUM, validate_siret
from tests.dossiers.wizard.helpers import CANDIDATE, _pdf_bytes, _step, _text

pytestmark = pytest.mark.django_db


def test_entry_date_before_fourteenth_birthday_refused(employer_client, draft):
    response = employer_client.post(
        _step(draft, "candidat"),
        {**CANDIDATE, "birth_date": "1990-03-14", "company_entry_date": "1989-05-01"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["company_entry_date"] == [
        "La date d'entrée dans l'entreprise doit suivre la date de naissance d'au moins 14 ans "
        "(le candidat est né le 14/03/1990)."
    ]
    draft.refresh_from_db()
    assert draft.candidate is None


def test_entry_date_after_fourteenth_birthday_accepted(employer_client, draft):
    response = employer_client.post(
        _step(draft, "candidat"),
        {**CANDIDATE, "birth_date": "1990-03-14", "company_entry_date": "2004-03-14"},
    )

    assert response.status_code == 302


def test_summary_says_copy_attached_once_attached(employer_client, draft, scheme):
    employer_client.post(_step(draft, "dispositif"), {"training_scheme": scheme.pk})
    employer_client.post(_step(draft, "candidat"), {**CANDIDATE, "declares_diploma": "on"})
    review = _step(draft, "recapitulatif")
    assert "— copie à joindre" in _text(employer_client.get(review))

    employer_client.post(
        _step(draft, "diplomes"),
        {
            "kind": AttachmentKind.DIPLOMA,
            "label": "CAP",
            "file": SimpleUploadedFile("cap.pdf", _pdf_bytes()),
        },
    )

    text = _text(employer_client.get(review))
    assert "— copie jointe" in text
    assert "copie à joindre" not in text
    assert "— copie jointe" in _text(employer_client.get(f"/dossiers/{draft.pk}/"))


def test_provider_step_not_done_before_it_was_seen(employer_client, draft, scheme):
    employer_client.post(_step(draft, "dispositif"), {"training_scheme": scheme.pk})
    employer_client.post(_step(draft, "candidat"), CANDIDATE)

    steps = dict(employer_client.get(_step(draft, "candidat")).context["steps"])

    assert steps[WizardStep.CANDIDATE] is True
    assert steps[WizardStep.DIPLOMAS] is False
    assert steps[WizardStep.PROVIDER] is False


def test_each_wizard_step_links_to_its_guide_section(employer_client, draft):
    for number, step in enumerate(WizardStep, start=1):
        html = employer_client.get(_step(draft, step.value)).content.decode()
        assert f'href="/aide/creer-une-candidature/#etape-{number}"' in html, step


@pytest.mark.parametrize("siret", ["00000000000000", "000 000 000 00000"])
def test_siret_of_zeros_refused(siret):
    with pytest.raises(ValidationError) as error:
        validate_siret(siret)
    assert error.value.messages == [MESSAGE_CHECKSUM]
