from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from ecertif import ratelimit
from ecertif.accounts.rules import is_secretariat
from ecertif.proxy import client_ip
from referentiel.models import Certification

from .enums import REGISTER_PAGE_SIZE, DocumentStatus
from .forms import AccrochageForm, RegisterFilterForm
from .models import AccrochageFlow
from .selectors import document_for_code, document_status, filter_register, register_documents

# Verifications per real client address (scope, hits, window in seconds), known codes or not:
# nobody tries codes in bulk. Documented in the README « Limites de tentatives ».
VERIFY_LIMITS = [("verify-document-minute", 20, 60), ("verify-document-hour", 200, 3600)]
# Search engines never list a verification page (meta robots in the template too).
NOINDEX = "noindex, nofollow, noarchive"


def _public(response):
    response["X-Robots-Tag"] = NOINDEX
    response["Cache-Control"] = "no-store"
    return response


@login_not_required
@require_safe
def verify(request, code):
    """Public check of a parchemin or attestation from the code printed on it (QR code).

    Shows only what proves the document: no search, no listing, and an unknown code costs
    the same single query as a known one. Rate-limited per client address.
    """
    address = client_ip(request)
    if any(ratelimit.exceeded(scope, address, limit=limit) for scope, limit, _w in VERIFY_LIMITS):
        return _public(render(request, "certificates/verify_throttled.html", status=429))
    for scope, _limit, window in VERIFY_LIMITS:
        ratelimit.record(scope, address, window=window)
    document = document_for_code(code)
    if document is None:
        return _public(render(request, "certificates/verify.html", {"document": None}, status=404))
    dossier = document.decision.dossier
    candidate = dossier.candidate
    context = {
        "document": document,
        "holder": _holder(candidate),
        "certification": dossier.certification,
        "option": dossier.option,
        "session": document.decision.session,
        "revoked": document_status(document) == DocumentStatus.REVOKED,
        "revoked_at": document.decision.revoked_at,
    }
    return _public(render(request, "certificates/verify.html", context))


def _holder(candidate):
    """« Camille D. »: the first first name and the initial of the birth name, nothing more."""
    if candidate is None:
        return ""
    first_name = (candidate.first_names.split() or [""])[0]
    initial = candidate.birth_name.strip()[:1].upper()
    return f"{first_name} {initial}." if initial else first_name


@require_safe
def register(request):
    """The register of every parchemin and attestation issued (secretariat)."""
    if not is_secretariat(request.user):
        raise PermissionDenied
    form = RegisterFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    queryset = filter_register(register_documents(), **filters)
    page_obj = Paginator(queryset, REGISTER_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "certificates/register.html",
        {"form": form, "page_obj": page_obj, "query": query.urlencode()},
    )


def _secretariat_only(request):
    if not is_secretariat(request.user):
        raise PermissionDenied


FLOWS_SHOWN = 20


@require_safe
def accrochage(request):
    """Legal reporting to the Caisse des Dépôts: ask for a period's file, past flows, and the
    certifications that cannot be reported (France compétences number missing)."""
    _secretariat_only(request)
    today = timezone.localdate()
    form = AccrochageForm(initial={"period_start": today.replace(day=1), "period_end": today})
    flows = AccrochageFlow.objects.select_related("created_by").prefetch_related("entries")[
        :FLOWS_SHOWN
    ]
    missing = Certification.objects.filter(active=True, register_number="").order_by("label")
    return render(
        request,
        "certificates/accrochage.html",
        {"form": form, "flows": flows, "missing": missing},
    )


@require_safe
def accrochage_download(request, pk):
    _secretariat_only(request)
    flow = get_object_or_404(AccrochageFlow, pk=pk)
    response = HttpResponse(flow.xml.encode(), content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{flow.file_name}"'
    return response
