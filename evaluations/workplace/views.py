"""« Évaluateur métier »: no account, an emailed link exchanged for a session bound to one
invitation. Nothing else of the application accepts that session: it logs nobody in."""

import functools
import re

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from dossiers.enums import DossierState
from dossiers.exceptions import DossierActionError
from ecertif import ratelimit
from ecertif.proxy import client_ip

from ..models import WorkplaceAssessorInvitation
from ..services import hash_token, workplace_observations_save
from .forms import WorkplaceObservationsForm

SESSION_KEY = "workplace_invitation_id"
# The link the session was opened with: a re-sent link (new token) ends older sessions.
LINK_KEY = "workplace_invitation_link"
# new_token(): 24 random bytes in URL-safe base64, always 32 characters.
TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{32}")
SAVED = (
    "Brouillon enregistré. Vous pouvez revenir le compléter ; cliquez sur « J'ai terminé » "
    "pour transmettre vos observations à l'évaluateur habilité."
)
SENT = "Merci : vos observations sont transmises à l'évaluateur habilité."
# Why a link or a session cannot be used, and the status of the page that says so.
NOTICE_STATUS = {
    "unknown": 404,
    "no_session": 403,
    "revoked": 410,
    "expired": 410,
    "closed": 410,
    "suspended": 409,
    "replaced": 410,
}
OPEN_STATES = {DossierState.REGISTERING, DossierState.AWAITING_ASSESSMENT}


def _private(view):
    """Never cached, never indexed. The link's own URL (holding the token) sends no Referer;
    the page keeps `same-origin`: with `no-referrer` browsers post `Origin: null`, which the
    CSRF check refuses."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if "token" in kwargs:
            response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return never_cache(wrapped)


def _invitations():
    return WorkplaceAssessorInvitation.objects.select_related(
        "assessment__dossier__candidate",
        "assessment__dossier__certification",
        "assessment__dossier__option",
        "assessment__assessor__user",
    )


def _refusal(invitation):
    """The reason this invitation cannot be used now, or None."""
    state = invitation.assessment.dossier.state
    if state not in OPEN_STATES:
        return "closed"
    if invitation.revoked_at is not None:
        return "revoked"
    if invitation.expires_at <= timezone.now():
        return "expired"
    if state != DossierState.AWAITING_ASSESSMENT:
        # Returned to the employer for completion: the link works again once resubmitted.
        return "suspended"
    return None


def _notice(request, reason, invitation=None):
    context = {"reason": reason, "invitation": invitation}
    if invitation is not None:
        context["assessor"] = invitation.assessment.assessor.user
    return render(request, "workplace/notice.html", context, status=NOTICE_STATUS[reason])


# Unknown invitation links accepted from one address per hour before a French 429: a real
# assessor mistypes a link a few times, a token guesser tries thousands.
TOKEN_MISSES_PER_HOUR = 20


def _guessing(request):
    return ratelimit.exceeded(
        "workplace-token-miss", client_ip(request), limit=TOKEN_MISSES_PER_HOUR
    )


def _count_miss(request):
    ratelimit.record("workplace-token-miss", client_ip(request), window=3600)


@login_not_required
@_private
@require_safe
def workplace_enter(request, token):
    if _guessing(request):
        return render(request, "429.html", status=429)
    invitation = None
    if TOKEN_RE.fullmatch(token):
        invitation = _invitations().filter(token_hash=hash_token(token)).first()
    if invitation is None:
        _count_miss(request)
        return _notice(request, "unknown")
    refusal = _refusal(invitation)
    if refusal:
        request.session.pop(SESSION_KEY, None)
        return _notice(request, refusal, invitation)
    if request.user.is_authenticated:
        # One session, one identity: a user's login never mixes with an invitation.
        logout(request)
        messages.info(
            request,
            "Vous avez été déconnecté(e) de votre compte e-Certif pour ouvrir cette invitation.",
        )
    else:
        # A new session key (no fixation) holding nothing but this invitation.
        request.session.flush()
    request.session[SESSION_KEY] = invitation.pk
    request.session[LINK_KEY] = invitation.token_hash
    return redirect("workplace:page")


@login_not_required
@_private
@require_http_methods(["GET", "HEAD", "POST"])
def workplace_page(request):
    invitation_id = request.session.get(SESSION_KEY)
    invitation = None
    if isinstance(invitation_id, int):
        invitation = _invitations().filter(pk=invitation_id).first()
    if invitation is None:
        request.session.pop(SESSION_KEY, None)
        return _notice(request, "no_session")
    refusal = _refusal(invitation)
    if not refusal and request.session.get(LINK_KEY) != invitation.token_hash:
        refusal = "replaced"
    if refusal:
        request.session.pop(SESSION_KEY, None)
        request.session.pop(LINK_KEY, None)
        return _notice(request, refusal, invitation)

    results = invitation.assessment.results.select_related("competence").order_by(
        "competence__number"
    )
    status = 200
    if request.method == "POST":
        form = WorkplaceObservationsForm(request.POST, results=results)
        send = "send" in request.POST
        if form.is_valid():
            try:
                workplace_observations_save(
                    invitation=invitation,
                    observations=form.observations(),
                    general_observation=form.cleaned_data["general_observation"],
                    send=send,
                )
            except DossierActionError as error:
                # Closed or revoked while the page was open: keep the text on screen.
                for message in error.messages:
                    form.add_error(None, message)
                status = 409
            else:
                messages.success(request, SENT if send else SAVED)
                return redirect("workplace:page")
    else:
        form = WorkplaceObservationsForm(
            results=results, general_observation=invitation.general_observation
        )
    context = {
        "invitation": invitation,
        "dossier": invitation.assessment.dossier,
        "assessor": invitation.assessment.assessor.user,
        "form": form,
    }
    return render(request, "workplace/page.html", context, status=status)
