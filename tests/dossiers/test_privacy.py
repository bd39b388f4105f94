import datetime
import io
import json
import zipfile

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from dossiers.models import Attachment, Candidate, Dossier
from dossiers.privacy import ANONYMISED, anonymise_candidate, candidate_data, purgeable_candidates
from tests.factories.accounts import StaffFactory
from tests.factories.dossiers import AttachmentFactory, DossierFactory

pytestmark = pytest.mark.django_db


def test_candidate_data_lists_identity_and_dossiers():
    dossier = DossierFactory(validated=True)
    AttachmentFactory(dossier=dossier, label="Bac pro", original_name="bac.pdf")
    data = candidate_data(dossier.candidate)
    assert data["candidat"]["birth_name"] == dossier.candidate.birth_name
    assert data["candidat"]["birth_date"] == "1995-04-12"
    assert [d["numero"] for d in data["dossiers"]] == [dossier.number]
    assert data["dossiers"][0]["statut"] == "Validé"
    assert data["dossiers"][0]["pieces"][0]["fichier"] == "bac.pdf"


def test_admin_exports_candidate_data_as_zip(client):
    dossier = DossierFactory()
    client.force_login(StaffFactory())
    response = client.post(
        reverse("admin:dossiers_candidate_changelist"),
        {"action": "export_personal_data", "_selected_action": [dossier.candidate.pk]},
    )
    assert response.status_code == 200
    name = f"donnees-candidat-{dossier.candidate.pk}.zip"
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        summary = json.loads(archive.read("resume.json"))
    assert summary["candidat"]["first_names"] == "Julie Anne"


def test_purge_anonymises_old_decided_candidates_only(django_capture_on_commit_callbacks):
    old = DossierFactory(validated=True)
    attachment = AttachmentFactory(dossier=old)
    storage, name = attachment.file.storage, attachment.file.name
    Dossier.objects.filter(pk=old.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=365 * 11)
    )
    recent = DossierFactory(validated=True)
    open_old = DossierFactory(awaiting_jury=True)
    Dossier.objects.filter(pk=open_old.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=365 * 11)
    )

    assert list(purgeable_candidates(retention_years=10)) == [old.candidate, open_old.candidate]
    with django_capture_on_commit_callbacks(execute=True):
        anonymise_candidate(old.candidate)

    candidate = Candidate.objects.get(pk=old.candidate_id)
    assert (candidate.birth_name, candidate.first_names, candidate.email) == (
        ANONYMISED,
        ANONYMISED,
        "",
    )
    assert candidate.birth_date == datetime.date(1995, 1, 1)
    assert not Attachment.objects.filter(dossier=old).exists()
    assert not storage.exists(name)
    # The dossier's figures stay for the statistics.
    assert Dossier.objects.get(pk=old.pk).state == "validated"
    assert Candidate.objects.get(pk=recent.candidate_id).birth_name != ANONYMISED


def test_purge_command_dry_run_then_run(capsys):
    old = DossierFactory(not_validated=True)
    Dossier.objects.filter(pk=old.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=365 * 11)
    )
    call_command("purge_personal_data", dry_run=True)
    assert "1 candidat(s) à anonymiser (au-delà de 10 ans)." in capsys.readouterr().out
    assert Candidate.objects.get(pk=old.candidate_id).birth_name != ANONYMISED
    with time_machine.travel(timezone.now(), tick=False):
        call_command("purge_personal_data")
    assert "1 candidat(s) anonymisé(s)" in capsys.readouterr().out
    assert Candidate.objects.get(pk=old.candidate_id).birth_name == ANONYMISED
