import rules

from .enums import SECRETARIAT_GROUP


@rules.predicate
def is_secretariat(user):
    if not user or not user.is_authenticated:
        return False
    # Loaded with the user of the session (home/backends.py): no query.
    flags = getattr(user, "role_flags", None)
    if flags is not None:
        return flags["is_staff"] or flags["in_secretariat"]
    return user.is_staff or user.groups.filter(name=SECRETARIAT_GROUP).exists()


@rules.predicate
def is_employer(user):
    return bool(user and user.is_authenticated and hasattr(user, "membership"))
