"""The employer's creation flow through the views: steps, validation, resume, uploads, download."""

import datetime
import hashlib
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dossiers.enums import AttachmentKind, DossierState, Transition
from dossiers.models import Attachment, Candidate, Dossier, DossierTransition, TrainingProvider
from ecertif.notifications.models import Notification
from tests.dossiers.wizard.helpers import (
    CANDIDATE,
    CREATE_URL,
    UPLOAD_OK,
    _choice_label,
    _media_files,
    _messages,
    _pdf_bytes,
    _step,
    _text,
)

pytestmark = pytest.mark.django_db


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
