from django.contrib.auth.models import Group, Permission

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
