"""Turns a lost race into « déjà traité » (409) and a deleted dossier into a French page (410)."""

from django.http import Http404
from django.shortcuts import render

from .models import Dossier
from .stale import StaleAction

# Form fields that are not something the user typed.
_NOT_TYPED = {"csrfmiddlewaretoken", "creation_token"}


def _typed(request):
    """What the user had typed, to copy back: text fields only, labelled by their name."""
    if request.method != "POST":
        return []
    return [
        (name, value)
        for name, value in request.POST.items()
        if name not in _NOT_TYPED and len(value.strip()) > 20
    ]


def _dossier_pk(request):
    match = request.resolver_match
    if match is None or "pk" not in match.kwargs:
        return None
    if match.namespace in ("dossiers", "evaluations") or "dossiers/<int:pk>" in match.route:
        return match.kwargs["pk"]
    return None


def _deleted_record(request, pk):
    """The deletion record of a dossier this user could see when it existed, if any."""
    record = Dossier.history.filter(id=pk, history_type="-").select_related("history_user").first()
    if record is None:
        return None
    user = request.user
    membership = getattr(user, "membership", None)
    assessor = getattr(user, "assessor_profile", None)
    if (
        user.is_staff
        or (membership is not None and membership.establishment_id == record.establishment_id)
        or (assessor is not None and assessor.pk == record.assessor_id)
    ):
        return record
    return None


class DossierRaceMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, StaleAction):
            dossier = exception.dossier
            return render(
                request,
                "dossiers/already_handled.html",
                {"dossier": dossier, "typed": _typed(request)},
                status=409,
            )
        if isinstance(exception, Http404) and request.user.is_authenticated:
            pk = _dossier_pk(request)
            record = _deleted_record(request, pk) if pk is not None else None
            if record is not None:
                return render(
                    request,
                    "dossiers/deleted.html",
                    {"record": record, "typed": _typed(request)},
                    status=410,
                )
        return None
