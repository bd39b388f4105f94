from django.shortcuts import render

from ecertif.accounts.enums import AccountRequestStatus, Role
from ecertif.accounts.models import AccountRequest

HOME_TEMPLATES = {
    Role.SECRETARIAT: "home/secretariat.html",
    Role.JURY_MEMBER: "home/jury_member.html",
    Role.ASSESSOR: "home/assessor.html",
    Role.EMPLOYER: "home/employer.html",
}


def home(request):
    """Each role's home page is the list of what waits for that person."""
    role = request.role
    context = {}
    if role == Role.SECRETARIAT:
        pending = AccountRequest.objects.filter(status=AccountRequestStatus.PENDING)
        context["pending_requests"] = pending.order_by("created_at")[:10]
        context["pending_requests_count"] = pending.count()
    elif role == Role.EMPLOYER:
        context["establishment"] = request.user.membership.establishment
    template = HOME_TEMPLATES.get(role, "home/no_role.html")
    return render(request, template, context)
