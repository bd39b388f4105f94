from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from .enums import SECRETARIAT_GROUP

# The secretariat manages every model of these apps from the admin.
SECRETARIAT_APPS = [
    "accounts",
    "mail",
    "notifications",
    "exports",
    "referentiel",
    "dossiers",
    "evaluations",
    "jurys",
]


def ensure_secretariat_group():
    """Create the « Secrétariat » group and give it every permission of the project's apps."""
    group, _ = Group.objects.get_or_create(name=SECRETARIAT_GROUP)
    group.permissions.set(Permission.objects.filter(content_type__app_label__in=SECRETARIAT_APPS))
    return group


def secretariat_users():
    """Active members of the secretariat (staff or in the group): they get its notifications."""
    return (
        get_user_model()
        .objects.filter(Q(is_staff=True) | Q(groups__name=SECRETARIAT_GROUP), is_active=True)
        .distinct()
    )
