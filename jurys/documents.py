"""The jury's PDF documents (SPEC §5): decision sheets, parchemins and attestations.

Pure functions: model instances in, PDF bytes out, so a Celery task can call them unchanged.
"""

from dataclasses import dataclass

import segno
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Prefetch, Q
from django.urls import reverse

from dossiers.enums import Civility
from dossiers.models import Dossier
from ecertif.files.pdf import ARCHIVE_VARIANT, render_pdf
from ecertif.files.signing import sign_pdf
from referentiel.enums import CertificationKind

from .enums import College, Outcome, RegistrationEnd
from .models import (
    CarriedCompetence,
    CompetenceDecision,
    JuryDecision,
    JurySession,
    SessionRegistration,
)

NOT_EXAMINED = "Non examiné"

_DOSSIER_RELATED = (
    "dossier__candidate",
    "dossier__establishment",
    "dossier__certification",
    "dossier__option",
)


def standing_decisions():
    """Standing decisions with everything a document prints, in a constant number of queries."""
    return (
        JuryDecision.objects.filter(revoked_at__isnull=True)
        .select_related(
            *_DOSSIER_RELATED,
            "session__president__user",
            "session__vice_president__user",
            "document",
        )
        .prefetch_related(
            Prefetch(
                "competences",
                queryset=CompetenceDecision.objects.select_related("competence").order_by(
                    "competence__number"
                ),
            )
        )
    )


def standing_decision(dossier_id):
    """The dossier's standing decision, ready for any document, or None."""
    return standing_decisions().filter(dossier_id=dossier_id).first()


def issued_document(decision):
    """The parchemin or attestation numbered for this decision, or None."""
    try:
        return decision.document
    except ObjectDoesNotExist:
        return None


@dataclass(frozen=True)
class SheetLine:
    """One dossier on the session's decision sheet; `decision` is None when not examined."""

    dossier: Dossier
    decision: JuryDecision | None

    @property
    def outcome_label(self):
        return self.decision.get_outcome_display() if self.decision else NOT_EXAMINED

    @property
    def validated_numbers(self):
        """« C1, C2*, C4 »: a star marks a competence acquired at an earlier jury."""
        if self.decision is None:
            return ""
        return ", ".join(
            f"C{line.competence.number}{'*' if line.carried else ''}"
            for line in self.decision.competences.all()
            if line.validated
        )

    @property
    def has_carried(self):
        return self.decision is not None and any(
            line.carried and line.validated for line in self.decision.competences.all()
        )


def session_lines(session):
    """Standing decisions of the session, then dossiers still registered or released at its
    closing (« Non examiné »)."""
    decisions = list(standing_decisions().filter(session=session))
    decided = {decision.dossier_id for decision in decisions}
    pending = (
        SessionRegistration.objects.filter(session=session)
        .filter(Q(ended_at__isnull=True) | Q(end_kind=RegistrationEnd.RELEASED))
        .exclude(dossier_id__in=decided)
        .select_related(*_DOSSIER_RELATED)
    )
    lines = [SheetLine(dossier=d.dossier, decision=d) for d in decisions]
    lines += [SheetLine(dossier=r.dossier, decision=None) for r in pending]
    return sorted(lines, key=lambda line: (_sort_name(line.dossier), line.dossier.number))


def _sort_name(dossier):
    candidate = dossier.candidate
    return candidate.full_name.casefold() if candidate else ""


def _composition(session):
    """[(college label, [members])] in college order, each list sorted by name."""
    members = list(session.members.select_related("user"))
    return [
        (college.label, [m for m in members if m.college == college])
        for college in College
        if any(m.college == college for m in members)
    ]


def _signatories(session):
    return [
        ("Le président du jury", session.president),
        ("Le vice-président du jury", session.vice_president),
    ]


def _session(session):
    """Reload the session with its president and vice-president in one query."""
    return JurySession.objects.select_related("president__user", "vice_president__user").get(
        pk=session.pk
    )


def certificate_title(certification):
    if certification.kind == CertificationKind.CQPI:
        return "Certificat de qualification professionnelle interbranche"
    return "Certificat de qualification professionnelle"


def _identity(candidate):
    """Words agreeing with the candidate's civility."""
    feminine = candidate.civility == Civility.MADAME
    return {
        "candidate": candidate,
        "born": "née" if feminine else "né",
        "candidate_noun": "candidate" if feminine else "candidat",
    }


def verification_url(document):
    """The public page that proves the document (printed under its QR code)."""
    path = reverse("verify_document", args=[document.verification_code])
    return settings.SITE_URL.rstrip("/") + path


def _verification(document):
    url = verification_url(document)
    return {
        "verification_url": url,
        "verification_qr": segno.make(url, error="m").png_data_uri(scale=6, border=2),
    }


def _issued(template, context, document):
    """A numbered document: its verification QR code, PDF/A, then the PAdES signature."""
    pdf = render_pdf(template, {**context, **_verification(document)}, variant=ARCHIVE_VARIANT)
    reason = f"{document.get_kind_display()} n° {document.number} délivré par la CPNE"
    return sign_pdf(pdf, reason=reason)


def session_decision_sheet(session):
    """« Feuille de décision du jury » of a session: every dossier registered or decided."""
    session = _session(session)
    lines = session_lines(session)
    counts = {outcome.label: 0 for outcome in Outcome}
    counts[NOT_EXAMINED] = 0
    for line in lines:
        counts[line.outcome_label] += 1
    return render_pdf(
        "documents/session_sheet.html",
        {
            "session": session,
            "lines": lines,
            "counts": [(label, count) for label, count in counts.items() if count],
            "has_carried": any(line.has_carried for line in lines),
            "composition": _composition(session),
            "signatories": _signatories(session),
        },
    )


def dossier_decision_sheet(dossier):
    """The decision sheet of one dossier's standing decision; ValueError if it has none."""
    decision = standing_decision(dossier.pk)
    if decision is None:
        raise ValueError(f"Le dossier {dossier.number} n'a pas de décision du jury en vigueur.")
    session = decision.session
    return render_pdf(
        "documents/dossier_sheet.html",
        {
            "decision": decision,
            "dossier": decision.dossier,
            **_identity(decision.dossier.candidate),
            "session": session,
            "lines": list(decision.competences.all()),
            "document": issued_document(decision),
            "composition": _composition(session),
            "signatories": _signatories(session),
        },
    )


def _numbered(decision, outcome):
    if decision.outcome != outcome or decision.revoked_at is not None:
        raise ValueError(
            f"Ce document n'est délivré que pour une décision « {Outcome(outcome).label} » "
            "en vigueur."
        )
    document = issued_document(decision)
    if document is None:
        raise ValueError("Aucun numéro n'a été attribué à ce document.")
    return document


def certificate(decision):
    """The numbered parchemin of a standing `validated` decision."""
    document = _numbered(decision, Outcome.VALIDATED)
    dossier = decision.dossier
    return _issued(
        "documents/certificate.html",
        {
            "decision": decision,
            "document": document,
            "dossier": dossier,
            **_identity(dossier.candidate),
            "title": certificate_title(dossier.certification),
            "session": decision.session,
            "signatories": [("Le président du jury", decision.session.president)],
        },
        document,
    )


def attestation(decision):
    """The numbered attestation of the competences acquired by a `partially_validated` decision."""
    document = _numbered(decision, Outcome.PARTIALLY_VALIDATED)
    dossier = decision.dossier
    carried_until = {
        carried.competence_id: carried.valid_until
        for carried in CarriedCompetence.objects.filter(dossier=dossier)
    }
    acquired = [
        (line, carried_until.get(line.competence_id) if line.carried else None)
        for line in decision.competences.all()
        if line.validated
    ]
    return _issued(
        "documents/attestation.html",
        {
            "decision": decision,
            "document": document,
            "dossier": dossier,
            **_identity(dossier.candidate),
            "title": certificate_title(dossier.certification),
            "acquired": acquired,
            "years": dossier.certification.capitalisation_years,
            "session": decision.session,
            "signatories": [("Le président du jury", decision.session.president)],
        },
        document,
    )
