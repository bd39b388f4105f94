import rules

from .enums import SECRETARIAT_GROUP


@rules.predicate
def is_secretariat(user):
    if not user or not user.is_authenticated:
        return False
    return user.is_staff or user.groups.filter(name=SECRETARIAT_GROUP).exists()


@rules.predicate
def is_employer(user):
    return bool(user and user.is_authenticated and hasattr(user, "membership"))
