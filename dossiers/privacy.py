"""Personal data (RGPD): what is held on a candidate, and anonymisation after the retention
period. The figures (states, certifications, dates, decisions) are kept for the statistics."""

import datetime

import pgtrigger
from django.apps import apps
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ecertif.audit.services import access_log_for_candidate
from ecertif.mail.models import OutboxEmail
from ecertif.notifications.models import Notification

from .enums import DECIDED_STATES
from .models import Attachment, Candidate, Dossier, TransitionReason

ANONYMISED = "Anonymisé"
ERASED_TEXT = "Contenu effacé : les données personnelles du candidat ont été anonymisées."


def candidate_data(candidate):
    """Everything held on one candidate, as a JSON-ready dict (right of access)."""
    identity_fields = [
        "civility",
        "birth_name",
        "usage_name",
        "first_names",
        "birth_date",
        "birth_place",
        "birth_place_code",
        "email",
        "phone",
        "address",
        "postcode",
        "city",
        "highest_diploma_level",
        "declares_diploma",
        "position_held",
        "company_entry_date",
    ]
    dossiers = []
    for dossier in candidate.dossiers.select_related("certification", "establishment").order_by(
        "created_at"
    ):
        assessment = (
            getattr(dossier, "assessment", None) if hasattr(dossier, "assessment") else None
        )
        dossiers.append(
            {
                "numero": dossier.number,
                "certification": dossier.certification.label,
                "etablissement": dossier.establishment.name,
                "statut": dossier.get_state_display(),
                "cree_le": dossier.created_at.isoformat(),
                "pieces": [
                    {
                        "libelle": a.label,
                        "fichier": a.original_name,
                        "depose_le": a.uploaded_at.isoformat(),
                    }
                    for a in dossier.attachments.all()
                ],
                "historique": [
                    {"action": t.transition_label, "le": t.at.isoformat(), "motif": t.reason}
                    for t in dossier.transitions.select_related("reason_row")
                ],
                "evaluation": None
                if assessment is None
                else {
                    "observations_du_candidat": assessment.candidate_observations,
                    "observations_generales_metier": [
                        i.general_observation for i in assessment.invitations.all()
                    ],
                    "resultats": [
                        {
                            "competence": f"C{r.competence.number} {r.competence.label}",
                            "resultat": r.get_result_display(),
                            "commentaire": r.comment,
                            "observation_metier": r.workplace_observation,
                        }
                        for r in assessment.results.select_related("competence")
                    ],
                },
                "decisions": [
                    {
                        "session": d.session.date.isoformat(),
                        "decision": d.get_outcome_display(),
                        "annulee_le": d.revoked_at.isoformat() if d.revoked_at else None,
                    }
                    for d in dossier.decisions.select_related("session")
                ],
            }
        )
    identity = {}
    for field in identity_fields:
        value = getattr(candidate, field)
        identity[field] = value.isoformat() if isinstance(value, datetime.date) else value
    accesses = [
        {
            "le": row.at.isoformat(),
            "par": row.actor.email if row.actor else "",
            "action": row.get_action_display(),
            "objet": f"{row.object_type} {row.object_id}",
            "adresse_ip": row.ip,
        }
        for row in access_log_for_candidate(candidate.pk).order_by("at", "pk")
    ]
    return {"candidat": identity, "dossiers": dossiers, "acces_aux_donnees": accesses}


def erase_candidate_history(candidate_id):
    """The candidate's field history holds the identity: the erasure is the one code allowed to
    delete from that append-only table (ecertif/audit/triggers.py)."""
    with pgtrigger.ignore("dossiers.HistoricalCandidate:append_only_delete"):
        Candidate.history.model.objects.filter(id=candidate_id).delete()


def purgeable_candidates(*, retention_years, now=None):
    """Candidates whose every dossier ended (decided) more than `retention_years` ago, or was
    left untouched that long."""
    now = now or timezone.now()
    limit = now - datetime.timedelta(days=365 * retention_years)
    recent = Dossier.objects.filter(updated_at__gte=limit).values("candidate_id")
    open_ = (
        Dossier.objects.exclude(state__in=DECIDED_STATES)
        .filter(updated_at__gte=limit)
        .values("candidate_id")
    )
    return (
        Candidate.objects.exclude(birth_name=ANONYMISED)
        .filter(anonymised_at__isnull=True)
        .exclude(pk__in=recent)
        .exclude(pk__in=open_)
        .filter(dossiers__isnull=False)
        .distinct()
        .order_by("pk")
    )


def _holds_certificate(candidate):
    IssuedDocument = apps.get_model("jurys", "IssuedDocument")
    return IssuedDocument.objects.filter(decision__dossier__candidate=candidate).exists()


def _erase_messages(candidate, dossiers):
    """The outbox and the bells name the candidate: their texts go (the rows stay counted)."""
    needles = [d.number for d in dossiers]
    full_name = f"{candidate.first_names} {candidate.birth_name}".strip()
    if len(full_name) > 3:
        needles.append(full_name)
    mentions = Q()
    for needle in needles:
        mentions |= Q(subject__contains=needle) | Q(body_text__contains=needle)
    # The emails that sent the candidate their document (certificates sits above dossiers).
    sent = apps.get_model("certificates", "DocumentSend").objects.filter(
        dossier__candidate=candidate, email__isnull=False
    )
    mentions |= Q(pk__in=sent.values("email_id"))
    OutboxEmail.objects.filter(mentions).update(
        subject=f"[{ANONYMISED}]",
        body_text=ERASED_TEXT,
        body_html="",
        attachment_name="",
        attachment=b"",
    )
    notes = Q()
    for dossier in dossiers:
        for prefix in (f"/dossiers/{dossier.pk}/", f"/evaluations/{dossier.pk}/"):
            notes |= Q(link__startswith=prefix)
        notes |= Q(link__startswith=f"/jurys/dossiers/{dossier.pk}/")
    for needle in needles:
        notes |= Q(text__contains=needle)
    if needles:
        Notification.objects.filter(notes).delete()


@transaction.atomic
def anonymise_candidate(candidate):
    """Replace the identity, delete the files; keep the dossier's figures. Idempotent.

    A holder of a certificate or attestation keeps the minimal record its verification needs
    (civility, names, birth date; the certification, date and number are the decision's)."""
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.anonymised_at is not None:
        return 0
    dossiers = list(candidate.dossiers.all())
    _erase_messages(candidate, dossiers)
    files = []
    for attachment in Attachment.objects.filter(dossier__candidate=candidate):
        files.append((attachment.file.storage, attachment.file.name))
    Attachment.objects.filter(dossier__candidate=candidate).delete()
    for dossier in dossiers:
        assessment = (
            getattr(dossier, "assessment", None) if hasattr(dossier, "assessment") else None
        )
        if assessment is not None:
            if assessment.guide_scan:
                files.append((assessment.guide_scan.storage, assessment.guide_scan.name))
            assessment.guide_scan = ""
            assessment.guide_original_name = ""
            assessment.candidate_observations = ""
            assessment.workplace_missing_reason = ""
            assessment.save()
            assessment.invitations.update(
                name=ANONYMISED, email="anonymise@invalid", function="", general_observation=""
            )
            assessment.results.update(comment="", workplace_observation="")
        TransitionReason.objects.filter(transition__dossier=dossier).delete()
    erase_candidate_history(candidate.pk)
    # certificates sits above dossiers: the sends of a document keep who and when, not where.
    apps.get_model("certificates", "DocumentSend").objects.filter(
        dossier__candidate=candidate
    ).update(recipient="")
    year = candidate.birth_date.year
    identity = {
        "birth_name": ANONYMISED,
        "first_names": ANONYMISED,
        "birth_date": datetime.date(year, 1, 1),
    }
    if _holds_certificate(candidate):
        identity = {}  # the holder record a certificate must keep verifiable
    Candidate.objects.filter(pk=candidate.pk).update(
        **identity,
        anonymised_at=timezone.now(),
        usage_name="",
        birth_place="",
        birth_place_code="",
        email="",
        phone="",
        address="",
        postcode="00000",
        city="",
        position_held="",
        company_entry_date=None,
    )

    def remove_files():
        for storage, name in files:
            storage.delete(name)

    transaction.on_commit(remove_files)
    return len(files)
