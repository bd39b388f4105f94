from django.db.models import Count, Exists, OuterRef
from django.shortcuts import render
from django.utils import timezone

from certificates.deadlines import reporting_status
from dossiers.enums import STATE_BADGES, DossierState
from dossiers.selectors import dossiers_for, to_register
from ecertif.accounts.enums import AccountRequestStatus, Role
from ecertif.accounts.models import AccountRequest
from evaluations.models import WorkplaceAssessorInvitation
from jurys.selectors import sessions_for

HOME_TEMPLATES = {
    Role.SECRETARIAT: "home/secretariat.html",
    Role.JURY_MEMBER: "home/jury_member.html",
    Role.ASSESSOR: "home/assessor.html",
    Role.EMPLOYER: "home/employer.html",
}
HOME_LIST_SIZE = 10


def _state_counts(queryset):
    """[(state, label, badge, count)] for every state, zeros included, in one query."""
    counts = dict(queryset.order_by().values_list("state").annotate(n=Count("pk")))
    return [(s.value, s.label, STATE_BADGES[s], counts.get(s.value, 0)) for s in DossierState]


ASSESSOR_GROUPS = [
    ("invite", "Inviter l'évaluateur métier (étape à faire en premier)", "Inviter"),
    ("waiting", "En attente des observations de l'évaluateur métier", "Consulter"),
    ("assess", "Évaluation à saisir puis à clôturer", "Évaluer"),
]


def _assessor_groups(dossiers, assessor):
    """The assessor's open dossiers grouped by what to do next, in one query."""
    active = WorkplaceAssessorInvitation.objects.filter(
        assessment__dossier=OuterRef("pk"), revoked_at__isnull=True
    )
    rows = (
        dossiers.filter(assessor=assessor, state=DossierState.AWAITING_ASSESSMENT)
        .annotate(
            invited=Exists(active),
            observed=Exists(active.filter(observations_submitted_at__isnull=False)),
        )
        .order_by("submitted_at")[: HOME_LIST_SIZE * 5]
    )
    grouped = {key: [] for key, _title, _action in ASSESSOR_GROUPS}
    for dossier in rows:
        key = "invite" if not dossier.invited else "assess" if dossier.observed else "waiting"
        grouped[key].append(dossier)
    return [(title, action, grouped[key]) for key, title, action in ASSESSOR_GROUPS]


def home(request):
    """Each role's home page is the list of what waits for that person."""
    role = request.role
    context = {}
    dossiers = dossiers_for(request.user)
    if role == Role.SECRETARIAT:
        pending = AccountRequest.objects.filter(status=AccountRequestStatus.PENDING)
        context["pending_requests"] = pending.order_by("created_at")[:HOME_LIST_SIZE]
        context["pending_requests_count"] = pending.count()
        context["state_counts"] = _state_counts(dossiers)
        context["reporting"] = reporting_status()
    elif role == Role.EMPLOYER:
        context["establishment"] = request.user.membership.establishment
        context["state_counts"] = _state_counts(dossiers)
        context["todo"] = dossiers.filter(state=DossierState.REGISTERING).order_by("-updated_at")[
            :HOME_LIST_SIZE
        ]
        context["to_register"] = to_register(dossiers).order_by("updated_at")[:HOME_LIST_SIZE]
    elif role == Role.JURY_MEMBER:
        context["sessions"] = list(
            sessions_for(request.user)
            .filter(date__gte=timezone.localdate())
            .order_by("date")[:HOME_LIST_SIZE]
        )
    elif role == Role.ASSESSOR:
        context["groups"] = _assessor_groups(dossiers, request.user.assessor_profile)
    template = HOME_TEMPLATES.get(role, "home/no_role.html")
    return render(request, template, context)
