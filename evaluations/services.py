"""The assessment: invitation first, then results, observations, outil n°4, and closing."""

import datetime
import hashlib
import secrets

import rules
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from dossiers import workflow
from dossiers.enums import DossierState, Transition
from dossiers.exceptions import NOT_ALLOWED, DossierActionError
from dossiers.models import Dossier
from ecertif.files.uploads import check_upload
from ecertif.mail.services import queue_email
from ecertif.notifications.services import notify_by_mail_too

from .enums import INVITATION_REMINDER_DAYS, INVITATION_VALIDITY_DAYS, ResultChoice
from .models import Assessment, CompetenceResult, WorkplaceAssessorInvitation

NO_INVITATION = (
    "Invitez d'abord l'évaluateur métier : les résultats ne peuvent être saisis qu'après "
    "son invitation."
)
CLOSED = "L'évaluation de ce dossier est close : elle n'est plus modifiable."


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


def new_token():
    """192 bits of randomness, URL-safe; only its SHA-256 is stored."""
    return secrets.token_urlsafe(24)


def invitation_url(token):
    return f"{settings.SITE_URL}{reverse('workplace:enter', args=[token])}"


def assessment_open(*, dossier):
    """Open (or reopen after a return) the assessment with one result row per competence."""
    assessment, created = Assessment.objects.get_or_create(
        dossier=dossier, defaults={"assessor": dossier.assessor}
    )
    if not created and assessment.assessor_id != dossier.assessor_id:
        assessment.assessor = dossier.assessor
        assessment.save(update_fields=["assessor"])
    existing = set(assessment.results.values_list("competence_id", flat=True))
    # Competences carried from an earlier jury (capitalisation) are not assessed again.
    carried = set(
        dossier.carried_competences.filter(valid_until__gte=timezone.localdate()).values_list(
            "competence_id", flat=True
        )
    )
    CompetenceResult.objects.bulk_create(
        [
            CompetenceResult(assessment=assessment, competence=competence)
            for competence in dossier.certification.competences.all()
            if competence.pk not in existing | carried
        ]
    )
    return assessment


def _locked_assessment(assessment, by):
    """Lock the dossier, then check the user may still write this assessment."""
    dossier = Dossier.objects.select_for_update().get(pk=assessment.dossier_id)
    if dossier.state != DossierState.AWAITING_ASSESSMENT:
        raise DossierActionError(CLOSED)
    if not rules.has_perm("evaluations.change_assessment", by, dossier):
        raise DossierActionError(NOT_ALLOWED)
    return Assessment.objects.select_related("dossier").get(pk=assessment.pk)


def _send_invitation(invitation, token, assessment):
    dossier = assessment.dossier
    queue_email(
        to=invitation.email,
        subject=f"[e-Certif] Vos observations sur l'évaluation de {dossier.candidate.full_name}",
        template="workplace_invitation",
        context={
            "invitation": invitation,
            "dossier": dossier,
            "assessor": assessment.assessor.user,
            "url": invitation_url(token),
        },
        secret=True,
    )


@transaction.atomic
def invitation_create(*, assessment, by, name, email, function):
    """Invite the workplace assessor; returns (invitation, raw token) — the token is shown once."""
    assessment = _locked_assessment(assessment, by)
    now = timezone.now()
    token = new_token()
    invitation = WorkplaceAssessorInvitation.objects.create(
        assessment=assessment,
        name=name,
        email=email.lower(),
        function=function,
        token_hash=hash_token(token),
        created_by=by,
        sent_at=now,
        expires_at=now + datetime.timedelta(days=INVITATION_VALIDITY_DAYS),
    )
    _send_invitation(invitation, token, assessment)
    return invitation, token


@transaction.atomic
def invitation_resend(*, invitation, by):
    """A new link (the old one stops working), a new email, a new validity period."""
    assessment = _locked_assessment(invitation.assessment, by)
    invitation = WorkplaceAssessorInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.revoked_at is not None:
        raise DossierActionError("Cette invitation a été révoquée : créez-en une nouvelle.")
    now = timezone.now()
    token = new_token()
    invitation.token_hash = hash_token(token)
    invitation.sent_at = now
    invitation.expires_at = now + datetime.timedelta(days=INVITATION_VALIDITY_DAYS)
    invitation.reminder_sent_at = None
    invitation.save(update_fields=["token_hash", "sent_at", "expires_at", "reminder_sent_at"])
    _send_invitation(invitation, token, assessment)
    return invitation, token


@transaction.atomic
def invitation_revoke(*, invitation, by):
    _locked_assessment(invitation.assessment, by)
    invitation = WorkplaceAssessorInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


def has_invitation(assessment):
    return assessment.invitations.filter(revoked_at__isnull=True).exists()


@transaction.atomic
def results_save(*, assessment, by, results):
    """`results`: {result id: (result slug or "", comment)} for this assessment's rows."""
    assessment = _locked_assessment(assessment, by)
    if not has_invitation(assessment):
        raise DossierActionError(NO_INVITATION)
    rows = {r.pk: r for r in assessment.results.all()}
    changed = []
    for pk, (result, comment) in results.items():
        row = rows.get(pk)
        if row is None:
            raise DossierActionError("Cette compétence n'appartient pas à l'évaluation.")
        if result not in ("", *ResultChoice.values):
            raise DossierActionError("Résultat inconnu : choisissez « Acquis » ou « Non acquis ».")
        if (row.result, row.comment) != (result, comment.strip()):
            row.result, row.comment = result, comment.strip()
            row.updated_at = timezone.now()
            changed.append(row)
    CompetenceResult.objects.bulk_update(changed, ["result", "comment", "updated_at"])
    return assessment


@transaction.atomic
def assessment_update(*, assessment, by, **fields):
    """Candidate observations, dates, and why the workplace observations are missing."""
    assessment = _locked_assessment(assessment, by)
    if not has_invitation(assessment):
        raise DossierActionError(NO_INVITATION)
    for name, value in fields.items():
        setattr(assessment, name, value)
    assessment.save(update_fields=list(fields))
    return assessment


def guide_upload(*, assessment, by, uploaded_file):
    """Store the scanned outil n°4 (same rules as diplomas); replaces a previous scan."""
    checked = check_upload(uploaded_file)
    new_name = None
    try:
        with transaction.atomic():
            assessment = _locked_assessment(assessment, by)
            if not has_invitation(assessment):
                raise DossierActionError(NO_INVITATION)
            old_name = assessment.guide_scan.name
            assessment.guide_scan.save(f"outil4.{checked.extension}", checked.file, save=False)
            new_name = assessment.guide_scan.name
            assessment.guide_original_name = checked.original_name
            assessment.guide_content_type = checked.content_type
            assessment.guide_size = checked.size
            assessment.guide_sha256 = checked.sha256
            assessment.save()
            if old_name:
                storage = assessment.guide_scan.storage
                transaction.on_commit(lambda: storage.delete(old_name))
    except BaseException:
        if new_name:
            assessment.guide_scan.storage.delete(new_name)
        raise
    return assessment


ALREADY_SENT = (
    "Vos observations ont déjà été transmises à l'évaluateur habilité : demandez-lui de les "
    "rouvrir si vous devez les modifier."
)
NOTHING_TO_SEND = "Saisissez au moins une observation avant de les transmettre."


@transaction.atomic
def workplace_observations_save(*, invitation, observations, general_observation, send=False):
    """The workplace assessor's page: one observation per result row, plus a general one.

    Saved as a draft; with `send` (« J'ai terminé ») they are sent to the assessor, who is told
    then and only then. Once sent they can no longer be changed until the assessor reopens them.
    """
    invitation = WorkplaceAssessorInvitation.objects.select_for_update().get(pk=invitation.pk)
    assessment = invitation.assessment
    dossier = Dossier.objects.select_for_update().get(pk=assessment.dossier_id)
    if (
        invitation.revoked_at is not None
        or invitation.expires_at <= timezone.now()
        or dossier.state != DossierState.AWAITING_ASSESSMENT
    ):
        raise DossierActionError(
            "Cette invitation n'est plus valable : l'évaluation est close ou le lien a expiré."
        )
    if invitation.observations_submitted_at is not None:
        raise DossierActionError(ALREADY_SENT)
    rows = {r.pk: r for r in assessment.results.all()}
    changed = []
    for pk, text in observations.items():
        row = rows.get(pk)
        if row is not None and row.workplace_observation != text.strip():
            row.workplace_observation = text.strip()
            row.updated_at = timezone.now()
            changed.append(row)
    CompetenceResult.objects.bulk_update(changed, ["workplace_observation", "updated_at"])
    invitation.general_observation = general_observation.strip()
    invitation.draft_saved_at = timezone.now()
    fields = ["general_observation", "draft_saved_at"]
    if send:
        written = [r.workplace_observation for r in rows.values()]
        if not any(written) and not invitation.general_observation:
            raise DossierActionError(NOTHING_TO_SEND)
        invitation.observations_submitted_at = invitation.draft_saved_at
        fields.append("observations_submitted_at")
    invitation.save(update_fields=fields)
    if send:
        link = reverse("evaluations:assessment", args=[dossier.pk])
        notify_by_mail_too(
            recipients=[assessment.assessor.user],
            text=f"{invitation.name} a transmis ses observations pour le dossier {dossier.number}.",
            link=link,
            subject=f"[e-Certif] Observations de l'évaluateur métier — dossier {dossier.number}",
            template="workplace_observations_received",
            context={"invitation": invitation, "dossier": dossier, "link": link},
        )
    return invitation


@transaction.atomic
def workplace_observations_reopen(*, invitation, by):
    """The assessor gives sent observations back to the workplace assessor, who is emailed."""
    _locked_assessment(invitation.assessment, by)
    invitation = WorkplaceAssessorInvitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_active:
        raise DossierActionError(
            "Cette invitation n'est plus valable : invitez de nouveau l'évaluateur métier."
        )
    if invitation.observations_submitted_at is None:
        raise DossierActionError("Ces observations n'ont pas encore été transmises.")
    invitation.observations_submitted_at = None
    invitation.save(update_fields=["observations_submitted_at"])
    dossier = invitation.assessment.dossier
    queue_email(
        to=invitation.email,
        subject=f"[e-Certif] Vos observations sont rouvertes — dossier {dossier.number}",
        template="workplace_reopened",
        context={
            "invitation": invitation,
            "dossier": dossier,
            "assessor": invitation.assessment.assessor.user,
        },
    )
    return invitation


def assessment_complete(*, dossier, by):
    """awaiting_assessment → awaiting_jury, when every item of SPEC §3 is there."""

    def effects(locked):
        Assessment.objects.filter(dossier=locked).update(completed_at=timezone.now())
        link = reverse("dossiers:detail", args=[locked.pk])
        notify_by_mail_too(
            recipients=[m.user for m in locked.establishment.memberships.select_related("user")],
            text=(
                f"Évaluation terminée pour le dossier {locked.number} : "
                "vous pouvez l'inscrire à un jury."
            ),
            link=link,
            subject=f"[e-Certif] Dossier {locked.number} évalué : à inscrire à un jury",
            template="assessment_completed",
            context={"dossier": locked, "link": link},
        )

    return workflow.transition(
        dossier=dossier, name=Transition.COMPLETE_ASSESSMENT, by=by, effects=effects
    )


def send_invitation_reminders(*, now=None):
    """One reminder per pending invitation, a week after it was sent; never a second one."""
    now = now or timezone.now()
    due = WorkplaceAssessorInvitation.objects.filter(
        revoked_at__isnull=True,
        observations_submitted_at__isnull=True,
        reminder_sent_at__isnull=True,
        expires_at__gt=now,
        sent_at__lte=now - datetime.timedelta(days=INVITATION_REMINDER_DAYS),
        assessment__dossier__state=DossierState.AWAITING_ASSESSMENT,
    ).select_related("assessment__dossier__candidate", "assessment__assessor__user")
    count = 0
    for invitation in due:
        with transaction.atomic():
            # The token is not kept: the reminder asks to use the first email's link.
            claimed = WorkplaceAssessorInvitation.objects.filter(
                pk=invitation.pk, reminder_sent_at__isnull=True
            ).update(reminder_sent_at=now)
            if not claimed:
                continue
            queue_email(
                to=invitation.email,
                subject="[e-Certif] Rappel : vos observations sont attendues",
                template="workplace_reminder",
                context={
                    "invitation": invitation,
                    "dossier": invitation.assessment.dossier,
                    "assessor": invitation.assessment.assessor.user,
                },
            )
            count += 1
    return count
