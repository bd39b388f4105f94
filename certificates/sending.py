"""The holder gets their proof (issue #11 item 7): the dossier's employer or the secretariat
emails the candidate their parchemin or attestation with its public verification link.

The email carries the verification link and the signed PDF as an attachment (rendered on send,
as a download is; the outbox empties its copy once it is sent). Every send is recorded
(DocumentSend) and shown in the dossier's timeline; sending again is allowed."""

from django.db import transaction

from ecertif.mail.services import queue_email
from jurys import documents
from jurys.documents import verification_url
from jurys.enums import DocumentKind
from jurys.models import IssuedDocument, JuryDecision

from .models import DocumentSend

NO_DOCUMENT = "Aucun parchemin ni attestation n'a été délivré pour ce dossier."
REVOKED = (
    "La décision du jury qui a délivré ce document a été annulée : le document est révoqué et "
    "ne peut plus être envoyé au candidat."
)
NO_EMAIL = (
    "Le candidat n'a pas d'adresse électronique dans le dossier : le document ne peut pas lui "
    "être envoyé par courriel."
)


class SendRefused(Exception):
    """Why the document cannot be sent, in French."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def latest_document(dossier):
    """The dossier's most recent parchemin or attestation (revoked or not), or None."""
    return (
        IssuedDocument.objects.filter(decision__dossier=dossier)
        .select_related("decision__session")
        .order_by("-issued_at", "-pk")
        .first()
    )


def recipient_of(dossier):
    candidate = dossier.candidate
    return (candidate.email if candidate is not None else "").strip()


def refusal(dossier, document):
    """The French reason the document cannot be sent, or None when it can."""
    if document is None:
        return NO_DOCUMENT
    if document.decision.revoked_at is not None:
        return REVOKED
    if not recipient_of(dossier):
        return NO_EMAIL
    return None


def sends_of(dossier):
    return list(
        DocumentSend.objects.filter(dossier=dossier)
        .select_related("document", "sent_by")
        .order_by("-sent_at", "-pk")
    )


def document_pdf(dossier):
    """(document, file name, signed PDF bytes) of the dossier's standing document, or None.
    The same file as the dossier page's download."""
    decision = documents.standing_decision(dossier.pk)
    document = documents.issued_document(decision) if decision is not None else None
    if document is None:
        return None
    if document.kind == DocumentKind.CERTIFICATE:
        return document, f"parchemin-{document.number}.pdf", documents.certificate(decision)
    return document, f"attestation-{document.number}.pdf", documents.attestation(decision)


def send_document(*, dossier, by):
    """Queue the email to the candidate (link and PDF) and record the send. SendRefused with a
    French message when there is nothing standing to send or nowhere to send it."""
    message = refusal(dossier, latest_document(dossier))
    if message:
        raise SendRefused(message)
    # Rendered (a few seconds) before any row is locked; checked again under the lock.
    rendered = document_pdf(dossier)
    with transaction.atomic():
        document = latest_document(dossier)
        if document is not None:
            # Locked: a revocation committed meanwhile is seen here, not after the email left.
            locked = JuryDecision.objects.select_for_update().get(pk=document.decision_id)
            document.decision.revoked_at = locked.revoked_at
        message = refusal(dossier, document)
        if message:
            raise SendRefused(message)
        if rendered is None or rendered[0].pk != document.pk:
            raise SendRefused(REVOKED)  # revoked (and perhaps decided again) while rendering
        to = recipient_of(dossier)
        candidate = dossier.candidate
        email = queue_email(
            to=to,
            subject=f"[e-Certif] Votre {_kind_noun(document)} n° {document.number} — "
            f"{dossier.certification.label}",
            template="document_to_candidate",
            context={
                "candidate": candidate,
                "dossier": dossier,
                "document": document,
                "kind_noun": _kind_noun(document),
                "session": document.decision.session,
                "verification_url": verification_url(document),
            },
            attachment=rendered[1:],
        )
        return DocumentSend.objects.create(
            document=document, dossier=dossier, recipient=to, sent_by=by, email=email
        )


def _kind_noun(document):
    """« parchemin » or « attestation de compétences », as the email's sentences need."""
    return document.get_kind_display().lower()
