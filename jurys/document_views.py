"""PDF downloads: decision sheets, parchemins, attestations. Rendered on request."""

import rules
from django.core.files.base import ContentFile
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from dossiers.selectors import dossiers_for
from ecertif.audit.models import AccessAction
from ecertif.audit.services import log_access, log_dossier_read
from ecertif.files.downloads import private_file_response

from . import documents
from .enums import Outcome
from .models import JurySession
from .rules import is_session_member

NO_DECISION = "Aucune décision du jury n'est en vigueur pour ce dossier."


def _logged(request, decision):
    """The per-dossier documents name the candidate: each download goes to the access log."""
    log_dossier_read(
        request, decision.dossier, AccessAction.DOWNLOAD_FILE, object_type="decision", obj=decision
    )
    return decision


def _pdf_response(pdf, filename):
    return private_file_response(
        ContentFile(pdf, name=filename), download_name=filename, content_type="application/pdf"
    )


def _decision(request, pk, *, session_members=False):
    """The standing decision of a dossier the user may see, else 404.

    `session_members`: the jury members of the session that decided may see it too.
    """
    visible = dossiers_for(request.user).filter(pk=pk).exists()
    if not visible and not session_members:
        raise Http404
    decision = documents.standing_decision(pk)
    if not visible and (decision is None or not is_session_member(request.user, decision.session)):
        raise Http404
    if decision is None:
        raise Http404(NO_DECISION)
    return decision


@require_safe
def session_sheet(request, pk):
    session = get_object_or_404(JurySession, pk=pk)
    if not rules.has_perm("jurys.view_session", request.user, session):
        raise Http404
    log_access(
        request=request,
        action=AccessAction.EXPORT,
        object_type="session_sheet",
        object_id=session.pk,
        candidate_ids=[line.dossier.candidate_id for line in documents.session_lines(session)],
    )
    return _pdf_response(
        documents.session_decision_sheet(session),
        f"feuille-de-decision-jury-{session.date:%Y-%m-%d}.pdf",
    )


@require_safe
def dossier_sheet(request, pk):
    decision = _logged(request, _decision(request, pk, session_members=True))
    return _pdf_response(
        documents.dossier_decision_sheet(decision.dossier),
        f"feuille-de-decision-{decision.dossier.number}.pdf",
    )


def _numbered(request, pk, outcome):
    decision = _decision(request, pk)
    if decision.outcome != outcome or documents.issued_document(decision) is None:
        raise Http404(f"Ce document n'est délivré que pour un dossier « {outcome.label} ».")
    return decision


@require_safe
def certificate(request, pk):
    decision = _logged(request, _numbered(request, pk, Outcome.VALIDATED))
    return _pdf_response(
        documents.certificate(decision), f"parchemin-{decision.document.number}.pdf"
    )


@require_safe
def attestation(request, pk):
    decision = _logged(request, _numbered(request, pk, Outcome.PARTIALLY_VALIDATED))
    return _pdf_response(
        documents.attestation(decision), f"attestation-{decision.document.number}.pdf"
    )
