import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from dossiers.enums import STATE_BADGES, DossierState
from dossiers.exceptions import DossierActionError
from dossiers.models import Dossier
from dossiers.selectors import dossiers_for
from dossiers.stale import require_perm

from . import services
from .enums import SESSION_BADGES, SessionStatus
from .forms import DecisionForm, SessionChoiceForm
from .models import JurySession, SessionRegistration
from .rules import is_decider_of
from .selectors import sessions_for


def _errors(request, error):
    for message in error.messages:
        messages.error(request, message)


def _dossier(request, pk, perm):
    """A dossier the user may see (or decide: jury members see it through their session)."""
    dossier = dossiers_for(request.user).filter(pk=pk).first()
    if dossier is None:
        candidate = get_object_or_404(Dossier.objects.select_related("candidate"), pk=pk)
        if not is_decider_of(request.user, candidate):
            raise Http404
        dossier = candidate
    require_perm(request.user, perm, dossier)
    return dossier


def session_list(request):
    sessions = list(sessions_for(request.user).order_by("-date"))
    if not sessions and not rules.has_perm("jurys.manage_session", request.user, None):
        member = getattr(request.user, "jury_member", None)
        if member is None:
            raise PermissionDenied
    today = timezone.localdate()
    return render(
        request,
        "jurys/session_list.html",
        {
            "upcoming": [s for s in sessions if s.date >= today],
            "past": [s for s in sessions if s.date < today],
            "badges": SESSION_BADGES,
        },
    )


def session_detail(request, pk):
    session = get_object_or_404(sessions_for(request.user), pk=pk)
    registrations = list(
        SessionRegistration.objects.filter(session=session)
        .select_related(
            "dossier__candidate",
            "dossier__certification",
            "dossier__option",
            "dossier__establishment",
            "dossier__assessment",
        )
        .order_by("dossier__candidate__birth_name")
    )
    decisions = {d.dossier_id: d for d in session.decisions.filter(revoked_at__isnull=True)}
    latest = {}
    for registration in registrations:
        if registration.ended_at is not None and registration.dossier_id not in decisions:
            continue  # withdrawn, moved or released
        known = latest.get(registration.dossier_id)
        if known is None or registration.registered_at > known.registered_at:
            latest[registration.dossier_id] = registration
    rows = [
        (registration, decisions.get(registration.dossier_id))
        for registration in registrations
        if latest.get(registration.dossier_id) is registration
    ]
    can_manage = rules.has_perm("jurys.manage_session", request.user, session)
    return render(
        request,
        "jurys/session_detail.html",
        {
            "session": session,
            "rows": rows,
            "members": list(session.members.select_related("user")),
            "badge": SESSION_BADGES[session.status],
            "state_badges": STATE_BADGES,
            "date_has_come": session.date <= timezone.localdate(),
            "can_manage": can_manage,
            "can_close": can_manage and session.status != SessionStatus.CLOSED,
        },
    )


@require_POST
def session_close(request, pk):
    session = get_object_or_404(sessions_for(request.user), pk=pk)
    try:
        released = services.session_close(session=session, by=request.user)
    except DossierActionError as error:
        _errors(request, error)
    else:
        messages.success(
            request,
            f"Session clôturée. {len(released)} dossier(s) non examiné(s) rendu(s) à l'employeur "
            "pour une prochaine session.",
        )
    return redirect("jurys:session", pk=session.pk)


def register(request, pk):
    dossier = _dossier(request, pk, "dossiers.view_dossier")
    if not rules.has_perm("jurys.register_dossier", request.user, dossier):
        messages.error(request, "Ce dossier ne peut pas être inscrit à une session.")
        return redirect("dossiers:detail", pk=dossier.pk)
    sessions = services.open_sessions()
    form = SessionChoiceForm(request.POST or None, sessions=sessions)
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.registration_create(
                dossier=dossier, session=form.cleaned_data["session"], by=request.user
            )
        except DossierActionError as error:
            _errors(request, error)
        else:
            messages.success(
                request,
                f"Dossier {dossier.number} inscrit au jury du "
                f"{registration.session.date:%d/%m/%Y}.",
            )
            return redirect("dossiers:detail", pk=dossier.pk)
    return render(
        request,
        "jurys/register.html",
        {"dossier": dossier, "form": form, "has_sessions": sessions.exists()},
    )


@require_POST
def withdraw(request, pk):
    dossier = _dossier(request, pk, "dossiers.view_dossier")
    try:
        services.registration_withdraw(dossier=dossier, by=request.user)
    except DossierActionError as error:
        _errors(request, error)
    else:
        messages.success(request, "Inscription retirée : le dossier est à inscrire à un jury.")
    return redirect("dossiers:detail", pk=dossier.pk)


def move(request, pk):
    dossier = _dossier(request, pk, "jurys.manage_session")
    sessions = JurySession.objects.exclude(status=SessionStatus.CLOSED).order_by("date")
    form = SessionChoiceForm(request.POST or None, sessions=sessions)
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.registration_move(
                dossier=dossier, session=form.cleaned_data["session"], by=request.user
            )
        except DossierActionError as error:
            _errors(request, error)
        else:
            messages.success(
                request,
                f"Dossier {dossier.number} déplacé vers le jury du "
                f"{registration.session.date:%d/%m/%Y}.",
            )
            return redirect("jurys:session", pk=registration.session.pk)
    return render(request, "jurys/move.html", {"dossier": dossier, "form": form})


def decision(request, pk):
    dossier = _dossier(request, pk, "jurys.decide_dossier")
    rows = services.decision_rows(dossier)
    form = DecisionForm(request.POST or None, rows=rows)
    if request.method == "POST" and form.is_valid():
        try:
            services.decide(
                dossier=dossier,
                by=request.user,
                competences=form.competences(),
                motivation=form.cleaned_data["motivation"],
            )
        except DossierActionError as error:
            _errors(request, error)
        else:
            dossier.refresh_from_db()
            messages.success(
                request,
                f"Décision enregistrée pour {dossier.number} : {dossier.get_state_display()}.",
            )
            registration = dossier.registrations.order_by("-registered_at").first()
            return redirect("jurys:session", pk=registration.session_id)
    registration = dossier.registrations.filter(ended_at__isnull=True).first()
    return render(
        request,
        "jurys/decision.html",
        {
            "dossier": dossier,
            "form": form,
            "session": registration.session if registration else None,
            "assessment": getattr(dossier, "assessment", None),
            "invitations": list(dossier.assessment.invitations.all())
            if hasattr(dossier, "assessment")
            else [],
        },
    )


@require_POST
def represent(request, pk):
    dossier = _dossier(request, pk, "dossiers.duplicate_dossier")
    if dossier.state != DossierState.PARTIALLY_VALIDATED:
        messages.error(request, "Seul un dossier « Partiel » permet de représenter le candidat.")
        return redirect("dossiers:detail", pk=dossier.pk)
    try:
        new = services.represent_candidate(dossier=dossier, by=request.user)
    except DossierActionError as error:
        _errors(request, error)
        return redirect("dossiers:detail", pk=dossier.pk)
    messages.success(
        request,
        f"Dossier {new.number} créé pour représenter le candidat : les compétences acquises "
        "sont reportées, seules les autres seront évaluées.",
    )
    return redirect("dossiers:detail", pk=new.pk)
