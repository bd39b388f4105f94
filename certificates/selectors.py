"""Reads of issued parchemins and attestations: the secretariat's register, the public check."""

from django.db.models import Q

from jurys.models import IssuedDocument

from .enums import DocumentStatus

_RELATED = (
    "decision__dossier__candidate",
    "decision__dossier__certification",
    "decision__dossier__option",
    "decision__dossier__establishment",
    "decision__session",
)


def register_documents():
    """Every parchemin and attestation ever issued, newest first, with what a row shows."""
    return IssuedDocument.objects.select_related(*_RELATED).order_by("-issued_at", "-pk")


def filter_register(
    queryset,
    *,
    q="",
    kind="",
    status="",
    certification=None,
    establishment="",
    issued_from=None,
    issued_to=None,
):
    """The register filtered as its form asks (every argument optional)."""
    if q:
        queryset = queryset.filter(
            Q(number__icontains=q)
            | Q(decision__dossier__number__icontains=q)
            | Q(decision__dossier__candidate__birth_name__icontains=q)
            | Q(decision__dossier__candidate__usage_name__icontains=q)
            | Q(decision__dossier__candidate__first_names__icontains=q)
        )
    if kind:
        queryset = queryset.filter(kind=kind)
    if status == DocumentStatus.VALID:
        queryset = queryset.filter(decision__revoked_at__isnull=True)
    elif status == DocumentStatus.REVOKED:
        queryset = queryset.filter(decision__revoked_at__isnull=False)
    if certification is not None:
        queryset = queryset.filter(decision__dossier__certification=certification)
    if establishment:
        queryset = queryset.filter(
            Q(decision__dossier__establishment__name__icontains=establishment)
            | Q(decision__dossier__establishment__siret__startswith=establishment.replace(" ", ""))
        )
    if issued_from:
        queryset = queryset.filter(issued_at__date__gte=issued_from)
    if issued_to:
        queryset = queryset.filter(issued_at__date__lte=issued_to)
    return queryset


def document_for_code(code):
    """The document a verification code names, or None: always exactly one query, so an
    unknown code costs what a known one does."""
    return (
        IssuedDocument.objects.select_related(*_RELATED)
        .filter(verification_code=(code or "").strip().lower()[:40])
        .first()
    )


def document_status(document):
    return DocumentStatus.REVOKED if document.decision.revoked_at else DocumentStatus.VALID
