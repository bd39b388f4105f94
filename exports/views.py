import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from certificates.forms import AccrochageForm, RegisterFilterForm
from dossiers.forms import DossierFilterForm
from dossiers.selectors import dossiers_for
from ecertif.accounts.rules import is_secretariat
from ecertif.audit.models import AccessAction
from ecertif.audit.services import log_access, log_dossier_read
from ecertif.files.downloads import private_file_response
from jurys.models import JurySession

from .dossier_pdf import dossier_summary
from .enums import STATUS_BADGES, ExportKind, ExportStatus
from .exceptions import ExportError
from .selectors import export_jobs_for
from .services import export_request, export_retry
from .writers import (
    export_candidate_ids,
    filter_parameters,
    filter_summary,
    session_title,
    statistics_keys,
    statistics_parameters,
    titled,
)

PAGE_SIZE = 20
# Polling interval of the job page while the file is being written.
POLL_EVERY = "2s"


def _get_job(request, pk):
    return get_object_or_404(export_jobs_for(request.user), pk=pk)


@require_safe
def export_list(request):
    page_obj = Paginator(export_jobs_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "exports/list.html", {"page_obj": page_obj, "badges": STATUS_BADGES})


@require_http_methods(["GET", "POST"])
def export_dossiers(request):
    """The dossier list as Excel, with the list's filters (querystring or form body)."""
    data = {
        name: request.POST.get(name, request.GET.get(name, ""))
        for name in DossierFilterForm.base_fields
    }
    form = DossierFilterForm(data)
    if not form.is_valid():
        messages.error(request, "Les filtres de la liste ne sont pas valides : corrigez-les.")
        return redirect("dossiers:list")
    summary = filter_summary(form)
    if request.method == "GET":
        return render(
            request,
            "exports/confirm_dossiers.html",
            {"form": form, "summary": summary, "filters": filter_parameters(form.cleaned_data)},
        )
    job = export_request(
        owner=request.user,
        kind=ExportKind.DOSSIERS,
        parameters=filter_parameters(form.cleaned_data),
        title=titled(ExportKind.DOSSIERS.label, summary),
    )
    return redirect(job)


@require_http_methods(["GET", "POST"])
def export_session(request, pk):
    """A session's results as Excel: whoever may view the session, else 404."""
    session = get_object_or_404(JurySession, pk=pk)
    if not rules.has_perm("jurys.view_session", request.user, session):
        raise Http404("Session introuvable.")
    if request.method == "GET":
        return render(request, "exports/confirm_session.html", {"session": session})
    job = export_request(
        owner=request.user,
        kind=ExportKind.SESSION,
        parameters={"session": session.pk},
        title=f"Résultats du {session_title(session).lower()}",
    )
    return redirect(job)


@require_POST
def export_certificates(request):
    """The register of certificates as Excel, with the register's filters (secretariat)."""
    if not is_secretariat(request.user):
        raise PermissionDenied
    form = RegisterFilterForm(request.GET)
    if not form.is_valid():
        messages.error(request, "Les filtres du registre ne sont pas valides : corrigez-les.")
        return redirect("certificates:register")
    job = export_request(
        owner=request.user,
        kind=ExportKind.CERTIFICATES,
        parameters=filter_parameters(form.cleaned_data),
        title=titled(ExportKind.CERTIFICATES.label, filter_summary(form)),
    )
    return redirect(job)


@require_POST
def export_accrochage(request):
    """The Caisse des Dépôts XML of a period, written by a worker (secretariat)."""
    if not is_secretariat(request.user):
        raise PermissionDenied
    form = AccrochageForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("certificates:accrochage")
    start, end = form.cleaned_data["period_start"], form.cleaned_data["period_end"]
    job = export_request(
        owner=request.user,
        kind=ExportKind.ACCROCHAGE,
        parameters={"period_start": start.isoformat(), "period_end": end.isoformat()},
        title=f"Déclaration à la Caisse des Dépôts du {start:%d/%m/%Y} au {end:%d/%m/%Y}",
    )
    return redirect(job)


@require_POST
def export_statistics(request, key):
    """One statistics table as Excel, with the statistics screen's filters (in the query
    string of the form's action). A POST: it starts work; asking twice while the first file
    is being written returns the same job.
    """
    keys = statistics_keys()
    if keys is not None and key not in keys:
        raise Http404("Tableau statistique inconnu.")
    job = export_request(
        owner=request.user,
        kind=ExportKind.STATISTICS,
        parameters=statistics_parameters(key, request.GET),
        title=f"{ExportKind.STATISTICS.label} « {key} »",
    )
    return redirect(job)


def _job_context(job):
    return {
        "job": job,
        "badge": STATUS_BADGES[job.status],
        "poll_every": POLL_EVERY,
        "ExportStatus": ExportStatus,
    }


@require_safe
def export_detail(request, pk):
    job = _get_job(request, pk)
    return render(request, "exports/detail.html", _job_context(job))


@require_safe
def export_status(request, pk):
    """The job's status block alone: what the page's htmx polling swaps in.

    Nothing new since the block the page shows (`depuis`)? 204: htmx keeps the block, and
    screen readers are not told the same progress again every two seconds.
    """
    job = _get_job(request, pk)
    if request.GET.get("depuis") == f"{job.status}-{job.progress}":
        return HttpResponse(status=204)
    return render(request, "exports/detail.html#status", _job_context(job))


@require_safe
def export_download(request, pk):
    job = _get_job(request, pk)
    if job.status == ExportStatus.DONE and job.is_expired:
        return render(request, "exports/expired.html", {"job": job}, status=404)
    if not job.is_downloadable:
        raise Http404("Cet export n'a pas de fichier à télécharger.")
    if job.kind != ExportKind.STATISTICS:  # statistics tables hold no personal data
        log_access(
            request=request,
            action=AccessAction.EXPORT,
            object_type="export",
            object_id=job.pk,
            candidate_ids=export_candidate_ids(job),
        )
    return private_file_response(
        job.file, download_name=job.download_name, content_type=job.content_type
    )


@require_POST
def export_retry_view(request, pk):
    job = _get_job(request, pk)
    try:
        export_retry(job=job, by=request.user)
    except ExportError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "L'export est relancé : la page se met à jour toute seule.")
    return redirect(job)


def dossier_pdf(request, pk):
    """« Exporter PDF »: whoever may read the dossier (another tenant: 404)."""
    dossier = get_object_or_404(dossiers_for(request.user), pk=pk)
    log_dossier_read(request, dossier, AccessAction.DOSSIER_PDF)
    response = HttpResponse(dossier_summary(dossier.pk), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="dossier-{dossier.number}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
