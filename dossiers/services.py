"""Every write on a dossier. Its state changes go through workflow.transition()."""

import rules
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from ecertif.files.uploads import check_upload
from ecertif.notifications.services import notify_by_mail_too
from ecertif.sequences import next_value

from . import workflow
from .enums import DossierState, Transition
from .exceptions import NOT_ALLOWED, NOT_EDITABLE, DossierActionError
from .models import Attachment, Dossier, DossierNumberSequence
from .privacy import erase_candidate_history
from .selectors import is_accredited
from .signals import dossier_submitted


def next_dossier_number(*, year=None):
    """`CQP-<year>-<6 digits>`, allocated under a row lock: safe under concurrent creation."""
    year = year or timezone.localdate().year
    return f"CQP-{year}-{next_value(DossierNumberSequence, year=year):06d}"


def _require(perm, user, dossier):
    if not rules.has_perm(perm, user, dossier):
        raise DossierActionError(NOT_ALLOWED)


def _lock(dossier):
    return Dossier.objects.select_for_update().get(pk=dossier.pk)


def _ensure_editable(dossier, by):
    if dossier.state != DossierState.REGISTERING:
        raise DossierActionError(NOT_EDITABLE)
    _require("dossiers.change_dossier", by, dossier)


@transaction.atomic
def dossier_create(*, establishment, certification, option=None, by):
    dossier = Dossier.objects.create(
        number=next_dossier_number(),
        establishment=establishment,
        certification=certification,
        option=option,
        created_by=by,
    )
    workflow.record(dossier=dossier, transition=Transition.CREATE, by=by)
    return dossier


@transaction.atomic
def dossier_update(*, dossier, by, **fields):
    """Save the fields of one wizard step; only while the dossier is being registered."""
    locked = _lock(dossier)
    _ensure_editable(locked, by)
    if "certification" in fields and fields["certification"] != locked.certification:
        # Another certification: the confirmed assessor may no longer be accredited for it,
        # and the rows of the old one (empty: a return needs no result) must go.
        fields.setdefault("option", None)
        fields["assessor_confirmed_at"] = None
        assessment = getattr(locked, "assessment", None) if hasattr(locked, "assessment") else None
        if assessment is not None:
            assessment.results.all().delete()
        locked.carried_competences.all().delete()
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.save(update_fields=[*fields.keys(), "updated_at"])
    return locked


@transaction.atomic
def candidate_save(*, dossier, by, form):
    """Create or update the dossier's candidate from a bound, valid CandidateForm."""
    locked = _lock(dossier)
    _ensure_editable(locked, by)
    candidate = form.save(commit=False)
    if (
        candidate.pk is not None
        and candidate.dossiers.exclude(pk=locked.pk)
        .exclude(state=DossierState.REGISTERING)
        .exists()
    ):
        # Another dossier (submitted, decided, maybe certified) keeps the identity it had.
        candidate.pk = None
        candidate._state.adding = True
    candidate.establishment_id = locked.establishment_id
    candidate.save()
    if locked.candidate_id != candidate.pk:
        locked.candidate = candidate
        locked.save(update_fields=["candidate", "updated_at"])
    return candidate


@transaction.atomic
def assessor_confirm(*, dossier, by, assessor):
    locked = _lock(dossier)
    _ensure_editable(locked, by)
    if not is_accredited(assessor=assessor, certification=locked.certification):
        raise DossierActionError(
            "Cet évaluateur n'a pas d'habilitation valide aujourd'hui pour cette certification."
        )
    locked.assessor = assessor
    locked.assessor_confirmed_at = timezone.now()
    locked.save(update_fields=["assessor", "assessor_confirmed_at", "updated_at"])
    return locked


def attachment_add(*, dossier, by, kind, label, uploaded_file):
    """Check then store an uploaded file; a refused or failed upload leaves nothing behind."""
    checked = check_upload(uploaded_file)
    attachment = Attachment(
        kind=kind,
        label=label,
        original_name=checked.original_name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=by,
    )
    try:
        with transaction.atomic():
            locked = _lock(dossier)
            _ensure_editable(locked, by)
            attachment.dossier = locked
            attachment.file.save(f"piece.{checked.extension}", checked.file, save=False)
            attachment.save()
    except BaseException:
        if attachment.file.name:
            attachment.file.storage.delete(attachment.file.name)
        raise
    return attachment


@transaction.atomic
def attachment_delete(*, attachment, by):
    locked = _lock(attachment.dossier)
    _ensure_editable(locked, by)
    name, storage = attachment.file.name, attachment.file.storage
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def dossier_delete(*, dossier, by):
    locked = _lock(dossier)
    if locked.state != DossierState.REGISTERING:
        raise DossierActionError("Seul un dossier en cours d'inscription peut être supprimé.")
    _require("dossiers.delete_dossier", by, locked)
    files = [(a.file.storage, a.file.name) for a in locked.attachments.all()]
    assessment = getattr(locked, "assessment", None) if hasattr(locked, "assessment") else None
    if assessment is not None and assessment.guide_scan:
        files.append((assessment.guide_scan.storage, assessment.guide_scan.name))
    candidate = locked.candidate
    locked.delete()
    if candidate is not None and not candidate.dossiers.exists():
        candidate.delete()
        # A deleted draft leaves no identity behind, not even in the field history.
        erase_candidate_history(candidate.pk)

    def remove_files():
        for storage, name in files:
            storage.delete(name)

    transaction.on_commit(remove_files)


@transaction.atomic
def dossier_duplicate(*, dossier, by):
    """A new dossier in registration with the same setup, none of the workflow data or files."""
    _require("dossiers.duplicate_dossier", by, dossier)
    copy = Dossier.objects.create(
        number=next_dossier_number(),
        establishment=dossier.establishment,
        candidate=dossier.candidate,
        certification=dossier.certification,
        option=dossier.option,
        training_scheme=dossier.training_scheme,
        provider=dossier.provider,
        assessor=dossier.assessor,
        origin=dossier,
        created_by=by,
    )
    workflow.record(
        dossier=copy,
        transition=Transition.CREATE,
        by=by,
        reason=f"Copie du dossier {dossier.number}",
    )
    return copy


def dossier_submit(*, dossier, by):
    def effects(locked):
        dossier_submitted.send(sender=Dossier, dossier=locked)
        assessor_user = locked.assessor.user
        link = reverse("dossiers:detail", args=[locked.pk])
        notify_by_mail_too(
            recipients=[assessor_user],
            text=f"Nouveau dossier à évaluer : {locked.number} — {locked.candidate.full_name}",
            link=link,
            subject=f"[e-Certif] Nouveau dossier à évaluer : {locked.number}",
            template="dossier_submitted",
            context={"dossier": locked, "assessor": assessor_user, "link": link},
        )

    return workflow.transition(
        dossier=dossier,
        name=Transition.SUBMIT,
        by=by,
        check=lambda locked: {"at": timezone.now()},
        effects=effects,
    )


def dossier_return_for_completion(*, dossier, by, reason):
    def effects(locked):
        text = (reason or "").strip()
        link = reverse("dossiers:detail", args=[locked.pk])
        notify_by_mail_too(
            recipients=[m.user for m in locked.establishment.memberships.select_related("user")],
            text=f"Dossier {locked.number} renvoyé pour complément : {text[:120]}",
            link=link,
            subject=f"[e-Certif] Dossier {locked.number} à compléter",
            template="dossier_returned",
            context={"dossier": locked, "reason": text, "link": link},
        )

    return workflow.transition(
        dossier=dossier,
        name=Transition.RETURN_FOR_COMPLETION,
        by=by,
        reason=reason,
        effects=effects,
    )
