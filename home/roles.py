"""A user's roles are derived from data, never stored: membership, accreditation, jury seat."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef

from ecertif.accounts.enums import ROLE_PRIORITY, SECRETARIAT_GROUP, Role
from ecertif.accounts.models import EmployerMembership
from evaluations.models import Assessor
from jurys.models import JuryMember


def roles_for(user):
    """The roles of `user`, most powerful first, in one query."""
    if not user or not user.is_authenticated:
        return []
    # Loaded with the user of the session by home.backends: no query.
    flags = getattr(user, "role_flags", None) or _query_flags(user)
    if flags is None:
        return []
    held = {
        Role.SECRETARIAT: flags["is_staff"] or flags["in_secretariat"],
        Role.JURY_MEMBER: flags["has_jury_seat"],
        Role.ASSESSOR: flags["has_assessor"],
        Role.EMPLOYER: flags["has_membership"],
    }
    return [role for role in ROLE_PRIORITY if held[role]]


def _query_flags(user):
    return (
        get_user_model()
        .objects.filter(pk=user.pk)
        .annotate(
            has_membership=Exists(EmployerMembership.objects.filter(user=OuterRef("pk"))),
            has_assessor=Exists(Assessor.objects.filter(user=OuterRef("pk"))),
            has_jury_seat=Exists(JuryMember.objects.filter(user=OuterRef("pk"), active=True)),
            in_secretariat=Exists(
                Group.objects.filter(user=OuterRef("pk"), name=SECRETARIAT_GROUP)
            ),
        )
        .values("is_staff", "has_membership", "has_assessor", "has_jury_seat", "in_secretariat")
        .first()
    )


def primary_role(roles):
    return roles[0] if roles else None
