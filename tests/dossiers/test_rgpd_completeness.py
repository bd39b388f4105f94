"""RGPD: the Art. 15 ZIP holds every field of every linked model, anonymisation covers the
outbox and the bells, keeps a holder's record, runs once; deactivated users receive nothing."""

import io
import json
import zipfile

import pytest
from django.core.management import call_command

from demo.demo import seed_demo
from dossiers.access_export import SECRET_FIELDS, candidate_zip, linked_relations
from dossiers.enums import DossierState
from dossiers.models import Candidate, Dossier
from dossiers.privacy import ANONYMISED, ERASED_TEXT, anonymise_candidate
from ecertif.mail.models import OutboxEmail
from ecertif.mail.services import queue_raw_email
from ecertif.notifications.models import Notification
from ecertif.notifications.services import notify, notify_by_mail_too
from jurys.models import IssuedDocument
from tests.factories.accounts import UserFactory
from tests.factories.dossiers import AttachmentFactory, DossierFactory

pytestmark = pytest.mark.django_db


def _reachable(model, found=None):
    found = found if found is not None else set()
    for relation in linked_relations(model):
        if relation.related_model not in found:
            found.add(relation.related_model)
            _reachable(relation.related_model, found)
    return found


@pytest.fixture
def holder(db):
    call_command("loaddata", "referentiel", verbosity=0)
    seed_demo()
    document = IssuedDocument.objects.select_related("decision__dossier").first()
    dossier = document.decision.dossier
    AttachmentFactory(dossier=dossier)
    return dossier.candidate


def test_every_linked_model_is_known():
    labels = {model._meta.label_lower for model in _reachable(Candidate)}
    # A new model linked to a candidate must be looked at (and then listed here).
    assert labels == {
        "dossiers.dossier",
        "dossiers.attachment",
        "dossiers.dossiertransition",
        "dossiers.transitionreason",
        "evaluations.assessment",
        "evaluations.competenceresult",
        "evaluations.workplaceassessorinvitation",
        "jurys.sessionregistration",
        "jurys.jurydecision",
        "jurys.competencedecision",
        "jurys.carriedcompetence",
        "jurys.issueddocument",
        "certificates.accrochageentry",
        "certificates.documentsend",
    }


def test_art15_zip_has_every_field_of_every_linked_row_and_the_files(holder):
    with zipfile.ZipFile(io.BytesIO(candidate_zip(holder))) as archive:
        tables = json.loads(archive.read("donnees.json"))
        names = archive.namelist()
        attachment = holder.dossiers.get(attachments__isnull=False).attachments.get()
        member = f"fichiers/{attachment.dossier.number}/{attachment.pk}-{attachment.original_name}"
        assert member in names
        with attachment.file.open("rb") as handle:
            assert archive.read(member) == handle.read()
    models = {Candidate, *_reachable(Candidate)}
    for model in models:
        label = model._meta.label_lower
        rows = model._default_manager.all()
        linked = [r for r in rows if _belongs(r, holder)]
        exported = tables.get(label, [])
        assert sorted(r["id"] if "id" in r else r[model._meta.pk.name] for r in exported) == sorted(
            r.pk for r in linked
        ), label
        expected = {f.name for f in model._meta.concrete_fields} - SECRET_FIELDS
        for row in exported:
            assert set(row) == expected, label
    for label in ("jurys.issueddocument", "jurys.jurydecision", "dossiers.attachment"):
        assert tables[label], label
    assert "dossiers.historicalcandidate" in tables and "audit.accesslog" in tables


def _belongs(obj, candidate):
    """Whether a row leads to `candidate` through its foreign keys (independent of the walk)."""
    if isinstance(obj, Candidate):
        return obj.pk == candidate.pk
    if isinstance(obj, Dossier):
        return obj.candidate_id == candidate.pk
    for field in obj._meta.concrete_fields:
        if field.is_relation and field.related_model in {Dossier, *_reachable(Candidate)}:
            parent = getattr(obj, field.name)
            if parent is not None and _belongs(parent, candidate):
                return True
    return False


def test_anonymisation_covers_outbox_and_bells_keeps_holder_record_and_runs_once(holder):
    dossier = holder.dossiers.first()
    user = UserFactory()
    queue_raw_email(to=user.email, subject=f"Dossier {dossier.number}", body_text="Texte")
    notify(recipient=user, text=f"{holder.first_names} {holder.birth_name} validé")
    identity = (holder.civility, holder.birth_name, holder.first_names, holder.birth_date)

    anonymise_candidate(holder)

    holder.refresh_from_db()
    assert (holder.civility, holder.birth_name, holder.first_names, holder.birth_date) == identity
    assert (holder.email, holder.phone, holder.address, holder.birth_place) == ("", "", "", "")
    assert not OutboxEmail.objects.filter(subject__contains=dossier.number).exists()
    assert OutboxEmail.objects.filter(body_text=ERASED_TEXT).exists()
    assert not Notification.objects.filter(text__contains=holder.birth_name).exists()

    before = list(Candidate.objects.filter(pk=holder.pk).values())
    assert anonymise_candidate(holder) == 0
    assert list(Candidate.objects.filter(pk=holder.pk).values()) == before


def test_anonymisation_without_certificate_erases_the_names():
    dossier = DossierFactory(state=DossierState.NOT_VALIDATED)
    anonymise_candidate(dossier.candidate)
    candidate = Candidate.objects.get(pk=dossier.candidate_id)
    assert (candidate.birth_name, candidate.first_names) == (ANONYMISED, ANONYMISED)
    assert candidate.anonymised_at is not None


def test_deactivated_users_receive_nothing(django_capture_on_commit_callbacks):
    active, inactive = UserFactory(), UserFactory(is_active=False)
    notify(recipient=inactive, text="Bonjour")
    assert queue_raw_email(to=inactive.email.upper(), subject="x", body_text="y") is None
    with django_capture_on_commit_callbacks(execute=False):
        notify_by_mail_too(
            recipients=[active, inactive],
            text="Un dossier attend",
            link="/dossiers/",
            subject="Un dossier attend",
            template="account_request_received",
            context={},
        )
    assert list(Notification.objects.values_list("recipient_id", flat=True)) == [active.pk]
    assert not OutboxEmail.objects.filter(recipient__iexact=inactive.email).exists()
    assert OutboxEmail.objects.filter(recipient=active.email).count() == 1
