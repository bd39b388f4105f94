from django.db.models import Count, Q

from ecertif.accounts.rules import is_secretariat

from .models import JurySession


def sessions_for(user):
    """Sessions the user may open: all for the secretariat, their own for a jury member."""
    queryset = JurySession.objects.select_related(
        "president__user", "vice_president__user"
    ).annotate(
        registered_count=Count(
            "registrations", filter=Q(registrations__ended_at__isnull=True), distinct=True
        ),
        decided_count=Count(
            "decisions", filter=Q(decisions__revoked_at__isnull=True), distinct=True
        ),
    )
    if is_secretariat(user):
        return queryset
    member = getattr(user, "jury_member", None)
    if member is None or not member.active:
        return queryset.none()
    return queryset.filter(members=member)
