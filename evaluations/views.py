import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from dossiers.enums import STATE_BADGES
from dossiers.exceptions import DossierActionError
from dossiers.rules import is_assigned_assessor
from dossiers.selectors import dossiers_for
from dossiers.stale import require_perm
from ecertif.audit.models import AccessAction
from ecertif.audit.services import log_dossier_read
from ecertif.files.downloads import private_file_response

from . import services
from .forms import AssessmentDetailsForm, GuideForm, InvitationForm, ResultsForm
from .guards import complete_missing
from .models import Assessment

LINK_SESSION_KEY = "workplace_invitation_link"


def _load(request, pk, perm="evaluations.view_assessment"):
    """The dossier's assessment, for a user who may see the dossier (404) and `perm` (403)."""
    dossier = get_object_or_404(dossiers_for(request.user), pk=pk)
    require_perm(request.user, perm, dossier)
    assessment = get_object_or_404(
        Assessment.objects.select_related("assessor__user"), dossier=dossier
    )
    return dossier, assessment


def _page(request, dossier, assessment, **forms):
    results = list(assessment.results.select_related("competence"))
    invitations = list(assessment.invitations.order_by("-sent_at"))
    can_write = rules.has_perm("evaluations.change_assessment", request.user, dossier)
    filled = sum(1 for r in results if r.result and r.comment.strip())
    context = {
        "dossier": dossier,
        "assessment": assessment,
        "badge": STATE_BADGES[dossier.state],
        "results": results,
        "invitations": invitations,
        "has_invitation": any(i.revoked_at is None for i in invitations),
        # A workplace assessor's draft stays theirs until « J'ai terminé ».
        "observations_sent": any(i.observations_submitted_at for i in invitations),
        "can_write": can_write,
        "missing": complete_missing(dossier) if can_write else [],
        "progress": {"done": filled, "total": len(results)},
        "invitation_link": request.session.pop(LINK_SESSION_KEY, None) if can_write else None,
        "invitation_form": forms.get("invitation_form") or InvitationForm(),
        "results_form": forms.get("results_form") or ResultsForm(results=results),
        "details_form": forms.get("details_form")
        or AssessmentDetailsForm(
            initial={
                "first_date": assessment.first_date,
                "last_date": assessment.last_date,
                "candidate_observations": assessment.candidate_observations,
                "workplace_missing_reason": assessment.workplace_missing_reason,
            }
        ),
        "guide_form": forms.get("guide_form") or GuideForm(),
    }
    return render(request, "evaluations/assessment.html", context)


def _back(dossier, anchor=""):
    response = redirect("evaluations:assessment", pk=dossier.pk)
    response["Location"] += anchor
    return response


def _errors(request, error):
    for message in error.messages:
        messages.error(request, message)


def assessment_detail(request, pk):
    dossier, assessment = _load(request, pk)
    return _page(request, dossier, assessment)


@require_POST
def invitation_create(request, pk):
    dossier, assessment = _load(request, pk, "evaluations.change_assessment")
    form = InvitationForm(request.POST)
    if not form.is_valid():
        return _page(request, dossier, assessment, invitation_form=form)
    try:
        invitation, token = services.invitation_create(
            assessment=assessment, by=request.user, **form.cleaned_data
        )
    except DossierActionError as error:
        _errors(request, error)
    else:
        request.session[LINK_SESSION_KEY] = services.invitation_url(token)
        messages.success(request, f"Invitation envoyée à {invitation.email}.")
    return _back(dossier, "#invitation")


@require_POST
def invitation_resend(request, pk, invitation_pk):
    dossier, assessment = _load(request, pk, "evaluations.change_assessment")
    invitation = get_object_or_404(assessment.invitations, pk=invitation_pk)
    try:
        invitation, token = services.invitation_resend(invitation=invitation, by=request.user)
    except DossierActionError as error:
        _errors(request, error)
    else:
        request.session[LINK_SESSION_KEY] = services.invitation_url(token)
        messages.success(
            request, f"Nouveau lien envoyé à {invitation.email} ; l'ancien ne fonctionne plus."
        )
    return _back(dossier, "#invitation")


@require_POST
def invitation_revoke(request, pk, invitation_pk):
    dossier, assessment = _load(request, pk, "evaluations.change_assessment")
    invitation = get_object_or_404(assessment.invitations, pk=invitation_pk)
    try:
        services.invitation_revoke(invitation=invitation, by=request.user)
    except DossierActionError as error:
        _errors(request, error)
    else:
        messages.success(
            request, f"Invitation de {invitation.name} révoquée : son lien est désactivé."
        )
    return _back(dossier, "#invitation")


@require_POST
def observations_reopen(request, pk, invitation_pk):
    dossier, assessment = _load(request, pk, "evaluations.change_assessment")
    invitation = get_object_or_404(assessment.invitations, pk=invitation_pk)
    try:
        services.workplace_observations_reopen(invitation=invitation, by=request.user)
    except DossierActionError as error:
        _errors(request, error)
    else:
        messages.success(
            request,
            f"Observations rouvertes : {invitation.name} est prévenu(e) par courriel et peut "
            "les modifier avec son lien.",
        )
    return _back(dossier, "#invitation")


@require_POST
def results_save(request, pk):
    dossier, assessment = _load(request, pk, "evaluations.change_assessment")
    results = list(assessment.results.select_related("competence"))
    form = ResultsForm(request.POST, results=results)
    if not form.is_valid():
        return _page(request, dossier, assessment, results_form=form)
    try:
        services.results_save(assessment=assessment, by=request.user, results=form.results())
    except DossierActionError as error:
        _errors(request, error)
    else:
        messages.success(request, "Résultats enregistrés.")
    return _back(dossier, "#resultats")


@require_POST
def details_save(request, pk):
    dossier, assessment = _load(request, pk, "evaluations.change_assessment")
    form = AssessmentDetailsForm(request.POST)
    if not form.is_valid():
        return _page(request, dossier, assessment, details_form=form)
    try:
        services.assessment_update(assessment=assessment, by=request.user, **form.cleaned_data)
    except DossierActionError as error:
        _errors(request, error)
    else:
        messages.success(request, "Observations enregistrées.")
    return _back(dossier, "#observations")


@require_POST
def guide_upload(request, pk):
    dossier, assessment = _load(request, pk, "evaluations.change_assessment")
    form = GuideForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.guide_upload(
                assessment=assessment, by=request.user, uploaded_file=form.cleaned_data["file"]
            )
        except ValidationError as error:
            form.add_error("file", error)
        except DossierActionError as error:
            _errors(request, error)
            return _back(dossier, "#outil4")
        else:
            messages.success(request, "Outil n°4 enregistré.")
            return _back(dossier, "#outil4")
    return _page(request, dossier, assessment, guide_form=form)


def guide_download(request, pk):
    _dossier, assessment = _load(request, pk)
    if not assessment.guide_scan:
        raise Http404("Aucun outil n°4 déposé.")
    log_dossier_read(
        request, _dossier, AccessAction.DOWNLOAD_FILE, object_type="assessment", obj=assessment
    )
    return private_file_response(
        assessment.guide_scan,
        download_name=assessment.guide_original_name or "outil-4",
        content_type=assessment.guide_content_type,
    )


@require_POST
def assessment_complete(request, pk):
    dossier, _assessment = _load(request, pk)
    if not is_assigned_assessor(request.user, dossier):
        raise PermissionDenied
    try:
        services.assessment_complete(dossier=dossier, by=request.user)
    except DossierActionError as error:
        _errors(request, error)
        return _back(dossier)
    messages.success(
        request,
        f"Évaluation clôturée : le dossier {dossier.number} est en attente de jury et "
        "l'employeur a été prévenu.",
    )
    return redirect("dossiers:detail", pk=dossier.pk)
