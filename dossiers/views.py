from dataclasses import dataclass

import rules
from django.apps import apps
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from ecertif.accounts.enums import Role
from ecertif.audit.models import AccessAction
from ecertif.audit.services import log_dossier_read
from ecertif.files.downloads import private_file_response

from . import services, workflow
from .enums import STATE_BADGES, WIZARD_STEPS, AttachmentKind, DossierState, Transition, WizardStep
from .exceptions import ALREADY_MOVED, NOT_ALLOWED, DossierActionError
from .forms import (
    AssessorForm,
    AttachmentForm,
    CandidateForm,
    CertificationForm,
    DossierFilterForm,
    ProviderChoiceForm,
    ProviderCreateForm,
    ReasonForm,
    SchemeForm,
)
from .guards import submit_missing
from .models import Dossier
from .pagination import RowsPaginator
from .rows import paged_rows
from .rules import row_permissions
from .selectors import (
    dossiers_for,
    filter_dossiers,
    visible_dossiers,
)
from .stale import require_perm
from .wizard import next_step, previous_step, resume_step, step_status

PAGE_SIZE = 20


def _get_dossier(request, pk, perm="dossiers.view_dossier"):
    """Load a dossier the user may see (404 otherwise), then check `perm` (403)."""
    dossier = get_object_or_404(dossiers_for(request.user), pk=pk)
    require_perm(request.user, perm, dossier)
    return dossier


def _establishment(request):
    membership = getattr(request.user, "membership", None)
    if membership is None:
        raise PermissionDenied
    return membership.establishment


def _show_errors(request, error):
    for message in error.messages:
        messages.error(request, message)


def dossier_list(request):
    form = DossierFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    dossiers = filter_dossiers(visible_dossiers(request.user), **filters)
    rows, count = paged_rows(
        request.user,
        request.roles,
        dossiers,
        filters=filters,
        page=request.GET.get("page"),
        per_page=PAGE_SIZE,
    )
    paginator = RowsPaginator(rows, PAGE_SIZE, count=count)
    page_obj = paginator.get_page(request.GET.get("page"))
    page_obj.object_list = row_permissions(request.user, request.roles, page_obj.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "dossiers/list.html",
        {
            "form": form,
            "page_obj": page_obj,
            "query": query.urlencode(),
            "is_employer": Role.EMPLOYER in request.roles,
        },
    )


def _timeline(dossier):
    """The state changes, with the jury registrations and their ends between them (#12), and
    the documents sent to the candidate (#11)."""
    events = list(dossier.transitions.select_related("actor", "reason_row"))
    # jurys sits above dossiers: looked up by name, as the selectors do.
    registration = apps.get_model("jurys", "SessionRegistration")
    for row in registration.objects.filter(dossier=dossier).select_related(
        "session", "registered_by"
    ):
        session = f"jury du {row.session.date:%d/%m/%Y}"
        events.append(
            {
                "at": row.registered_at,
                "transition_label": f"Inscription au {session}",
                "actor": row.registered_by,
            }
        )
        if row.ended_at:
            events.append(
                {
                    "at": row.ended_at,
                    "transition_label": (
                        f"Fin de l'inscription au {session} : {row.get_end_kind_display()}"
                    ),
                    "reason": row.end_reason,
                }
            )
    # certificates sits above dossiers too: its sends of a document to the candidate.
    send = apps.get_model("certificates", "DocumentSend")
    for row in send.objects.filter(dossier=dossier).select_related("document", "sent_by"):
        events.append(
            {
                "at": row.sent_at,
                "transition_label": (
                    f"{row.document.get_kind_display()} n° {row.document.number} envoyé au "
                    f"candidat ({row.recipient or 'adresse effacée'})"
                ),
                "actor": row.sent_by,
            }
        )
    return sorted(events, key=lambda event: event["at"] if isinstance(event, dict) else event.at)


def dossier_detail(request, pk):
    dossier = _get_dossier(request, pk)
    log_dossier_read(request, dossier, AccessAction.VIEW_DOSSIER)
    attachments = list(dossier.attachments.select_related("uploaded_by"))
    history = _timeline(dossier)
    can_edit = rules.has_perm("dossiers.change_dossier", request.user, dossier)
    return render(
        request,
        "dossiers/detail.html",
        {
            "dossier": dossier,
            "attachments": attachments,
            "diploma_attached": _has_diploma(attachments),
            "history": history,
            "badge": STATE_BADGES[dossier.state],
            "can_edit": can_edit,
            "can_delete": rules.has_perm("dossiers.delete_dossier", request.user, dossier),
            "can_duplicate": rules.has_perm("dossiers.duplicate_dossier", request.user, dossier),
            # The buttons of the transitions that take a reason (their page is state_change).
            "reason_transitions": [
                step
                for step in workflow.available_transitions(dossier, request.user)
                if step.needs_reason
            ],
            "can_view_assessment": rules.has_perm(
                "evaluations.view_assessment", request.user, dossier
            ),
            "can_write_assessment": rules.has_perm(
                "evaluations.change_assessment", request.user, dossier
            ),
            "missing": submit_missing(dossier) if can_edit else [],
            "resume": resume_step(dossier) if can_edit else None,
        },
    )


def dossier_create(request):
    establishment = _establishment(request)
    form = CertificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["creation_token"]
        dossier = _created_with(token, request.user)
        if dossier is None:
            try:
                with transaction.atomic():
                    dossier = services.dossier_create(
                        establishment=establishment,
                        certification=form.cleaned_data["certification"],
                        option=form.cleaned_data["option"],
                        by=request.user,
                    )
                    if token:
                        # Unique: a concurrent twin waits for this row, then fails here.
                        Dossier.objects.filter(pk=dossier.pk).update(creation_token=token)
            except IntegrityError:
                dossier = _created_with(token, request.user)
                if dossier is None:
                    raise
            else:
                messages.success(
                    request, f"Dossier {dossier.number} créé. Étape suivante : le dispositif."
                )
                return redirect("dossiers:step", pk=dossier.pk, step=WizardStep.SCHEME)
        messages.info(request, f"Ce formulaire a déjà créé le dossier {dossier.number}.")
        return redirect("dossiers:step", pk=dossier.pk, step=WizardStep.SCHEME)
    return render(
        request,
        "dossiers/wizard/certification.html",
        {"form": form, "dossier": None, **_wizard_context(None, WizardStep.CERTIFICATION)},
    )


def _created_with(token, user):
    if not token:
        return None
    return dossiers_for(user).filter(creation_token=token).first()


def _wizard_context(dossier, step):
    status = step_status(dossier) if dossier else {}
    return {
        "step": step,
        "step_anchor": f"etape-{WIZARD_STEPS.index(step) + 1}",  # its section of the Aide guide
        "steps": [(s, status.get(s, False)) for s in WIZARD_STEPS],
        "previous": previous_step(step),
    }


def dossier_step(request, pk, step):
    try:
        step = WizardStep(step)
    except ValueError as exc:
        raise Http404 from exc
    dossier = _get_dossier(request, pk)
    if not rules.has_perm("dossiers.change_dossier", request.user, dossier):
        if dossier.state != DossierState.REGISTERING:
            messages.error(request, "Ce dossier n'est plus modifiable.")
        else:
            messages.error(request, NOT_ALLOWED)
        return redirect("dossiers:detail", pk=dossier.pk)
    handler = STEP_HANDLERS[step]
    try:
        result = handler(request, dossier)
    except DossierActionError as error:
        _show_errors(request, error)
        return redirect("dossiers:step", pk=dossier.pk, step=step)
    if isinstance(result, HttpResponse):
        return result
    if result is None:
        if "save_and_quit" in request.POST:
            messages.success(request, "Saisie enregistrée : vous pourrez la reprendre plus tard.")
            return redirect("dossiers:detail", pk=dossier.pk)
        return redirect("dossiers:step", pk=dossier.pk, step=next_step(step))
    template, context = result
    return render(
        request,
        f"dossiers/wizard/{template}.html",
        {"dossier": dossier, **context, **_wizard_context(dossier, step)},
    )


def _step_certification(request, dossier):
    initial = {"certification": dossier.certification, "option": dossier.option}
    form = CertificationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.dossier_update(
            dossier=dossier,
            by=request.user,
            certification=form.cleaned_data["certification"],
            option=form.cleaned_data["option"],
        )
        return None
    return "certification", {"form": form}


def _step_scheme(request, dossier):
    form = SchemeForm(request.POST or None, initial={"training_scheme": dossier.training_scheme})
    if request.method == "POST" and form.is_valid():
        services.dossier_update(
            dossier=dossier, by=request.user, training_scheme=form.cleaned_data["training_scheme"]
        )
        return None
    return "scheme", {"form": form}


def _step_candidate(request, dossier):
    form = CandidateForm(request.POST or None, instance=dossier.candidate)
    if request.method == "POST" and form.is_valid():
        services.candidate_save(dossier=dossier, by=request.user, form=form)
        return None
    return "candidate", {"form": form}


def _step_diplomas(request, dossier):
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and "continue" in request.POST:
        return None
    if request.method == "POST" and form.is_valid():
        try:
            services.attachment_add(
                dossier=dossier,
                by=request.user,
                kind=form.cleaned_data["kind"],
                label=form.cleaned_data["label"],
                uploaded_file=form.cleaned_data["file"],
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, "Pièce ajoutée au dossier.")
            return redirect("dossiers:step", pk=dossier.pk, step=WizardStep.DIPLOMAS)
    return "diplomas", {"form": form, "attachments": _attachments(dossier)}


def _attachments(dossier):
    return list(dossier.attachments.all())


def _step_provider(request, dossier):
    data = request.POST or None
    choice = ProviderChoiceForm(data, initial={"provider": dossier.provider})
    create = ProviderCreateForm(data if data and data.get("mode") == "new" else None)
    if request.method == "POST":
        if request.POST.get("mode") == "new":
            if create.is_valid():
                provider = create.save()
                services.dossier_update(dossier=dossier, by=request.user, provider=provider)
                return None
        elif choice.is_valid():
            services.dossier_update(
                dossier=dossier, by=request.user, provider=choice.cleaned_data["provider"]
            )
            return None
    return "provider", {"choice": choice, "create": create}


def _step_assessor(request, dossier):
    form = AssessorForm(
        request.POST or None,
        certification=dossier.certification,
        initial={
            "assessor": dossier.assessor,
            "confirm": dossier.assessor_confirmed_at is not None,
        },
    )
    if request.method == "POST" and form.is_valid():
        services.assessor_confirm(
            dossier=dossier, by=request.user, assessor=form.cleaned_data["assessor"]
        )
        return None
    return "assessor", {"form": form, "has_choices": form.fields["assessor"].queryset.exists()}


def _has_diploma(attachments):
    return any(a.kind == AttachmentKind.DIPLOMA for a in attachments)


def _step_review(request, dossier):
    attachments = _attachments(dossier)
    return "review", {
        "missing": submit_missing(dossier),
        "attachments": attachments,
        "diploma_attached": _has_diploma(attachments),
    }


STEP_HANDLERS = {
    WizardStep.CERTIFICATION: _step_certification,
    WizardStep.SCHEME: _step_scheme,
    WizardStep.CANDIDATE: _step_candidate,
    WizardStep.DIPLOMAS: _step_diplomas,
    WizardStep.PROVIDER: _step_provider,
    WizardStep.ASSESSOR: _step_assessor,
    WizardStep.REVIEW: _step_review,
}


@require_POST
def dossier_submit(request, pk):
    dossier = _get_dossier(request, pk)
    try:
        services.dossier_submit(dossier=dossier, by=request.user)
    except DossierActionError as error:
        _show_errors(request, error)
        return redirect("dossiers:step", pk=dossier.pk, step=WizardStep.REVIEW)
    messages.success(
        request,
        f"Dossier {dossier.number} soumis : il est en attente d'évaluation et l'évaluateur "
        "a été prévenu.",
    )
    return redirect("dossiers:detail", pk=dossier.pk)


@dataclass(frozen=True)
class ReasonPage:
    template: str
    field_label: str
    field_required: str
    done: str


# The pages of the transitions that take a reason; who may, and from which state, is the table's.
REASON_PAGES = {
    Transition.RETURN_FOR_COMPLETION: ReasonPage(
        "dossiers/return.html",
        "Motif (transmis à l'employeur)",
        "Indiquez le motif du renvoi : l'employeur le recevra.",
        "Dossier renvoyé à l'employeur pour complément.",
    ),
    Transition.REOPEN_ASSESSMENT: ReasonPage(
        "jurys/reopen.html",
        "Motif",
        "Indiquez le motif.",
        "Évaluation rouverte : le dossier est de nouveau en attente d'évaluation.",
    ),
    Transition.REVOKE_DECISION: ReasonPage(
        "jurys/revoke.html",
        "Motif",
        "Indiquez le motif.",
        "Décision annulée : le dossier est de nouveau en attente de jury. L'ancienne décision "
        "reste dans l'historique.",
    ),
}


def state_change(request, pk, name):
    """The page of a transition that takes a reason: the form, then the transition's service.
    A page opened before someone else moved the dossier says so instead of refusing."""
    page = REASON_PAGES[name]
    dossier = dossiers_for(request.user).filter(pk=pk).first()
    if dossier is None:
        moved = Dossier.objects.filter(pk=pk).first()
        if moved is not None and workflow.was_overtaken(moved, request.user, name):
            # The move took the dossier out of this user's sight (a returned dossier).
            messages.error(request, ALREADY_MOVED)
            return redirect("dossiers:list")
        raise Http404
    if not workflow.is_allowed(dossier, request.user, name):
        if workflow.was_overtaken(dossier, request.user, name):
            messages.error(request, ALREADY_MOVED)
            return redirect("dossiers:detail", pk=dossier.pk)
        raise PermissionDenied
    form = ReasonForm(request.POST or None, label=page.field_label, required=page.field_required)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.service(name)(
                dossier=dossier, by=request.user, reason=form.cleaned_data["reason"]
            )
        except DossierActionError as error:
            _show_errors(request, error)
        else:
            messages.success(request, page.done)
        return redirect("dossiers:detail", pk=dossier.pk)
    return render(request, page.template, {"dossier": dossier, "form": form})


def dossier_delete(request, pk):
    dossier = _get_dossier(request, pk)
    if not rules.has_perm("dossiers.delete_dossier", request.user, dossier):
        if dossier.state != DossierState.REGISTERING:
            messages.error(request, "Seul un dossier en cours d'inscription peut être supprimé.")
        else:
            messages.error(request, NOT_ALLOWED)
        return redirect("dossiers:detail", pk=dossier.pk)
    if request.method == "POST":
        try:
            services.dossier_delete(dossier=dossier, by=request.user)
        except DossierActionError as error:
            _show_errors(request, error)
            return redirect("dossiers:detail", pk=dossier.pk)
        messages.success(request, f"Dossier {dossier.number} supprimé.")
        return redirect("dossiers:list")
    return render(request, "dossiers/delete.html", {"dossier": dossier})


@require_POST
def dossier_duplicate(request, pk):
    dossier = _get_dossier(request, pk, "dossiers.duplicate_dossier")
    copy = services.dossier_duplicate(dossier=dossier, by=request.user)
    messages.success(
        request,
        f"Dossier {copy.number} créé à partir de {dossier.number} : vérifiez chaque étape "
        "puis confirmez l'évaluateur.",
    )
    return redirect("dossiers:step", pk=copy.pk, step=resume_step(copy))


def attachment_download(request, pk, attachment_pk):
    dossier = _get_dossier(request, pk, "dossiers.view_attachment")
    attachment = get_object_or_404(dossier.attachments, pk=attachment_pk)
    log_dossier_read(
        request, dossier, AccessAction.DOWNLOAD_FILE, object_type="attachment", obj=attachment
    )
    return private_file_response(
        attachment.file,
        download_name=attachment.original_name,
        content_type=attachment.content_type,
    )


@require_POST
def attachment_delete(request, pk, attachment_pk):
    dossier = _get_dossier(request, pk)
    attachment = get_object_or_404(dossier.attachments, pk=attachment_pk)
    try:
        services.attachment_delete(attachment=attachment, by=request.user)
    except DossierActionError as error:
        _show_errors(request, error)
    else:
        messages.success(request, f"Pièce « {attachment.label} » retirée du dossier.")
    return redirect("dossiers:step", pk=dossier.pk, step=WizardStep.DIPLOMAS)
